/* import.c — the importers of docs/files.md's files. A file is read row by row
 * through a row source (rows.h: a CSV file or a sheet of an .xlsx workbook),
 * so both forms share every rule and message; each row is checked completely
 * before anything of it is written; the first error names its place
 * (FILE:LINE, or FILE:SHEET!CELL) and the caller rolls the whole command back. */
#include "import.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "present.h"
#include "rows.h"
#include "store_bench.h"
#include "strmap.h"
#include "validate.h"

#define IMPORT_MAX_COLUMNS 16      /* columns any kind has */
#define IMPORT_DEFAULT_TOLERANCE (5 * FQ_SCALE) /* amber band, percent of target */
#define IMPORT_MAX_DECIMALS 6      /* decimals an indicator may print */
#define IMPORT_BATCH_VALUES 10000  /* values written in one bulk write (bounds the memory a file needs) */

static const char *const import_kind_names[] = {"indicators", "values", "targets", "projects", "statuses",
                                                "areas", "rebases", "population", "groups"};

/* Each kind's columns by name: the index into import_columns[kind], Row.col and
 * Row.cell. Every row function reads its cells through these, never by number. */
enum { COL_IND_CODE, COL_IND_TITLE, COL_IND_UNIT, COL_IND_POLARITY, COL_IND_AGGREGATE, COL_IND_FREQUENCY,
       COL_IND_DECIMALS, COL_IND_PARENT, COL_IND_PARTNER, COL_IND_FORMULA, COL_IND_MIN, COL_IND_MAX,
       COL_IND_SPC_BASELINE, COL_IND_PER };
enum { COL_VAL_INDICATOR, COL_VAL_AREA, COL_VAL_PERIOD, COL_VAL_VALUE, COL_VAL_NUMERATOR, COL_VAL_DENOMINATOR,
       COL_VAL_NOTE, COL_VAL_VERSION };
enum { COL_TGT_INDICATOR, COL_TGT_AREA, COL_TGT_YEAR, COL_TGT_TARGET, COL_TGT_TOLERANCE };
enum { COL_PRJ_CODE, COL_PRJ_TITLE, COL_PRJ_DESCRIPTION, COL_PRJ_LEAD, COL_PRJ_KEY };
enum { COL_STA_PROJECT, COL_STA_PERIOD, COL_STA_STATUS, COL_STA_COMMENTARY };
enum { COL_AREA_NAME, COL_AREA_CODE, COL_AREA_PARENT };
enum { COL_REB_INDICATOR, COL_REB_PERIOD, COL_REB_REASON };
enum { COL_POP_AREA, COL_POP_CODE, COL_POP_YEAR, COL_POP_POPULATION };
enum { COL_GRP_GROUP, COL_GRP_AREA };

/* Each kind's columns, in docs/files.md's order, each at its name's index;
 * NULL-terminated (the entries after the last are NULL). */
static const char *const import_columns[][IMPORT_MAX_COLUMNS] = {
    [IMPORT_INDICATORS] = {[COL_IND_CODE] = "code", [COL_IND_TITLE] = "title", [COL_IND_UNIT] = "unit",
                           [COL_IND_POLARITY] = "polarity", [COL_IND_AGGREGATE] = "aggregate",
                           [COL_IND_FREQUENCY] = "frequency", [COL_IND_DECIMALS] = "decimals",
                           [COL_IND_PARENT] = "parent", [COL_IND_PARTNER] = "partner", [COL_IND_FORMULA] = "formula",
                           [COL_IND_MIN] = "min", [COL_IND_MAX] = "max", [COL_IND_SPC_BASELINE] = "spc_baseline",
                           [COL_IND_PER] = "per"},
    [IMPORT_VALUES] = {[COL_VAL_INDICATOR] = "indicator", [COL_VAL_AREA] = "area", [COL_VAL_PERIOD] = "period",
                       [COL_VAL_VALUE] = "value", [COL_VAL_NUMERATOR] = "numerator",
                       [COL_VAL_DENOMINATOR] = "denominator", [COL_VAL_NOTE] = "note", [COL_VAL_VERSION] = "version"},
    [IMPORT_TARGETS] = {[COL_TGT_INDICATOR] = "indicator", [COL_TGT_AREA] = "area", [COL_TGT_YEAR] = "year",
                        [COL_TGT_TARGET] = "target", [COL_TGT_TOLERANCE] = "tolerance"},
    [IMPORT_PROJECTS] = {[COL_PRJ_CODE] = "code", [COL_PRJ_TITLE] = "title", [COL_PRJ_DESCRIPTION] = "description",
                         [COL_PRJ_LEAD] = "lead", [COL_PRJ_KEY] = "key"},
    [IMPORT_STATUSES] = {[COL_STA_PROJECT] = "project", [COL_STA_PERIOD] = "period", [COL_STA_STATUS] = "status",
                         [COL_STA_COMMENTARY] = "commentary"},
    [IMPORT_AREAS] = {[COL_AREA_NAME] = "area", [COL_AREA_CODE] = "code", [COL_AREA_PARENT] = "parent"},
    [IMPORT_REBASES] = {[COL_REB_INDICATOR] = "indicator", [COL_REB_PERIOD] = "period", [COL_REB_REASON] = "reason"},
    [IMPORT_POPULATION] = {[COL_POP_AREA] = "area", [COL_POP_CODE] = "code", [COL_POP_YEAR] = "year",
                           [COL_POP_POPULATION] = "population"},
    [IMPORT_GROUPS] = {[COL_GRP_GROUP] = "group", [COL_GRP_AREA] = "area"},
};

/* Columns that must be present in the header. */
static const char *const import_required[][4] = {
    [IMPORT_INDICATORS] = {"code", "title", NULL},
    [IMPORT_VALUES] = {"indicator", "period", NULL},
    [IMPORT_TARGETS] = {"indicator", "year", "target", NULL},
    [IMPORT_PROJECTS] = {"code", "title", NULL},
    [IMPORT_STATUSES] = {"project", "period", "status", NULL},
    [IMPORT_AREAS] = {"area", NULL},
    [IMPORT_REBASES] = {"indicator", "period", "reason", NULL},
    [IMPORT_POPULATION] = {"year", "population", NULL},
    [IMPORT_GROUPS] = {"group", "area", NULL},
};

int import_kind_parse(const char *s, ImportKind *out)
{
    for (int k = 0; k < IMPORT_NKINDS; k++) {
        if (strcmp(s, import_kind_names[k]) == 0) {
            *out = (ImportKind)k;
            return 0;
        }
    }
    return -1;
}

/* A row being imported: the source plus the column map. */
typedef struct Row {
    Rows *src;
    int col[IMPORT_MAX_COLUMNS]; /* field index of each known column, -1 when absent */
    int nheader;
    Buf cell[IMPORT_MAX_COLUMNS]; /* trimmed copies of this row's cells */
    const ImportMap *map;         /* a column mapping (import_file_mapped), or NULL */
    long skipped;                 /* rows of undeclared areas skipped under a mapping */
} Row;

/* The cell of column c, trimmed of surrounding blanks; NULL when absent or empty. */
static const char *row_get(Row *r, int c)
{
    if (r->col[c] < 0)
        return NULL;
    const char *s = rows_field(r->src, r->col[c]);
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return NULL;
    buf_reset(&r->cell[c]);
    buf_append(&r->cell[c], s, n);
    return buf_cstr(&r->cell[c]);
}

/* Fail with the place of field `field` of the current row (the row itself
 * when field < 0): "FILE:LINE: ..." for CSV, "FILE:SHEET!CELL: ..." for a sheet. */
static int import_err_at(const Rows *src, int field, Err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int import_err_at(const Rows *src, int field, Err *err, const char *fmt, ...)
{
    Buf loc = BUF_INIT;
    va_list ap;
    rows_where(src, field, &loc);
    buf_reset(&err->msg);
    buf_printf(&err->msg, "%s: ", buf_cstr(&loc));
    va_start(ap, fmt);
    buf_vprintf(&err->msg, fmt, ap);
    va_end(ap);
    buf_release(&loc);
    return -1;
}

/* The same, placed at known column c of the row (the row when the file lacks c). */
#define row_err(r, c, err, ...) import_err_at((r)->src, (c) >= 0 ? (r)->col[(c)] : -1, (err), __VA_ARGS__)

/* Put the place of column c (the row when c < 0) before an existing message. */
static void row_prefix(const Row *r, int c, Err *err)
{
    Buf loc = BUF_INIT, msg = BUF_INIT;
    rows_where(r->src, c >= 0 ? r->col[c] : -1, &loc);
    buf_printf(&msg, "%s: %s", buf_cstr(&loc), err_msg(err));
    buf_release(&err->msg);
    err->msg = msg;
    buf_release(&loc);
}

/* Does header cell h (blanks around ignored, any case) read `name`? */
static int import_header_is(const char *h, const char *name)
{
    while (*h == ' ')
        h++;
    size_t n = strlen(name);
    return strncasecmp(h, name, n) == 0 && strspn(h + n, " ") == strlen(h + n);
}

/* The header under a mapping: the first of the first IMPORT_MAP_SCAN rows
 * that holds every mapped header (notes above it are skipped); columns not
 * mapped are ignored. */
#define IMPORT_MAP_SCAN 100
static int import_header_mapped(Row *r, ImportKind kind, Err *err)
{
    const char *const *names = import_columns[kind];
    for (long k = 0; k < IMPORT_MAP_SCAN; k++) {
        int rc = rows_next(r->src, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        int found = 1;
        for (int m = 0; m < r->map->n && found; m++) {
            int at = -1;
            for (int i = 0; i < r->src->nfields && at < 0; i++)
                if (import_header_is(rows_field(r->src, i), r->map->from[m]))
                    at = i;
            for (int c = 0; names[c]; c++)
                if (strcmp(names[c], r->map->to[m]) == 0)
                    r->col[c] = at;
            found = at >= 0;
        }
        if (found) {
            r->nheader = r->src->nfields;
            return 0;
        }
        for (int c = 0; c < IMPORT_MAX_COLUMNS; c++)
            r->col[c] = -1;
    }
    Buf want = BUF_INIT;
    for (int m = 0; m < r->map->n; m++)
        buf_printf(&want, "%s'%s'", m ? ", " : "", r->map->from[m]);
    import_err_at(r->src, -1, err, "no header row with every mapped column (%s) in the first %d rows",
                  buf_cstr(&want), IMPORT_MAP_SCAN);
    buf_release(&want);
    return -1;
}

/* Read and check the header: known columns only, each once, required ones present. */
static int import_header(Row *r, ImportKind kind, Err *err)
{
    const char *const *names = import_columns[kind];
    for (int c = 0; c < IMPORT_MAX_COLUMNS; c++)
        r->col[c] = -1;
    if (r->map)
        return import_header_mapped(r, kind, err);
    int rc = rows_next(r->src, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return import_err_at(r->src, -1, err, "empty file: expected a header row");
    r->nheader = r->src->nfields;
    for (int i = 0; i < r->nheader; i++) {
        const char *h = rows_field(r->src, i);
        while (*h == ' ')
            h++;
        int found = -1;
        for (int c = 0; names[c]; c++) {
            size_t n = strlen(names[c]);
            if (strncasecmp(h, names[c], n) == 0 && strspn(h + n, " ") == strlen(h + n))
                found = c;
        }
        if (found < 0) {
            Buf list = BUF_INIT;
            for (int c = 0; names[c]; c++)
                buf_printf(&list, "%s%s", c ? ", " : "", names[c]);
            import_err_at(r->src, i, err, "unknown column '%s' for %s (expected %s)", h,
                   import_kind_names[kind], buf_cstr(&list));
            buf_release(&list);
            return -1;
        }
        if (r->col[found] >= 0)
            return import_err_at(r->src, i, err, "column '%s' appears twice", names[found]);
        r->col[found] = i;
    }
    for (int q = 0; import_required[kind][q]; q++) {
        for (int c = 0; names[c]; c++) {
            if (strcmp(names[c], import_required[kind][q]) == 0 && r->col[c] < 0)
                return import_err_at(r->src, -1, err, "missing column '%s'", names[c]);
        }
    }
    return 0;
}

/* Parse the number in column c into micro-units with a located error. */
static int import_number(const char *s, const char *what, int64_t *out, const Row *r, int c, Err *err)
{
    if (validate_number(s, what, out, err) < 0) {
        row_prefix(r, c, err);
        return -1;
    }
    return 0;
}

/* Parse the period in column c with a located error. */
static int import_period(Store *s, const char *text, Period *p, const Row *r, int c, Err *err)
{
    const char *why;
    if (period_parse(text, s->fy_start, p, &why) < 0)
        return row_err(r, c, err, "bad period '%s': %s", text, why);
    return 0;
}

/* Look up the indicator named in column c; error when unknown. */
static const Indicator *import_find_indicator(const Indicator *inds, int n, const StrMap *by_code,
                                              const char *code, const Row *r, int c, Err *err)
{
    int64_t i;
    (void)n;
    if (!strmap_get(by_code, code, &i)) {
        row_err(r, c, err, "unknown indicator '%s' (import it with `kpi import indicators` first)", code);
        return NULL;
    }
    return &inds[i];
}

/* After an indicators import: every parent and formula part must exist, and
 * formulas must not refer to themselves through any chain. */
static int import_check_framework(Store *s, const char *path, Err *err)
{
    Indicator *inds = NULL;
    int n = 0, rc = -1;
    StrMap by_code;
    int *state = NULL; /* DFS colour: 0 new, 1 on the stack, 2 done */
    char ***parts = NULL;
    char **storage = NULL;
    int *nparts = NULL;
    int *stack = NULL, *next = NULL;

    strmap_init(&by_code);
    if (store_indicators(s, &inds, &n, err) < 0)
        goto out;
    for (int i = 0; i < n; i++)
        strmap_put(&by_code, inds[i].code, i);
    parts = xcalloc((size_t)n + 1, sizeof *parts);
    storage = xcalloc((size_t)n + 1, sizeof *storage);
    nparts = xcalloc((size_t)n + 1, sizeof *nparts);
    for (int i = 0; i < n; i++) {
        if (inds[i].parent && !strmap_get(&by_code, inds[i].parent, NULL)) {
            err_at(err, path, 0, "indicator '%s': unknown parent '%s'", inds[i].code, inds[i].parent);
            goto out;
        }
        if (!inds[i].formula)
            continue;
        nparts[i] = figures_formula_parts(inds[i].formula, &parts[i], &storage[i], err);
        if (nparts[i] < 0) {
            nparts[i] = 0;
            err_prefix(err, path, 0);
            goto out;
        }
        for (int k = 0; k < nparts[i]; k++) {
            int64_t w;
            if (!strmap_get(&by_code, parts[i][k], &w)) {
                err_at(err, path, 0, "indicator '%s': formula names unknown indicator '%s'", inds[i].code,
                       parts[i][k]);
                goto out;
            }
            /* A sum means something only over like parts: counts with counts,
             * money with money, each summed over time as the whole is. */
            const IndicatorDef *pd = &inds[w].def, *wd = &inds[i].def;
            if (pd->unit != wd->unit || pd->aggregate != wd->aggregate) {
                err_at(err, path, 0,
                       "indicator '%s' (%s, aggregate %s): its formula adds '%s' (%s, aggregate %s); a formula may "
                       "only add parts of its own unit and aggregate",
                       inds[i].code, unit_name(wd->unit), aggregate_name(wd->aggregate), inds[w].code,
                       unit_name(pd->unit), aggregate_name(pd->aggregate));
                goto out;
            }
        }
    }
    /* Cycle check: iterative depth-first search over formula parts. */
    state = xcalloc((size_t)n + 1, sizeof *state);
    stack = xcalloc((size_t)n + 1, sizeof *stack);
    next = xcalloc((size_t)n + 1, sizeof *next);
    for (int root = 0; root < n; root++) {
        if (state[root])
            continue;
        int top = 0;
        stack[0] = root;
        next[0] = 0;
        state[root] = 1;
        while (top >= 0) {
            int u = stack[top];
            if (next[top] < nparts[u]) {
                int64_t w;
                strmap_get(&by_code, parts[u][next[top]++], &w);
                if (state[w] == 1) {
                    err_at(err, path, 0, "indicator '%s': formula refers back to itself through '%s'",
                           inds[w].code, inds[u].code);
                    goto out;
                }
                if (state[w] == 0) {
                    state[w] = 1;
                    stack[++top] = (int)w;
                    next[top] = 0;
                }
            } else {
                state[u] = 2;
                top--;
            }
        }
    }
    rc = 0;
out:
    for (int i = 0; i < n && parts; i++) {
        free(parts[i]);
        free(storage[i]);
    }
    free(parts);
    free(storage);
    free(nparts);
    free(state);
    free(stack);
    free(next);
    strmap_release(&by_code);
    store_indicators_free(inds, n);
    return rc;
}

/* Whether the key made from fmt was seen on an earlier row (*first gets that
 * row's line); otherwise it is recorded as seen on `line`. Every importer's
 * "a second ... (first on FILE LINE)" check goes through here. */
static int import_seen_before(StrMap *seen, long line, int64_t *first, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int import_seen_before(StrMap *seen, long line, int64_t *first, const char *fmt, ...)
{
    Buf key = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&key, fmt, ap);
    va_end(ap);
    int dup = strmap_get(seen, buf_cstr(&key), first);
    if (!dup)
        strmap_put(seen, buf_cstr(&key), line);
    buf_release(&key);
    return dup;
}

#define IMPORT_SPC_BASELINE_MIN 12     /* the fewest points SPC limits are drawn from */
#define IMPORT_SPC_BASELINE_MAX 100000 /* more points than any series could have */

/* The optional spc_baseline column: empty (0: every point of a segment) or a
 * whole number of points from 12 up. */
static int import_spc_baseline(Row *r, const char *code, int *out, Err *err)
{
    const char *v = row_get(r, COL_IND_SPC_BASELINE);
    *out = 0;
    if (!v)
        return 0;
    size_t n = strspn(v, "0123456789");
    long long x = n > 0 && n < 7 && v[n] == '\0' ? atoll(v) : -1;
    if (x < IMPORT_SPC_BASELINE_MIN || x > IMPORT_SPC_BASELINE_MAX)
        return row_err(r, COL_IND_SPC_BASELINE, err,
                       "indicator '%s': spc_baseline '%s': expected a whole number of points from %d to %d"
                       " (empty: every point)",
                       code, v, IMPORT_SPC_BASELINE_MIN, IMPORT_SPC_BASELINE_MAX);
    *out = (int)x;
    return 0;
}

/* Indicators: code,title,unit,polarity,aggregate,frequency,decimals,parent,partner,formula */
static int import_indicator_row(Store *s, Row *r, StrMap *seen, Err *err)
{
    long line = r->src->line;
    Indicator ind;
    memset(&ind, 0, sizeof ind);
    const char *code = row_get(r, COL_IND_CODE), *title = row_get(r, COL_IND_TITLE), *v;
    if (!code)
        return row_err(r, COL_IND_CODE, err, "missing code");
    if (!figures_code_valid(code))
        return row_err(r, COL_IND_CODE, err, "bad code '%s' (letters, digits, '.', '-' and '_' only)", code);
    if (!title)
        return row_err(r, COL_IND_TITLE, err, "indicator '%s': missing title", code);
    int64_t first;
    if (strmap_get(seen, code, &first))
        return row_err(r, COL_IND_CODE, err, "indicator '%s' appears twice (first on %s %lld)", code, r->src->unit,
                       (long long)first);
    strmap_put(seen, code, line);
    ind.def.unit = UNIT_COUNT;
    if ((v = row_get(r, COL_IND_UNIT)) && unit_parse(v, &ind.def.unit) < 0)
        return row_err(r, COL_IND_UNIT, err, "unknown unit '%s' (expected count, percent, number, rate or currency)",
                       v);
    ind.def.polarity = POLARITY_NONE;
    if ((v = row_get(r, COL_IND_POLARITY)) && polarity_parse(v, &ind.def.polarity) < 0)
        return row_err(r, COL_IND_POLARITY, err, "unknown polarity '%s' (expected lower, higher or none)", v);
    ind.def.aggregate = ind.def.unit == UNIT_PERCENT ? AGG_RATIO : ind.def.unit == UNIT_RATE ? AGG_MEAN : AGG_SUM;
    if ((v = row_get(r, COL_IND_AGGREGATE)) && aggregate_parse(v, &ind.def.aggregate) < 0)
        return row_err(r, COL_IND_AGGREGATE, err, "unknown aggregate '%s' (expected sum, ratio, mean or last)", v);
    ind.frequency = PERIOD_MONTH;
    if ((v = row_get(r, COL_IND_FREQUENCY))) {
        if (present_frequency_parse(v, &ind.frequency) < 0)
            return row_err(r, COL_IND_FREQUENCY, err, "unknown frequency '%s' (expected month, quarter or year)", v);
    }
    ind.def.decimals = ind.def.unit == UNIT_COUNT ? 0 : 1;
    if ((v = row_get(r, COL_IND_DECIMALS))) {
        if (strlen(v) != 1 || v[0] < '0' || v[0] > '0' + IMPORT_MAX_DECIMALS)
            return row_err(r, COL_IND_DECIMALS, err, "decimals '%s': expected a whole number from 0 to %d", v,
                           IMPORT_MAX_DECIMALS);
        ind.def.decimals = v[0] - '0';
    }
    ind.code = (char *)code;
    ind.title = (char *)title;
    ind.parent = (char *)row_get(r, COL_IND_PARENT);
    if (ind.parent && strcmp(ind.parent, code) == 0)
        return row_err(r, COL_IND_PARENT, err, "indicator '%s' cannot be its own parent", code);
    ind.partner = (char *)row_get(r, COL_IND_PARTNER);
    ind.formula = (char *)row_get(r, COL_IND_FORMULA);
    if (ind.formula) {
        char **parts, *storage;
        int np = figures_formula_parts(ind.formula, &parts, &storage, err);
        if (np < 0) {
            row_prefix(r, COL_IND_FORMULA, err);
            return -1;
        }
        free(parts);
        free(storage);
        if (ind.def.aggregate != AGG_SUM)
            return row_err(r, COL_IND_FORMULA, err,
                           "indicator '%s': a formula indicator sums its parts, so its aggregate must be sum", code);
    }
    if ((v = row_get(r, COL_IND_MIN))) {
        if (validate_bound(v, "min", 0, &ind.min, err) < 0) {
            row_prefix(r, COL_IND_MIN, err);
            return -1;
        }
        ind.has_min = 1;
    }
    if ((v = row_get(r, COL_IND_MAX))) {
        if (validate_bound(v, "max", 1, &ind.max, err) < 0) {
            row_prefix(r, COL_IND_MAX, err);
            return -1;
        }
        ind.has_max = 1;
    }
    if (ind.has_min && ind.has_max && ind.min > ind.max)
        return row_err(r, COL_IND_MAX, err, "indicator '%s': max '%s' is less than min '%s'", code,
                       row_get(r, COL_IND_MAX), row_get(r, COL_IND_MIN));
    int baseline = 0;
    if (import_spc_baseline(r, code, &baseline, err) < 0)
        return -1;
    int64_t per = 0; /* the `per` column (docs/benchmark.md): rates per this many residents */
    if ((v = row_get(r, COL_IND_PER))) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!isdigit((unsigned char)v[0]) || *end || x <= 0 || x > 1000000000)
            return row_err(r, COL_IND_PER, err,
                           "per '%s': expected a whole number of residents more than 0 (e.g. 1000)", v);
        per = x;
    }
    if (store_indicator_put(s, &ind, err) < 0 || store_indicator_settings_put(s, ind.id, baseline, per, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* A value checked and waiting for the next bulk write (store_values_put). */
typedef struct ImportValue {
    int64_t indicator_id, area_id;
    Period period;
    int64_t v[3];       /* value, numerator, denominator */
    int has[3];
    char *note;         /* owned; NULL when none */
} ImportValue;

typedef struct Lookup {
    Indicator *inds;
    int ninds;
    StrMap by_code;
    Project *projects;
    int nprojects;
    StrMap project_by_code;
    ImportValue *pending; /* values not yet written, in file order */
    size_t npending, cappending;
} Lookup;

/* Write the pending values in one bulk write and forget them. */
static int import_values_flush(Store *s, Lookup *lk, Err *err)
{
    StoreValuePut *puts = xcalloc(lk->npending + 1, sizeof *puts);
    for (size_t k = 0; k < lk->npending; k++) {
        ImportValue *iv = &lk->pending[k];
        puts[k].indicator_id = iv->indicator_id;
        puts[k].area_id = iv->area_id;
        puts[k].period = iv->period;
        puts[k].value = iv->has[0] ? &iv->v[0] : NULL;
        puts[k].num = iv->has[1] ? &iv->v[1] : NULL;
        puts[k].den = iv->has[2] ? &iv->v[2] : NULL;
        puts[k].note = iv->note;
    }
    int rc = store_values_put(s, puts, lk->npending, err);
    free(puts);
    for (size_t k = 0; k < lk->npending; k++)
        free(lk->pending[k].note);
    lk->npending = 0;
    return rc;
}

/* Queue one value; every IMPORT_BATCH_VALUES they are written. A file names
 * each (indicator, area, period) once, so a queued value never hides one the
 * rows after it read. */
static int import_value_queue(Store *s, Lookup *lk, int64_t indicator_id, int64_t area_id, Period p,
                              const int64_t *value, const int64_t *num, const int64_t *den, const char *note,
                              Err *err)
{
    if (lk->npending == lk->cappending) {
        lk->cappending = lk->cappending ? lk->cappending * 2 : 256;
        lk->pending = xrealloc(lk->pending, lk->cappending * sizeof *lk->pending);
    }
    ImportValue *iv = &lk->pending[lk->npending++];
    memset(iv, 0, sizeof *iv);
    iv->indicator_id = indicator_id;
    iv->area_id = area_id;
    iv->period = p;
    const int64_t *given[3] = {value, num, den};
    for (int k = 0; k < 3; k++) {
        iv->has[k] = given[k] != NULL;
        iv->v[k] = given[k] ? *given[k] : 0;
    }
    iv->note = note ? xstrdup(note) : NULL;
    return lk->npending >= IMPORT_BATCH_VALUES ? import_values_flush(s, lk, err) : 0;
}

/* The optional `version` column: the version of the value the file's author
 * saw (0: none yet). A value changed since then is an error, not a silent
 * overwrite (optimistic locking; the write transaction makes check and write
 * one step). */
static int import_value_version(Store *s, Row *r, const Indicator *ind, const char *area, int64_t area_id,
                                Period p, const char *ptext, Err *err)
{
    const char *vt = row_get(r, COL_VAL_VERSION);
    char *end, *by = NULL, *at = NULL;
    int64_t want, have;
    if (!vt)
        return 0;
    want = strtoll(vt, &end, 10);
    if (*end || want < 0 || !isdigit((unsigned char)vt[0]))
        return row_err(r, COL_VAL_VERSION, err, "version '%s': expected a whole number (0 for a value not stored yet)",
                       vt);
    if (store_value_version(s, ind->id, area_id, p, &have, &by, &at, err) < 0)
        return -1;
    int rc = 0;
    if (have != want) {
        if (have == 0)
            rc = row_err(r, COL_VAL_VERSION, err, "%s, %s, %s: version %lld was expected, but no value is stored",
                         ind->code, area, ptext, (long long)want);
        else if (want == 0)
            rc = row_err(r, COL_VAL_VERSION, err,
                         "%s, %s, %s was stored by someone else meanwhile (version %lld, by %s at %s): nothing was"
                         " imported; look at the value and import again with version %lld",
                         ind->code, area, ptext, (long long)have, by ? by : "?", at ? at : "?", (long long)have);
        else
            rc = row_err(r, COL_VAL_VERSION, err,
                         "%s, %s, %s was changed by someone else since version %lld (now version %lld, by %s at %s):"
                         " nothing was imported; look at the new value and import again with version %lld",
                         ind->code, area, ptext, (long long)want, (long long)have, by ? by : "?", at ? at : "?",
                         (long long)have);
    }
    free(by);
    free(at);
    return rc;
}

/* Values: indicator,area,period,value,numerator,denominator,note[,version] */
static int import_value_row(Store *s, Row *r, Lookup *lk, StrMap *seen, Err *err)
{
    const char *path = r->src->path;
    long line = r->src->line;
    const char *code = row_get(r, COL_VAL_INDICATOR), *area = row_get(r, COL_VAL_AREA),
               *ptext = row_get(r, COL_VAL_PERIOD);
    const char *vt = row_get(r, COL_VAL_VALUE), *nt = row_get(r, COL_VAL_NUMERATOR),
               *dt = row_get(r, COL_VAL_DENOMINATOR), *note = row_get(r, COL_VAL_NOTE);
    int64_t value, num, den, area_id;
    Period p;
    Buf key = BUF_INIT;
    int rc = -1;

    if (!code)
        return row_err(r, COL_VAL_INDICATOR, err, "missing indicator");
    const Indicator *ind = import_find_indicator(lk->inds, lk->ninds, &lk->by_code, code, r, COL_VAL_INDICATOR, err);
    if (!ind)
        return -1;
    if (ind->formula)
        return row_err(r, COL_VAL_INDICATOR, err, "indicator '%s' is computed by its formula (%s): it takes no values",
                       code, ind->formula);
    if (!area)
        area = s->home_area;
    /* Every rule of a figure is validate.h's, shared with the web and the API. */
    ValidValue vv;
    ValidField vf;
    if (validate_value(ind, s->fy_start, ptext, vt, nt, dt, &vv, &vf, err) < 0) {
        static const int col[] = {[VALID_PERIOD] = 2, [VALID_VALUE] = 3, [VALID_NUMERATOR] = 4,
                                  [VALID_DENOMINATOR] = 5};
        row_prefix(r, col[vf], err);
        return -1;
    }
    p = vv.period;
    value = vv.value;
    num = vv.num;
    den = vv.den;
    buf_printf(&key, "%s\x1f%s\x1f%d\x1f%d", code, area, (int)p.kind, p.first);
    int64_t first;
    if (strmap_get(seen, buf_cstr(&key), &first)) {
        row_err(r, COL_VAL_INDICATOR, err, "a second value for %s, %s, %s (first on %s %lld)", code, area, ptext,
                r->src->unit, (long long)first);
        goto out;
    }
    strmap_put(seen, buf_cstr(&key), line);
    if (validate_area(s, area, &area_id, err) != 0) {
        row_prefix(r, COL_VAL_AREA, err);
        goto out;
    }
    if (import_value_version(s, r, ind, area, area_id, p, ptext, err) < 0)
        goto out;
    int ratio = ind->def.aggregate == AGG_RATIO;
    if (import_value_queue(s, lk, ind->id, area_id, p, &value, ratio ? &num : NULL, ratio ? &den : NULL, note,
                           err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0 && err_is_set(err) && strncmp(err_msg(err), path, strlen(path)) != 0)
        row_prefix(r, -1, err);
    buf_release(&key);
    return rc;
}

/* Targets: indicator,area,year,target,tolerance */
static int import_target_row(Store *s, Row *r, Lookup *lk, StrMap *seen, Err *err)
{
    long line = r->src->line;
    const char *code = row_get(r, COL_TGT_INDICATOR), *area = row_get(r, COL_TGT_AREA),
               *year = row_get(r, COL_TGT_YEAR);
    const char *tt = row_get(r, COL_TGT_TARGET), *tol = row_get(r, COL_TGT_TOLERANCE);
    int64_t target, tolerance = IMPORT_DEFAULT_TOLERANCE, area_id;
    Period p;
    Buf key = BUF_INIT;

    if (!code)
        return row_err(r, COL_TGT_INDICATOR, err, "missing indicator");
    const Indicator *ind = import_find_indicator(lk->inds, lk->ninds, &lk->by_code, code, r, COL_TGT_INDICATOR, err);
    if (!ind)
        return -1;
    if (!area)
        area = s->home_area;
    if (!year)
        return row_err(r, COL_TGT_YEAR, err, "missing year");
    if (import_period(s, year, &p, r, COL_TGT_YEAR, err) < 0)
        return -1;
    if (p.kind != PERIOD_YEAR)
        return row_err(r, COL_TGT_YEAR, err, "year '%s' is not a financial year (e.g. 2011/12)", year);
    if (!tt)
        return row_err(r, COL_TGT_TARGET, err, "missing target");
    if (import_number(tt, "target", &target, r, COL_TGT_TARGET, err) < 0)
        return -1;
    if (tol && import_number(tol, "tolerance", &tolerance, r, COL_TGT_TOLERANCE, err) < 0)
        return -1;
    if (tolerance < 0)
        return row_err(r, COL_TGT_TOLERANCE, err, "tolerance '%s' must not be negative", tol);
    buf_printf(&key, "%s\x1f%s\x1f%d", code, area, p.first);
    int64_t first;
    if (strmap_get(seen, buf_cstr(&key), &first)) {
        buf_release(&key);
        return row_err(r, COL_TGT_INDICATOR, err, "a second target for %s, %s, %s (first on %s %lld)", code, area, year,
                       r->src->unit, (long long)first);
    }
    strmap_put(seen, buf_cstr(&key), line);
    buf_release(&key);
    if (validate_area(s, area, &area_id, err) != 0) {
        row_prefix(r, COL_TGT_AREA, err);
        return -1;
    }
    if (store_target_put(s, ind->id, area_id, period_fy(p.first, s->fy_start), target, tolerance, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* Projects: code,title,description,lead,key */
static int import_project_row(Store *s, Row *r, StrMap *seen, Err *err)
{
    long line = r->src->line;
    Project p;
    memset(&p, 0, sizeof p);
    const char *code = row_get(r, COL_PRJ_CODE), *title = row_get(r, COL_PRJ_TITLE), *key = row_get(r, COL_PRJ_KEY);
    if (!code)
        return row_err(r, COL_PRJ_CODE, err, "missing code");
    if (!figures_code_valid(code))
        return row_err(r, COL_PRJ_CODE, err, "bad code '%s' (letters, digits, '.', '-' and '_' only)", code);
    if (!title)
        return row_err(r, COL_PRJ_TITLE, err, "project '%s': missing title", code);
    int64_t first;
    if (strmap_get(seen, code, &first))
        return row_err(r, COL_PRJ_CODE, err, "project '%s' appears twice (first on %s %lld)", code, r->src->unit,
                       (long long)first);
    strmap_put(seen, code, line);
    if (key && strcasecmp(key, "yes") == 0)
        p.key = 1;
    else if (key && strcasecmp(key, "no") != 0)
        return row_err(r, COL_PRJ_KEY, err, "key '%s': expected yes or no", key);
    p.code = (char *)code;
    p.title = (char *)title;
    p.description = (char *)row_get(r, COL_PRJ_DESCRIPTION);
    p.lead = (char *)row_get(r, COL_PRJ_LEAD);
    if (store_project_put(s, &p, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* Statuses: project,period,status,commentary */
static int import_status_row(Store *s, Row *r, Lookup *lk, StrMap *seen, Err *err)
{
    long line = r->src->line;
    const char *code = row_get(r, COL_STA_PROJECT), *ptext = row_get(r, COL_STA_PERIOD),
               *st = row_get(r, COL_STA_STATUS);
    Period p;
    Status status;
    int64_t idx;
    if (!code)
        return row_err(r, COL_STA_PROJECT, err, "missing project");
    if (!strmap_get(&lk->project_by_code, code, &idx))
        return row_err(r, COL_STA_PROJECT, err, "unknown project '%s' (import it with `kpi import projects` first)",
                       code);
    if (!ptext)
        return row_err(r, COL_STA_PERIOD, err, "missing period");
    if (import_period(s, ptext, &p, r, COL_STA_PERIOD, err) < 0)
        return -1;
    if (!st)
        return row_err(r, COL_STA_STATUS, err, "missing status");
    if (status_parse(st, &status) < 0)
        return row_err(r, COL_STA_STATUS, err,
                       "unknown status '%s' (expected green, amber, red, complete or unreported)", st);
    int64_t first;
    if (import_seen_before(seen, line, &first, "%s\x1f%d\x1f%d", code, (int)p.kind, p.first))
        return row_err(r, COL_STA_PROJECT, err, "a second status for %s, %s (first on %s %lld)", code, ptext,
                       r->src->unit, (long long)first);
    const char *commentary = row_get(r, COL_STA_COMMENTARY);
    if (store_status_put(s, lk->projects[idx].id, p, status, commentary, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* Areas: area,code,parent. An area of the same name is updated (its code
 * and parent); a parent must be declared before (an earlier row, or stored). */
static int import_area_row(Store *s, Row *r, StrMap *seen, StrMap *codes, Err *err)
{
    long line = r->src->line;
    const char *name = row_get(r, COL_AREA_NAME), *code = row_get(r, COL_AREA_CODE),
               *parent = row_get(r, COL_AREA_PARENT);
    int64_t first;
    if (!name)
        return row_err(r, COL_AREA_NAME, err, "missing area (its name)");
    if (strlen(name) > 200)
        return row_err(r, COL_AREA_NAME, err, "area name too long (at most 200 bytes)");
    if (strmap_get(seen, name, &first))
        return row_err(r, COL_AREA_NAME, err, "area '%s' appears twice (first on %s %lld)", name, r->src->unit,
                       (long long)first);
    strmap_put(seen, name, line);
    if (code && !validate_gss_code(code))
        return row_err(r, COL_AREA_CODE, err,
                       "area '%s': code '%s' is not an ONS GSS code (a capital letter and 8 digits, like E07000118)",
                       name, code);
    if (code && strmap_get(codes, code, &first))
        return row_err(r, COL_AREA_CODE, err, "area '%s': code %s is given twice (first on %s %lld)", name, code,
                       r->src->unit, (long long)first);
    if (code)
        strmap_put(codes, code, line);
    if (parent && strcmp(parent, name) == 0)
        return row_err(r, COL_AREA_PARENT, err, "area '%s' cannot be its own parent", name);
    if (store_area_put(s, name, code, parent, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* Population: area,code,year,population. The area is a declared one named
 * in `area`, or the one whose GSS code is `code`; with both, a known area
 * gets that code. Residents of a calendar year: a whole number above 0. */
static int import_population_row(Store *s, Row *r, StrMap *seen, Err *err)
{
    long line = r->src->line;
    const char *name = row_get(r, COL_POP_AREA), *code = row_get(r, COL_POP_CODE), *year = row_get(r, COL_POP_YEAR),
               *pt = row_get(r, COL_POP_POPULATION);
    int64_t area_id = 0, pop, first;
    char *by_code = NULL;
    if (!year && r->map && r->map->year)
        year = r->map->year;
    if (r->map && (code || name)) {
        /* under a mapping, rows of areas not declared (countries, regions) are skipped */
        int64_t id = 0;
        int known = 0;
        if (name && store_area_id(s, name, 0, &id, err) < 0)
            return -1;
        known = id != 0;
        if (!known && code && validate_gss_code(code) && (known = store_area_by_code(s, code, &id, NULL, err)) < 0)
            return -1;
        if (!known) {
            r->skipped++;
            return 1;
        }
    }
    if (!name && !code)
        return row_err(r, COL_POP_AREA, err, "missing area (give its name in `area`, or its GSS code in `code`)");
    if (code && !validate_gss_code(code))
        return row_err(r, COL_POP_CODE, err,
                       "code '%s' is not an ONS GSS code (a capital letter and 8 digits, like E07000118)", code);
    if (!year)
        return row_err(r, COL_POP_YEAR, err, "missing year");
    if (strlen(year) != 4 || strspn(year, "0123456789") != 4 || atoi(year) < 1800)
        return row_err(r, COL_POP_YEAR, err, "year '%s': expected a calendar year such as 2021", year);
    if (!pt)
        return row_err(r, COL_POP_POPULATION, err, "missing population");
    if (import_number(pt, "population", &pop, r, COL_POP_POPULATION, err) < 0)
        return -1;
    if (pop <= 0 || pop % FQ_SCALE != 0)
        return row_err(r, COL_POP_POPULATION, err, "population '%s': expected a whole number of residents, more than 0",
                       pt);
    pop /= FQ_SCALE;
    if (name) {
        if (store_area_id(s, name, 0, &area_id, err) < 0) {
            row_prefix(r, -1, err);
            return -1;
        }
    }
    if (!area_id && code) {
        int got = store_area_by_code(s, code, &area_id, &by_code, err);
        if (got < 0) {
            row_prefix(r, -1, err);
            return -1;
        }
        if (got)
            name = NULL; /* the file's name is another spelling of the area with that code */
    }
    free(by_code);
    if (!area_id) {
        if (!name)
            return row_err(r, COL_POP_CODE, err,
                           "no declared area has the code %s (declare it with `kpi import areas`)", code);
        int v = validate_area(s, name, &area_id, err);
        if (v != 0) {
            row_prefix(r, COL_POP_AREA, err);
            return -1;
        }
    } else if (name && code && store_area_code_set(s, area_id, name, code, err) < 0) {
        row_prefix(r, COL_POP_CODE, err);
        return -1;
    }
    if (import_seen_before(seen, line, &first, "%lld\x1f%s", (long long)area_id, year))
        return row_err(r, COL_POP_YEAR, err, "a second population for %s, %s (first on %s %lld)", name ? name : code,
                       year, r->src->unit, (long long)first);
    if (store_population_put(s, area_id, atoi(year), pop, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

/* Groups being read from a groups file: names in order of first appearance,
 * each with its areas in file order. */
typedef struct ImportGroups {
    StrMap index;  /* group name -> slot */
    char **names;
    int64_t **areas;
    int *nareas, *capareas;
    int n, cap;
} ImportGroups;

/* Groups: group,area. Each group named in the file is made exactly the
 * areas the file gives it (written at the end of the file). */
static int import_group_row(Store *s, Row *r, ImportGroups *g, StrMap *seen, Err *err)
{
    long line = r->src->line;
    const char *group = row_get(r, COL_GRP_GROUP), *area = row_get(r, COL_GRP_AREA);
    int64_t area_id, slot, first;
    if (!group)
        return row_err(r, COL_GRP_GROUP, err, "missing group");
    if (strlen(group) > 200)
        return row_err(r, COL_GRP_GROUP, err, "group name too long (at most 200 bytes)");
    if (!area)
        return row_err(r, COL_GRP_AREA, err, "group '%s': missing area", group);
    if (validate_area(s, area, &area_id, err) != 0) {
        row_prefix(r, COL_GRP_AREA, err);
        return -1;
    }
    if (import_seen_before(seen, line, &first, "%s\x1f%lld", group, (long long)area_id))
        return row_err(r, COL_GRP_AREA, err, "area '%s' appears twice in group '%s' (first on %s %lld)", area, group,
                       r->src->unit, (long long)first);
    if (!strmap_get(&g->index, group, &slot)) {
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 8;
            g->names = xrealloc(g->names, (size_t)g->cap * sizeof *g->names);
            g->areas = xrealloc(g->areas, (size_t)g->cap * sizeof *g->areas);
            g->nareas = xrealloc(g->nareas, (size_t)g->cap * sizeof *g->nareas);
            g->capareas = xrealloc(g->capareas, (size_t)g->cap * sizeof *g->capareas);
        }
        slot = g->n++;
        g->names[slot] = xstrdup(group);
        g->areas[slot] = NULL;
        g->nareas[slot] = g->capareas[slot] = 0;
        strmap_put(&g->index, group, slot);
    }
    if (g->nareas[slot] == g->capareas[slot]) {
        g->capareas[slot] = g->capareas[slot] ? g->capareas[slot] * 2 : 16;
        g->areas[slot] = xrealloc(g->areas[slot], (size_t)g->capareas[slot] * sizeof **g->areas);
    }
    g->areas[slot][g->nareas[slot]++] = area_id;
    return 0;
}

static void import_groups_release(ImportGroups *g)
{
    for (int k = 0; k < g->n; k++) {
        free(g->names[k]);
        free(g->areas[k]);
    }
    free(g->names);
    free(g->areas);
    free(g->nareas);
    free(g->capareas);
    strmap_release(&g->index);
}

/* Rebases: indicator,period,reason. The period starts a new segment of the
 * indicator's SPC series (in every area). */
static int import_rebase_row(Store *s, Row *r, Lookup *lk, StrMap *seen, Err *err)
{
    long line = r->src->line;
    const char *code = row_get(r, COL_REB_INDICATOR), *ptext = row_get(r, COL_REB_PERIOD),
               *reason = row_get(r, COL_REB_REASON);
    Period p;
    if (!code)
        return row_err(r, COL_REB_INDICATOR, err, "missing indicator");
    const Indicator *ind = import_find_indicator(lk->inds, lk->ninds, &lk->by_code, code, r, COL_REB_INDICATOR, err);
    if (!ind)
        return -1;
    if (!ptext)
        return row_err(r, COL_REB_PERIOD, err, "missing period");
    if (import_period(s, ptext, &p, r, COL_REB_PERIOD, err) < 0)
        return -1;
    if (!reason)
        return row_err(r, COL_REB_REASON, err, "missing reason (say why the process changed)");
    int64_t first;
    if (import_seen_before(seen, line, &first, "%s\x1f%d", code, p.first))
        return row_err(r, COL_REB_INDICATOR, err, "a second rebase for %s at %s (first on %s %lld)", code, ptext,
                       r->src->unit, (long long)first);
    if (store_rebase_put(s, ind->id, p, reason, err) < 0) {
        row_prefix(r, -1, err);
        return -1;
    }
    return 0;
}

int import_csv(Store *s, ImportKind kind, const char *path, Buf *summary, Err *err)
{
    return import_file(s, kind, path, NULL, summary, err);
}

int import_file(Store *s, ImportKind kind, const char *path, const char *sheet, Buf *summary, Err *err)
{
    return import_file_mapped(s, kind, path, sheet, NULL, summary, err);
}

int import_map_parse(const char *text, const char *year, ImportKind kind, ImportMap *out, Err *err)
{
    const char *const *names = import_columns[kind];
    memset(out, 0, sizeof *out);
    out->storage = xstrdup(text);
    out->year = year;
    for (char *p = out->storage, *next; p && *p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(p, '=');
        if (!eq || eq == p || !eq[1])
            return err_set(err, "--map '%s': expected COLUMN=HEADER pairs separated by commas", text);
        *eq = '\0';
        int known = 0;
        for (int c = 0; names[c]; c++)
            known |= strcmp(names[c], p) == 0;
        if (!known)
            return err_set(err, "--map: '%s' is not a column of %s", p, import_kind_names[kind]);
        for (int m = 0; m < out->n; m++)
            if (strcmp(out->to[m], p) == 0)
                return err_set(err, "--map: column '%s' is mapped twice", p);
        if (out->n == IMPORT_MAX_COLUMNS)
            return err_set(err, "--map: too many columns");
        out->to[out->n] = p;
        out->from[out->n++] = eq + 1;
    }
    for (int q = 0; import_required[kind][q]; q++) {
        int have = strcmp(import_required[kind][q], "year") == 0 && year;
        for (int m = 0; m < out->n; m++)
            have |= strcmp(out->to[m], import_required[kind][q]) == 0;
        if (!have)
            return err_set(err, "--map: column '%s' is not mapped%s", import_required[kind][q],
                           strcmp(import_required[kind][q], "year") == 0 ? " (or give --year)" : "");
    }
    return 0;
}

void import_map_release(ImportMap *m)
{
    free(m->storage);
    memset(m, 0, sizeof *m);
}

int import_file_mapped(Store *s, ImportKind kind, const char *path, const char *sheet, const ImportMap *map,
                       Buf *summary, Err *err)
{
    Rows src;
    Row r;
    Lookup lk;
    StrMap seen, codes;
    ImportGroups groups;
    int rc = -1, nrows = 0;

    memset(&r, 0, sizeof r);
    r.map = map;
    memset(&lk, 0, sizeof lk);
    strmap_init(&lk.by_code);
    strmap_init(&lk.project_by_code);
    strmap_init(&seen);
    strmap_init(&codes);
    memset(&groups, 0, sizeof groups);
    strmap_init(&groups.index);
    r.src = &src;

    if (rows_open(&src, path, sheet, err) < 0)
        goto out;
    if (import_header(&r, kind, err) < 0)
        goto out;
    if (kind == IMPORT_VALUES || kind == IMPORT_TARGETS || kind == IMPORT_REBASES) {
        if (store_indicators(s, &lk.inds, &lk.ninds, err) < 0)
            goto out;
        for (int i = 0; i < lk.ninds; i++)
            strmap_put(&lk.by_code, lk.inds[i].code, i);
    }
    if (kind == IMPORT_STATUSES) {
        if (store_projects(s, &lk.projects, &lk.nprojects, err) < 0)
            goto out;
        for (int i = 0; i < lk.nprojects; i++)
            strmap_put(&lk.project_by_code, lk.projects[i].code, i);
    }
    for (;;) {
        int got = rows_next(&src, err);
        if (got < 0)
            goto out;
        if (got == 0)
            break;
        if (rows_check_width(&src, r.nheader, err) < 0)
            goto out;
        int ok;
        switch (kind) {
        case IMPORT_INDICATORS: ok = import_indicator_row(s, &r, &seen, err); break;
        case IMPORT_VALUES: ok = import_value_row(s, &r, &lk, &seen, err); break;
        case IMPORT_TARGETS: ok = import_target_row(s, &r, &lk, &seen, err); break;
        case IMPORT_PROJECTS: ok = import_project_row(s, &r, &seen, err); break;
        case IMPORT_STATUSES: ok = import_status_row(s, &r, &lk, &seen, err); break;
        case IMPORT_AREAS: ok = import_area_row(s, &r, &seen, &codes, err); break;
        case IMPORT_REBASES: ok = import_rebase_row(s, &r, &lk, &seen, err); break;
        case IMPORT_POPULATION: ok = import_population_row(s, &r, &seen, err); break;
        case IMPORT_GROUPS: ok = import_group_row(s, &r, &groups, &seen, err); break;
        default: PANIC("bad import kind %d", (int)kind);
        }
        if (ok < 0)
            goto out;
        if (ok == 0)
            nrows++;
    }
    if (lk.npending && import_values_flush(s, &lk, err) < 0) {
        err_prefix(err, path, 0);
        goto out;
    }
    if (kind == IMPORT_INDICATORS && import_check_framework(s, path, err) < 0)
        goto out;
    for (int k = 0; k < groups.n; k++) {
        if (store_group_replace(s, groups.names[k], "file", groups.areas[k], groups.nareas[k], err) < 0) {
            err_prefix(err, path, 0);
            goto out;
        }
    }
    if (kind == IMPORT_GROUPS)
        buf_printf(summary, "%d group%s (%d areas) from %s\n", groups.n, groups.n == 1 ? "" : "s", nrows, path);
    else if (r.skipped)
        buf_printf(summary, "%d %s from %s (%ld rows of undeclared areas skipped)\n", nrows, import_kind_names[kind],
                   path, r.skipped);
    else
        buf_printf(summary, "%d %s from %s\n", nrows, import_kind_names[kind], path);
    rc = 0;
out:
    rows_close(&src);
    for (int c = 0; c < IMPORT_MAX_COLUMNS; c++)
        buf_release(&r.cell[c]);
    store_indicators_free(lk.inds, lk.ninds);
    store_projects_free(lk.projects, lk.nprojects);
    strmap_release(&lk.by_code);
    strmap_release(&lk.project_by_code);
    for (size_t k = 0; k < lk.npending; k++)
        free(lk.pending[k].note);
    free(lk.pending);
    strmap_release(&seen);
    strmap_release(&codes);
    import_groups_release(&groups);
    return rc;
}
