/* xlsx_read.c — the rows of one worksheet of an .xlsx file. The package is
 * followed as a spreadsheet program follows it: _rels/.rels names the
 * workbook, the workbook names its sheets in order and points to their parts
 * through its relationships, and shared strings are loaded once; the sheet
 * part itself streams through xml.c, one row at a time. */
#include "xlsx_read.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "lazy_zip.h" /* after the library's header */

#define XLSX_SIG_DIGITS 15   /* significant digits a spreadsheet keeps and shows */
#define XLSX_MAX_DECIMALS 40 /* places printed for a tiny number before the checks refuse it */
#define XLSX_COL_LETTERS 3   /* letters of the widest column name (XFD) */
#define XLSX_REL_OFFICE "/officeDocument"
#define XLSX_REL_STRINGS "/sharedStrings"

static long xlsx_fill(void *ctx, char *buf, size_t cap, Err *err)
{
    XlsxReader *r = ctx;
    zip_int64_t got = zip_fread(r->zf, buf, cap);
    if (got < 0)
        return err_set(err, "%s: broken archive entry: %s", buf_cstr(&r->what), zip_file_strerror(r->zf));
    return (long)got;
}

/* Read a whole (small) part into out; 1 read, 0 absent, -1 error. */
static int xlsx_part(XlsxReader *r, const char *name, Buf *out, Err *err)
{
    zip_stat_t st;
    if (zip_stat(r->za, name, 0, &st) < 0)
        return 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)XLSX_MAX_PART)
        return err_set(err, "%s: %s is larger than %ld bytes", r->path, name, XLSX_MAX_PART);
    zip_file_t *zf = zip_fopen(r->za, name, 0);
    if (!zf)
        return err_set(err, "%s: %s: %s", r->path, name, zip_strerror(r->za));
    char chunk[XML_CHUNK];
    zip_int64_t got;
    int rc = 1;
    while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
        buf_append(out, chunk, (size_t)got);
        if (out->len > (size_t)XLSX_MAX_PART) {
            rc = err_set(err, "%s: %s is larger than %ld bytes", r->path, name, XLSX_MAX_PART);
            break;
        }
    }
    if (got < 0 && rc > 0)
        rc = err_set(err, "%s: %s: broken archive entry: %s", r->path, name, zip_file_strerror(zf));
    zip_fclose(zf);
    return rc;
}

/* Resolve a relationship target against the folder of the part that holds it
 * ("xl/" + "worksheets/sheet1.xml"; "/xl/x.xml" is absolute; ".." climbs). */
static void xlsx_resolve(const char *base_dir, const char *target, Buf *out)
{
    Buf path = BUF_INIT;
    if (target[0] == '/')
        buf_puts(&path, target + 1);
    else
        buf_printf(&path, "%s%s", base_dir, target);
    /* normalise segment by segment */
    buf_reset(out);
    const char *p = buf_cstr(&path);
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (out->len > 0 && out->data[out->len - 1] == '/')
                out->len--;
            while (out->len > 0 && out->data[out->len - 1] != '/')
                out->len--;
            if (out->data)
                out->data[out->len] = '\0';
        } else if (!(n == 1 && p[0] == '.') && n > 0) {
            buf_append(out, p, n);
            if (p[n] == '/')
                buf_putc(out, '/');
        }
        p += n;
        if (*p == '/')
            p++;
    }
    buf_release(&path);
}

/* Find in a relationships part the target of the relationship with this Id,
 * or (id NULL) of the first whose Type ends with type_suffix. */
static int xlsx_rel_target(XlsxReader *r, const Buf *rels, const char *what, const char *id,
                           const char *type_suffix, Buf *target, Err *err)
{
    XmlReader x;
    int rc = 0, ev;
    xml_init_mem(&x, buf_cstr(rels), rels->len, what);
    while ((ev = xml_next(&x, err)) > 0) {
        if (ev != XML_START || strcmp(xml_name(&x), "Relationship") != 0)
            continue;
        const char *rid = xml_attr(&x, "Id"), *type = xml_attr(&x, "Type"), *tg = xml_attr(&x, "Target");
        if (!tg)
            continue;
        int match;
        if (id) {
            match = rid && strcmp(rid, id) == 0;
        } else {
            size_t tl = type ? strlen(type) : 0, sl = strlen(type_suffix);
            match = tl >= sl && strcmp(type + tl - sl, type_suffix) == 0;
        }
        if (match) {
            buf_reset(target);
            buf_puts(target, tg);
            rc = 1;
            break;
        }
    }
    if (ev < 0)
        rc = -1;
    xml_release(&x);
    (void)r;
    return rc;
}

/* Decode the _xHHHH_ escapes OOXML uses for characters XML cannot carry. */
static void xlsx_unescape(const char *s, Buf *out)
{
    while (*s) {
        if (s[0] == '_' && s[1] == 'x' && isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3]) &&
            isxdigit((unsigned char)s[4]) && isxdigit((unsigned char)s[5]) && s[6] == '_') {
            char hex[5] = {s[2], s[3], s[4], s[5], '\0'};
            unsigned long cp = strtoul(hex, NULL, 16);
            if (cp < 0x80) {
                buf_putc(out, (char)cp);
            } else if (cp < 0x800) {
                buf_putc(out, (char)(0xC0 | (cp >> 6)));
                buf_putc(out, (char)(0x80 | (cp & 0x3F)));
            } else {
                buf_putc(out, (char)(0xE0 | (cp >> 12)));
                buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
                buf_putc(out, (char)(0x80 | (cp & 0x3F)));
            }
            s += 7;
            continue;
        }
        buf_putc(out, *s++);
    }
}

/* Collect the text of a string item (<si> or <is>) whose START was just read:
 * every <t>, except those of phonetic runs (<rPh>). */
static int xlsx_string_item(XmlReader *x, Buf *raw, Err *err)
{
    int depth = x->depth, in_t = 0, in_rph = 0, ev;
    while ((ev = xml_next(x, err)) > 0) {
        if (ev == XML_END && x->depth < depth)
            return 0;
        if (ev == XML_START && strcmp(xml_name(x), "rPh") == 0)
            in_rph++;
        else if (ev == XML_END && strcmp(xml_name(x), "rPh") == 0)
            in_rph--;
        else if (ev == XML_START && strcmp(xml_name(x), "t") == 0)
            in_t = 1;
        else if (ev == XML_END && strcmp(xml_name(x), "t") == 0)
            in_t = 0;
        else if (ev == XML_TEXT && in_t && !in_rph) {
            buf_puts(raw, xml_text(x));
            if (raw->len > XLSX_MAX_CELL)
                return err_set(err, "%s: a string longer than %d bytes", x->what, XLSX_MAX_CELL);
        }
    }
    if (ev == 0)
        return err_set(err, "%s: the document ends inside a string", x->what);
    return -1;
}

/* Load the shared strings part (absent is fine: a sheet of numbers has none). */
static int xlsx_load_strings(XlsxReader *r, const char *part, Err *err)
{
    Buf what = BUF_INIT, raw = BUF_INIT;
    int rc = -1, ev;
    zip_file_t *keep = r->zf;
    buf_printf(&what, "%s:%s", r->path, part);
    r->zf = zip_fopen(r->za, part, 0);
    if (!r->zf) {
        r->zf = keep;
        buf_release(&what);
        return 0;
    }
    XmlReader x;
    /* xlsx_fill reports errors under r->what: point it at this part meanwhile */
    Buf saved = r->what;
    r->what = what;
    xml_init(&x, xlsx_fill, r, buf_cstr(&r->what));
    while ((ev = xml_next(&x, err)) > 0) {
        if (ev != XML_START || strcmp(xml_name(&x), "si") != 0)
            continue;
        buf_reset(&raw);
        if (xlsx_string_item(&x, &raw, err) < 0)
            goto out;
        if (r->nsst == r->capsst) {
            r->capsst = r->capsst ? r->capsst * 2 : 256;
            r->sst_off = xrealloc(r->sst_off, (size_t)r->capsst * sizeof *r->sst_off);
        }
        r->sst_off[r->nsst++] = r->sst.len;
        xlsx_unescape(buf_cstr(&raw), &r->sst);
        buf_putc(&r->sst, '\0');
        if (r->sst.len > (size_t)XLSX_MAX_STRINGS) {
            err_set(err, "%s: shared strings larger than %ld bytes", buf_cstr(&r->what), XLSX_MAX_STRINGS);
            goto out;
        }
    }
    if (ev == 0)
        rc = 0;
out:
    xml_release(&x);
    zip_fclose(r->zf);
    r->zf = keep;
    what = r->what;
    r->what = saved;
    buf_release(&what);
    buf_release(&raw);
    return rc;
}

void xlsx_cell_name(Buf *out, int col, long row)
{
    char letters[XLSX_COL_LETTERS + 1];
    int n = 0;
    col++;
    while (col > 0 && n < XLSX_COL_LETTERS) {
        int rem = (col - 1) % 26;
        letters[n++] = (char)('A' + rem);
        col = (col - 1) / 26;
    }
    while (n > 0)
        buf_putc(out, letters[--n]);
    buf_printf(out, "%ld", row);
}

int xlsx_ref_parse(const char *ref, int *col, long *row)
{
    const char *p = ref;
    long c = 0, rw = 0;
    int letters = 0;
    if (*p == '$')
        p++;
    while (isalpha((unsigned char)*p)) {
        c = c * 26 + (toupper((unsigned char)*p) - 'A' + 1);
        p++;
        if (++letters > XLSX_COL_LETTERS)
            return -1;
    }
    if (*p == '$')
        p++;
    if (!letters || !isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p)) {
        rw = rw * 10 + (*p - '0');
        p++;
        if (rw > XLSX_MAX_ROWS)
            return -1;
    }
    if (*p || c > XLSX_MAX_COLS || rw < 1)
        return -1;
    *col = (int)c - 1;
    *row = rw;
    return 0;
}

void xlsx_where(Buf *out, const char *path, const char *sheet, int col, long row)
{
    buf_printf(out, "%s:", path);
    int plain = sheet[0] != '\0';
    for (const char *s = sheet; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            plain = 0;
    if (plain) {
        buf_puts(out, sheet);
    } else {
        buf_putc(out, '\'');
        for (const char *s = sheet; *s; s++) {
            if (*s == '\'')
                buf_putc(out, '\'');
            buf_putc(out, *s);
        }
        buf_putc(out, '\'');
    }
    if (row <= 0)
        return;
    buf_putc(out, '!');
    if (col < 0)
        buf_printf(out, "%ld:%ld", row, row);
    else
        xlsx_cell_name(out, col, row);
}

/* Fail with FILE:SHEET!CELL: message. */
static int xlsx_cell_err(XlsxReader *r, int col, Err *err, const char *what)
{
    Buf loc = BUF_INIT;
    xlsx_where(&loc, r->path, r->sheet, col, r->row);
    err_set(err, "%s: %s", buf_cstr(&loc), what);
    buf_release(&loc);
    return -1;
}

int xlsx_open(XlsxReader *r, const char *path, const char *sheet, Err *err)
{
    Buf rels = BUF_INIT, wb = BUF_INIT, target = BUF_INIT, part = BUF_INIT, dir = BUF_INIT;
    Buf names = BUF_INIT, what = BUF_INIT, rid = BUF_INIT;
    int rc = -1, code = 0, found, ev, nsheets = 0;
    XmlReader x;
    int xml_used = 0;

    memset(r, 0, sizeof *r);
    r->path = path;
    if (lazy_zip_load(err) < 0)
        return -1;
    r->za = zip_open(path, ZIP_RDONLY, &code);
    if (!r->za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        err_set(err, "%s: not an .xlsx workbook: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    /* the workbook part, through the package relationships */
    if ((found = xlsx_part(r, "_rels/.rels", &rels, err)) < 0)
        goto out;
    buf_printf(&what, "%s:_rels/.rels", path);
    if (found && (found = xlsx_rel_target(r, &rels, buf_cstr(&what), NULL, XLSX_REL_OFFICE, &target, err)) < 0)
        goto out;
    if (found)
        xlsx_resolve("", buf_cstr(&target), &part);
    else
        buf_puts(&part, "xl/workbook.xml");
    if ((found = xlsx_part(r, buf_cstr(&part), &wb, err)) < 0)
        goto out;
    if (!found) {
        err_set(err, "%s: not an .xlsx workbook (it has no %s)", path, buf_cstr(&part));
        goto out;
    }
    const char *slash = strrchr(buf_cstr(&part), '/');
    buf_append(&dir, buf_cstr(&part), slash ? (size_t)(slash - buf_cstr(&part)) + 1 : 0);
    /* the sheet asked for, or the first */
    buf_reset(&what);
    buf_printf(&what, "%s:%s", path, buf_cstr(&part));
    xml_init_mem(&x, buf_cstr(&wb), wb.len, buf_cstr(&what));
    xml_used = 1;
    while ((ev = xml_next(&x, err)) > 0) {
        if (ev != XML_START || strcmp(xml_name(&x), "sheet") != 0)
            continue;
        const char *name = xml_attr(&x, "name"), *id = xml_attr(&x, "id");
        if (!name || !id)
            continue;
        buf_printf(&names, "%s%s", nsheets++ ? ", " : "", name);
        if (!r->sheet && (!sheet || strcasecmp(sheet, name) == 0)) {
            r->sheet = xstrdup(name);
            buf_puts(&rid, id);
        }
    }
    if (ev < 0)
        goto out;
    if (!r->sheet) {
        if (sheet)
            err_set(err, "%s: no sheet '%s' (sheets: %s)", path, sheet, nsheets ? buf_cstr(&names) : "none");
        else
            err_set(err, "%s: the workbook has no sheets", path);
        goto out;
    }
    /* the workbook's relationships: the sheet's part and the shared strings */
    buf_reset(&rels);
    buf_reset(&target);
    Buf relpart = BUF_INIT;
    buf_printf(&relpart, "%s_rels/%s.rels", buf_cstr(&dir), slash ? slash + 1 : buf_cstr(&part));
    found = xlsx_part(r, buf_cstr(&relpart), &rels, err);
    buf_reset(&what);
    buf_printf(&what, "%s:%s", path, buf_cstr(&relpart));
    buf_release(&relpart);
    if (found < 0)
        goto out;
    if (found && (found = xlsx_rel_target(r, &rels, buf_cstr(&what), buf_cstr(&rid), NULL, &target, err)) < 0)
        goto out;
    if (!found) {
        err_set(err, "%s: sheet '%s' has no part in the workbook's relationships", path, r->sheet);
        goto out;
    }
    Buf sheet_part = BUF_INIT;
    xlsx_resolve(buf_cstr(&dir), buf_cstr(&target), &sheet_part);
    buf_reset(&target);
    found = rels.len ? xlsx_rel_target(r, &rels, buf_cstr(&what), NULL, XLSX_REL_STRINGS, &target, err) : 0;
    if (found < 0) {
        buf_release(&sheet_part);
        goto out;
    }
    if (found)
        xlsx_resolve(buf_cstr(&dir), buf_cstr(&target), &part);
    else {
        buf_reset(&part);
        buf_printf(&part, "%ssharedStrings.xml", buf_cstr(&dir));
    }
    buf_printf(&r->what, "%s:%s", path, buf_cstr(&sheet_part));
    if (xlsx_load_strings(r, buf_cstr(&part), err) < 0) {
        buf_release(&sheet_part);
        goto out;
    }
    r->zf = zip_fopen(r->za, buf_cstr(&sheet_part), 0);
    if (!r->zf) {
        err_set(err, "%s: sheet '%s': its part %s is missing", path, r->sheet, buf_cstr(&sheet_part));
        buf_release(&sheet_part);
        goto out;
    }
    buf_release(&sheet_part);
    xml_init(&r->xml, xlsx_fill, r, buf_cstr(&r->what));
    r->xml_open = 1;
    rc = 0;
out:
    if (xml_used)
        xml_release(&x);
    buf_release(&rels);
    buf_release(&wb);
    buf_release(&target);
    buf_release(&part);
    buf_release(&dir);
    buf_release(&names);
    buf_release(&what);
    buf_release(&rid);
    return rc;
}

void xlsx_close(XlsxReader *r)
{
    if (r->xml_open)
        xml_release(&r->xml);
    if (r->zf)
        zip_fclose(r->zf);
    if (r->za)
        zip_discard(r->za);
    free(r->sheet);
    buf_release(&r->what);
    buf_release(&r->sst);
    free(r->sst_off);
    buf_release(&r->cells);
    free(r->cell_at);
    memset(r, 0, sizeof *r);
}

/* A number as a spreadsheet shows it: plain decimal, XLSX_SIG_DIGITS
 * significant digits, no exponent, no trailing zeros. Text that is not a
 * number is kept as it is (the importer's checks then name it). */
static void xlsx_number(const char *v, Buf *out)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d)) {
        buf_puts(out, v);
        return;
    }
    if (d == 0) {
        buf_putc(out, '0');
        return;
    }
    int e = (int)floor(log10(fabs(d)));
    int decimals = XLSX_SIG_DIGITS - 1 - e;
    if (decimals < 0)
        decimals = 0;
    if (decimals > XLSX_MAX_DECIMALS)
        decimals = XLSX_MAX_DECIMALS;
    size_t start = out->len;
    buf_printf(out, "%.*f", decimals, d);
    if (decimals > 0) {
        while (out->len > start && out->data[out->len - 1] == '0')
            out->len--;
        if (out->len > start && out->data[out->len - 1] == '.')
            out->len--;
        out->data[out->len] = '\0';
    }
    if (strcmp(out->data + start, "-0") == 0) {
        out->len = start;
        buf_putc(out, '0');
    }
}

/* Store the text of column col of this row. */
static int xlsx_set_cell(XlsxReader *r, int col, const char *text, Err *err)
{
    if (!*text)
        return 0;
    if (!csv_utf8_valid(text, strlen(text)))
        return xlsx_cell_err(r, col, err, "not UTF-8 text");
    if (col >= r->capcells) {
        int ncap = r->capcells ? r->capcells : 16;
        while (ncap <= col)
            ncap *= 2;
        r->cell_at = xrealloc(r->cell_at, (size_t)ncap * sizeof *r->cell_at);
        r->capcells = ncap;
    }
    for (int c = r->ncells; c <= col; c++)
        r->cell_at[c] = -1;
    if (col >= r->ncells)
        r->ncells = col + 1;
    r->cell_at[col] = (long)r->cells.len;
    buf_puts(&r->cells, text);
    buf_putc(&r->cells, '\0');
    return 0;
}

/* Read one <c> whose START was just read; col is its column. */
static int xlsx_read_cell(XlsxReader *r, int col, Err *err)
{
    XmlReader *x = &r->xml;
    const char *t = xml_attr(x, "t");
    char type[16] = "n";
    if (t)
        snprintf(type, sizeof type, "%s", t);
    Buf v = BUF_INIT, raw = BUF_INIT, text = BUF_INIT;
    int depth = x->depth, in_v = 0, has_f = 0, has_v = 0, rc = -1, ev;
    while ((ev = xml_next(x, err)) > 0) {
        if (ev == XML_END && x->depth < depth)
            break;
        if (ev == XML_START && strcmp(xml_name(x), "v") == 0) {
            in_v = 1;
            has_v = 1;
        } else if (ev == XML_END && strcmp(xml_name(x), "v") == 0) {
            in_v = 0;
        } else if (ev == XML_START && strcmp(xml_name(x), "f") == 0) {
            has_f = 1;
        } else if (ev == XML_START && strcmp(xml_name(x), "is") == 0) {
            has_v = 1;
            if (xlsx_string_item(x, &raw, err) < 0)
                goto out;
        } else if (ev == XML_TEXT && in_v) {
            buf_puts(&v, xml_text(x));
            if (v.len > XLSX_MAX_CELL) {
                xlsx_cell_err(r, col, err, "a cell value that is too long");
                goto out;
            }
        }
    }
    if (ev < 0)
        goto out;
    if (ev == 0) {
        err_set(err, "%s: the document ends inside a cell", x->what);
        goto out;
    }
    if (has_f && !has_v) {
        xlsx_cell_err(r, col, err,
                      "a formula without a computed value (open and save the file in a spreadsheet program)");
        goto out;
    }
    if (strcmp(type, "s") == 0) {
        char *end;
        long i = strtol(buf_cstr(&v), &end, 10);
        if (!v.len || *end || i < 0 || i >= r->nsst) {
            xlsx_cell_err(r, col, err, "a shared string that the workbook does not have");
            goto out;
        }
        buf_puts(&text, r->sst.data + r->sst_off[i]);
    } else if (strcmp(type, "inlineStr") == 0) {
        xlsx_unescape(buf_cstr(&raw), &text);
    } else if (strcmp(type, "str") == 0) {
        xlsx_unescape(buf_cstr(&v), &text);
    } else if (strcmp(type, "b") == 0) {
        buf_puts(&text, strcmp(buf_cstr(&v), "1") == 0 ? "TRUE" : v.len ? "FALSE" : "");
    } else if (strcmp(type, "n") == 0) {
        if (v.len)
            xlsx_number(buf_cstr(&v), &text);
    } else {
        buf_puts(&text, buf_cstr(&v)); /* e (error) and d (ISO date): as written */
    }
    rc = xlsx_set_cell(r, col, buf_cstr(&text), err);
out:
    buf_release(&v);
    buf_release(&raw);
    buf_release(&text);
    return rc;
}

/* Read the cells of a <row> whose START was just read. */
static int xlsx_read_row(XlsxReader *r, Err *err)
{
    XmlReader *x = &r->xml;
    const char *rn = xml_attr(x, "r");
    long row = r->row + 1;
    if (rn) {
        char *end;
        row = strtol(rn, &end, 10);
        if (*end || row < 1 || row > XLSX_MAX_ROWS)
            return err_set(err, "%s: a row numbered '%s'", x->what, rn);
    }
    r->row = row;
    buf_reset(&r->cells);
    r->ncells = 0;
    int depth = x->depth, col = -1, ev;
    while ((ev = xml_next(x, err)) > 0) {
        if (ev == XML_END && x->depth < depth)
            return 0;
        if (ev != XML_START)
            continue;
        if (strcmp(xml_name(x), "c") != 0) {
            if (xml_skip(x, err) < 0)
                return -1;
            continue;
        }
        const char *ref = xml_attr(x, "r");
        if (ref) {
            long crow;
            if (xlsx_ref_parse(ref, &col, &crow) < 0 || crow != row)
                return err_set(err, "%s: row %ld: a cell named '%s'", x->what, row, ref);
        } else {
            col++;
            if (col >= XLSX_MAX_COLS)
                return err_set(err, "%s: row %ld: more than %d columns", x->what, row, XLSX_MAX_COLS);
        }
        if (xlsx_read_cell(r, col, err) < 0)
            return -1;
    }
    if (ev == 0)
        return err_set(err, "%s: the document ends inside a row", x->what);
    return -1;
}

int xlsx_next(XlsxReader *r, Err *err)
{
    XmlReader *x = &r->xml;
    if (r->done)
        return 0;
    for (;;) {
        int ev = xml_next(x, err);
        if (ev < 0)
            return -1;
        if (ev == XML_EOF) {
            r->done = 1;
            return 0;
        }
        if (ev == XML_START && strcmp(xml_name(x), "sheetData") == 0) {
            r->in_data = 1;
        } else if (ev == XML_END && strcmp(xml_name(x), "sheetData") == 0) {
            r->done = 1;
            return 0;
        } else if (ev == XML_START && r->in_data && strcmp(xml_name(x), "row") == 0) {
            if (xlsx_read_row(r, err) < 0)
                return -1;
            if (r->ncells > 0)
                return 1;
        }
    }
}

long xlsx_row(const XlsxReader *r)
{
    return r->row;
}

int xlsx_ncells(const XlsxReader *r)
{
    return r->ncells;
}

const char *xlsx_cell(const XlsxReader *r, int col)
{
    if (col < 0 || col >= r->ncells || r->cell_at[col] < 0)
        return "";
    return r->cells.data + r->cell_at[col];
}

const char *xlsx_sheet(const XlsxReader *r)
{
    return r->sheet ? r->sheet : "";
}
