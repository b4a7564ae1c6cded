/* template.c — read a report template into the document tree.
 *
 * A template is front matter (the paper's frame: report of, meeting, purpose,
 * recommendations...) between `---` lines, then a Markdown subset (headings,
 * paragraphs, `- ` bullets, `1. `/`#. ` numbered paragraphs, **bold**,
 * *italic*) with directives in double braces that pull figures, tables,
 * sentences, charts and project cards from the ReportCtx. docs/templates.md is
 * the officers' reference; this file follows it section by section:
 *   lines and errors — front matter — directive syntax — figure formatting —
 *   inline text — inline directives — block directives — frames — body — entry.
 * Every error names the template line. Nothing here touches the database: the
 * figures come computed in the ReportCtx. */
#include "template.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "narrative.h"
#include "present.h"
#include "report_spc.h"
#include "validate.h"

#define TPL_MAX_HEADING 3       /* # .. ### */
#define TPL_INDENT_PER_LEVEL 2  /* spaces of indentation per list level */
#define TPL_TAB_WIDTH 4         /* a tab counts as this many spaces */
#define TPL_MAX_NUMBER 99999    /* largest paragraph number written by hand */
#define TPL_MAX_DECIMALS 6      /* decimals= accepts 0..this */
#define TPL_TICK_COLUMNS 2      /* ticked lists are laid out two to a row */

/* ------------------------------------------------------------------ */
/* Front matter keys                                                  */
/* ------------------------------------------------------------------ */

typedef enum FmKind { FM_TEXT, FM_LIST, FM_TICKS, FM_YESNO } FmKind;

typedef enum FmKey {
    FM_REPORT_OF, FM_MEETING, FM_DATE, FM_TITLE, FM_PURPOSE, FM_RECOMMENDATIONS,
    FM_REASONS, FM_ALTERNATIVES, FM_CONFIDENTIAL, FM_KEY_DECISION, FM_PRIORITIES,
    FM_IMPLICATIONS, FM_SIGNATORY, FM_SIGNATORY_TITLE, FM_BACKGROUND_PAPERS, FM_AUTHOR,
    FM_EXTENSION, FM_AUTHOR_DATE, FM_DOC_ID, FM_NKEYS
} FmKey;

static const struct {
    const char *name;
    FmKind kind;
} FM_KEYS[FM_NKEYS] = {
    [FM_REPORT_OF] = {"report_of", FM_TEXT},
    [FM_MEETING] = {"meeting", FM_TEXT},
    [FM_DATE] = {"date", FM_TEXT},
    [FM_TITLE] = {"title", FM_TEXT},
    [FM_PURPOSE] = {"purpose", FM_LIST},
    [FM_RECOMMENDATIONS] = {"recommendations", FM_LIST},
    [FM_REASONS] = {"reasons", FM_LIST},
    [FM_ALTERNATIVES] = {"alternatives", FM_LIST},
    [FM_CONFIDENTIAL] = {"confidential", FM_YESNO},
    [FM_KEY_DECISION] = {"key_decision", FM_YESNO},
    [FM_PRIORITIES] = {"priorities", FM_TICKS},
    [FM_IMPLICATIONS] = {"implications", FM_TICKS},
    [FM_SIGNATORY] = {"signatory", FM_TEXT},
    [FM_SIGNATORY_TITLE] = {"signatory_title", FM_TEXT},
    [FM_BACKGROUND_PAPERS] = {"background_papers", FM_TEXT},
    [FM_AUTHOR] = {"author", FM_TEXT},
    [FM_EXTENSION] = {"extension", FM_TEXT},
    [FM_AUTHOR_DATE] = {"author_date", FM_TEXT},
    [FM_DOC_ID] = {"doc_id", FM_TEXT},
};

typedef struct FmItem {
    Buf text;
    long line;
    int ticked;
} FmItem;

typedef struct FmValue {
    int set;
    long line;      /* where the key is */
    Buf text;       /* FM_TEXT */
    int yes;        /* FM_YESNO */
    FmItem *items;  /* FM_LIST, FM_TICKS */
    int n, cap;
} FmValue;

/* ------------------------------------------------------------------ */
/* The builder's state                                                */
/* ------------------------------------------------------------------ */

typedef enum FrameKind {
    FRAME_HEAD, FRAME_DECISION, FRAME_PRIORITIES, FRAME_IMPLICATIONS, FRAME_SIGNATURE,
    FRAME_AUTHOR, FRAME_COUNT
} FrameKind;

static const char *const FRAME_NAMES[FRAME_COUNT] = {
    "head", "decision", "priorities", "implications", "signature", "author",
};

typedef struct Tpl {
    const char *path;
    const ReportCtx *ctx;
    Err *err;
    Doc *doc;
    FmValue fm[FM_NKEYS];
    int para_no;            /* the last paragraph number used */
    int frames_placed;      /* 1 once the template places any frame */
    DocList *list;          /* the list that a following item joins, or NULL */
    /* What the paper lacks (template_build_checked): each indicator shown with
     * a missing figure and the spans (FigSpan bits) it lacks, in the order
     * first met; lines about the delivery plan and projects. */
    const ReportIndicator **lack_ri;
    unsigned *lack_spans;
    int nlack, caplack;
    Buf lack_other;
    /* Set by an inline directive that has no figure to give: the sentence that
     * replaces the template's sentence holding it (tpl_inline). */
    Buf gap;
} Tpl;

__attribute__((format(printf, 3, 4)))
static int tpl_err(Tpl *t, long line, const char *fmt, ...)
{
    Buf msg = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    err_at(t->err, t->path, line, "%s", buf_cstr(&msg));
    buf_release(&msg);
    return -1;
}

static int tpl_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Upper-case ASCII letters of b from `from` on (multi-byte letters stay). */
static void tpl_upper_from(Buf *b, size_t from)
{
    for (size_t i = from; i < b->len; i++)
        if (b->data[i] >= 'a' && b->data[i] <= 'z')
            b->data[i] = (char)(b->data[i] - 'a' + 'A');
}

/* ------------------------------------------------------------------ */
/* Lines                                                              */
/* ------------------------------------------------------------------ */

typedef struct TplLine {
    size_t off;     /* offset of the first byte in the text */
    size_t n;       /* length without the line ending */
    long no;        /* 1-based line number */
} TplLine;

typedef struct TplLines {
    TplLine *v;
    int n;
} TplLines;

static void tpl_split_lines(const char *s, size_t len, size_t start, TplLines *out)
{
    int cap = 0;
    long no = 1;
    out->v = NULL;
    out->n = 0;
    for (size_t i = 0; i < start; i++)
        no += s[i] == '\n';
    size_t i = start;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '\n')
            j++;
        size_t n = j - i;
        if (n > 0 && s[i + n - 1] == '\r')
            n--;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->v = xrealloc(out->v, (size_t)cap * sizeof(TplLine));
        }
        out->v[out->n++] = (TplLine){i, n, no++};
        i = j < len ? j + 1 : j;
    }
}

/* ------------------------------------------------------------------ */
/* Front matter                                                       */
/* ------------------------------------------------------------------ */

static int tpl_line_is(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == w && memcmp(s, word, w) == 0;
}

/* Strip one pair of matching quotes around a value. */
static void tpl_unquote(const char **s, size_t *n)
{
    if (*n >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'') && (*s)[*n - 1] == (*s)[0]) {
        (*s)++;
        *n -= 2;
    }
}

static void tpl_trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static FmItem *fm_add_item(FmValue *v, long line)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->items = xrealloc(v->items, (size_t)v->cap * sizeof(FmItem));
    }
    FmItem *it = &v->items[v->n++];
    buf_init(&it->text);
    it->line = line;
    it->ticked = 0;
    return it;
}

/* Fill an item from "[x] text", "[ ] text" (ticked lists) or "text". */
static int fm_item_text(Tpl *t, FmKey key, FmItem *it, const char *s, size_t n, long line)
{
    if (FM_KEYS[key].kind == FM_TICKS) {
        if (n >= 3 && s[0] == '[' && s[2] == ']' && (s[1] == 'x' || s[1] == 'X' || s[1] == ' ')) {
            it->ticked = s[1] != ' ';
            s += 3;
            n -= 3;
            tpl_trim(&s, &n);
        } else {
            return tpl_err(t, line, "'%s' items are ticked: write '- [x] item' or '- [ ] item'",
                           FM_KEYS[key].name);
        }
    }
    tpl_unquote(&s, &n);
    buf_append(&it->text, s, n);
    return 0;
}

static int fm_set_scalar(Tpl *t, FmKey key, const char *s, size_t n, long line)
{
    FmValue *v = &t->fm[key];
    tpl_unquote(&s, &n);
    if (FM_KEYS[key].kind == FM_YESNO) {
        if ((n == 3 && strncasecmp(s, "yes", 3) == 0) || (n == 4 && strncasecmp(s, "true", 4) == 0))
            v->yes = 1;
        else if ((n == 2 && strncasecmp(s, "no", 2) == 0) ||
                 (n == 5 && strncasecmp(s, "false", 5) == 0))
            v->yes = 0;
        else
            return tpl_err(t, line, "'%s' must be yes or no, not '%.*s'", FM_KEYS[key].name,
                           (int)n, s);
        return 0;
    }
    if (FM_KEYS[key].kind == FM_TEXT) {
        buf_append(&v->text, s, n);
        return 0;
    }
    return fm_item_text(t, key, fm_add_item(v, line), s, n, line);
}

/* Parse the front matter lines [first, last) (between the `---` lines).
 *   key: value        a text, yes/no, or a one-item list
 *   key:              followed by "  - item" lines (or "  - [x] item")
 *   indented text     continues the item or value above it
 *   # comment         ignored */
static int tpl_front_matter(Tpl *t, const char *text, const TplLines *L, int first, int last)
{
    int key = -1;        /* the key the following lines belong to */
    FmItem *item = NULL; /* the item a continuation line extends */
    for (int i = first; i < last; i++) {
        const char *s = text + L->v[i].off;
        size_t n = L->v[i].n;
        long line = L->v[i].no;
        size_t indent = 0;
        while (indent < n && (s[indent] == ' ' || s[indent] == '\t'))
            indent++;
        if (tpl_is_blank(s, n) || s[indent] == '#')
            continue;
        if (s[indent] == '-' && (n - indent == 1 || s[indent + 1] == ' ')) {
            const char *v = s + indent + 1;
            size_t vn = n - indent - 1;
            if (key < 0)
                return tpl_err(t, line, "list item without a key above it");
            if (FM_KEYS[key].kind != FM_LIST && FM_KEYS[key].kind != FM_TICKS)
                return tpl_err(t, line, "'%s' takes one value, not a list", FM_KEYS[key].name);
            tpl_trim(&v, &vn);
            item = fm_add_item(&t->fm[key], line);
            if (fm_item_text(t, (FmKey)key, item, v, vn, line) < 0)
                return -1;
            continue;
        }
        if (indent > 0) {
            /* continuation of the item or value above */
            const char *v = s + indent;
            size_t vn = n - indent;
            tpl_trim(&v, &vn);
            if (item) {
                buf_putc(&item->text, ' ');
                buf_append(&item->text, v, vn);
            } else if (key >= 0 && FM_KEYS[key].kind == FM_TEXT && t->fm[key].text.len > 0) {
                buf_putc(&t->fm[key].text, ' ');
                buf_append(&t->fm[key].text, v, vn);
            } else {
                return tpl_err(t, line, "indented line without an item or value above it");
            }
            continue;
        }
        size_t k = 0;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-'))
            k++;
        if (k == 0 || k >= n || s[k] != ':')
            return tpl_err(t, line, "expected 'key: value' in the front matter");
        key = -1;
        for (int j = 0; j < FM_NKEYS; j++)
            if (strlen(FM_KEYS[j].name) == k && strncmp(FM_KEYS[j].name, s, k) == 0)
                key = j;
        if (key < 0)
            return tpl_err(t, line, "unknown front matter key '%.*s'", (int)k, s);
        if (t->fm[key].set)
            return tpl_err(t, line, "'%s' is given twice (first on line %ld)", FM_KEYS[key].name,
                           t->fm[key].line);
        t->fm[key].set = 1;
        t->fm[key].line = line;
        item = NULL;
        const char *v = s + k + 1;
        size_t vn = n - k - 1;
        tpl_trim(&v, &vn);
        if (vn == 0) {
            if (FM_KEYS[key].kind == FM_YESNO)
                return tpl_err(t, line, "'%s' must be yes or no", FM_KEYS[key].name);
            continue;
        }
        if (fm_set_scalar(t, (FmKey)key, v, vn, line) < 0)
            return -1;
        if (FM_KEYS[key].kind == FM_LIST || FM_KEYS[key].kind == FM_TICKS)
            item = &t->fm[key].items[t->fm[key].n - 1];
    }
    return 0;
}

static void fm_release(FmValue *fm)
{
    for (int k = 0; k < FM_NKEYS; k++) {
        buf_release(&fm[k].text);
        for (int i = 0; i < fm[k].n; i++)
            buf_release(&fm[k].items[i].text);
        free(fm[k].items);
    }
}

/* ------------------------------------------------------------------ */
/* Directive syntax: {{name arg "quoted arg" key=value key="quoted"}} */
/* ------------------------------------------------------------------ */

typedef struct DirOpt {
    char *key;
    char *val;
} DirOpt;

typedef struct Dir {
    char *name;
    long line;          /* line of the opening "{{" */
    char **args;
    int nargs, capargs;
    DirOpt *opts;
    int nopts, capopts;
} Dir;

static void dir_release(Dir *d)
{
    free(d->name);
    for (int i = 0; i < d->nargs; i++)
        free(d->args[i]);
    free(d->args);
    for (int i = 0; i < d->nopts; i++) {
        free(d->opts[i].key);
        free(d->opts[i].val);
    }
    free(d->opts);
    memset(d, 0, sizeof(*d));
}

static void dir_add_arg(Dir *d, char *s)
{
    if (d->nargs == d->capargs) {
        d->capargs = d->capargs ? d->capargs * 2 : 4;
        d->args = xrealloc(d->args, (size_t)d->capargs * sizeof(char *));
    }
    d->args[d->nargs++] = s;
}

static const char *dir_opt(const Dir *d, const char *key)
{
    for (int i = 0; i < d->nopts; i++)
        if (strcmp(d->opts[i].key, key) == 0)
            return d->opts[i].val;
    return NULL;
}

static int dir_at_close(const char *s, size_t n, size_t i)
{
    return i + 1 < n && s[i] == '}' && s[i + 1] == '}';
}

/* A quoted value from s[*i] == '"': \" and \\ escape. Newlines count lines. */
static int dir_quoted(Tpl *t, const char *s, size_t n, size_t *i, long *line, Buf *out)
{
    long start = *line;
    size_t k = *i + 1;
    while (k < n && s[k] != '"') {
        if (s[k] == '\\' && k + 1 < n && (s[k + 1] == '"' || s[k + 1] == '\\'))
            k++;
        if (s[k] == '\n')
            (*line)++;
        if (s[k] != '\r')
            buf_putc(out, s[k] == '\n' ? ' ' : s[k]);
        k++;
    }
    if (k >= n)
        return tpl_err(t, start, "unterminated quoted value (no closing '\"')");
    *i = k + 1;
    return 0;
}

/* Parse the directive starting at s[*pos] == "{{". *line is the line of
 * s[*pos] on entry and of the byte after "}}" on return; *pos moves past "}}".
 * On error d is left for dir_release. */
static int dir_parse(Tpl *t, const char *s, size_t n, size_t *pos, long *line, Dir *d)
{
    size_t i = *pos + 2;
    Buf tok = BUF_INIT;
    int rc = -1;
    memset(d, 0, sizeof(*d));
    d->line = *line;
    while (i < n && isspace((unsigned char)s[i]))
        *line += s[i++] == '\n';
    size_t a = i;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
        i++;
    if (i == a) {
        if (dir_at_close(s, n, i))
            tpl_err(t, d->line, "empty directive '{{}}'");
        else if (i >= n)
            tpl_err(t, d->line, "unterminated directive: '{{' without '}}'");
        else
            tpl_err(t, d->line, "a directive name must follow '{{'");
        goto out;
    }
    d->name = xstrndup(s + a, i - a);
    for (;;) {
        while (i < n && isspace((unsigned char)s[i]))
            *line += s[i++] == '\n';
        if (i >= n) {
            tpl_err(t, d->line, "unterminated directive '{{%s': no closing '}}'", d->name);
            goto out;
        }
        if (dir_at_close(s, n, i)) {
            i += 2;
            break;
        }
        buf_reset(&tok);
        if (s[i] == '"') {
            if (dir_quoted(t, s, n, &i, line, &tok) < 0)
                goto out;
            dir_add_arg(d, xstrndup(buf_cstr(&tok), tok.len));
            continue;
        }
        size_t b = i;
        while (i < n && !isspace((unsigned char)s[i]) && !dir_at_close(s, n, i) && s[i] != '=' &&
               s[i] != '"')
            i++;
        if (i < n && s[i] == '=') {
            char *key = xstrndup(s + b, i - b);
            int bad = i == b;
            for (size_t k = b; k < i && !bad; k++)
                bad = !(islower((unsigned char)s[k]) || s[k] == '_');
            if (bad) {
                tpl_err(t, *line, "bad option name '%s' in '%s'", key, d->name);
                free(key);
                goto out;
            }
            if (dir_opt(d, key)) {
                tpl_err(t, *line, "option '%s' given twice", key);
                free(key);
                goto out;
            }
            i++;
            if (i < n && s[i] == '"') {
                if (dir_quoted(t, s, n, &i, line, &tok) < 0) {
                    free(key);
                    goto out;
                }
            } else {
                size_t c = i;
                while (i < n && !isspace((unsigned char)s[i]) && !dir_at_close(s, n, i))
                    i++;
                buf_append(&tok, s + c, i - c);
            }
            if (d->nopts == d->capopts) {
                d->capopts = d->capopts ? d->capopts * 2 : 4;
                d->opts = xrealloc(d->opts, (size_t)d->capopts * sizeof(DirOpt));
            }
            d->opts[d->nopts].key = key;
            d->opts[d->nopts].val = xstrndup(buf_cstr(&tok), tok.len);
            d->nopts++;
            continue;
        }
        if (i < n && s[i] == '"') {
            tpl_err(t, *line, "unexpected '\"' in '%s' (quote the whole value)", d->name);
            goto out;
        }
        dir_add_arg(d, xstrndup(s + b, i - b));
    }
    *pos = i;
    rc = 0;
out:
    buf_release(&tok);
    return rc;
}

/* yes/no option: def when absent. */
static int dir_yesno(Tpl *t, const Dir *d, const char *key, int def, int *out)
{
    const char *v = dir_opt(d, key);
    *out = def;
    if (!v)
        return 0;
    if (strcmp(v, "yes") == 0)
        *out = 1;
    else if (strcmp(v, "no") == 0)
        *out = 0;
    else
        return tpl_err(t, d->line, "option '%s' takes yes or no, not '%s'", key, v);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Indicator columns and figure formatting                            */
/* ------------------------------------------------------------------ */

/* The columns a table, a chart or {{value}} may name are present.h's compare
 * columns, but for the area and period (the report has one of each). */
static int col_parse(const char *s, size_t n)
{
    int c = present_col_parse(s, n);
    return c == PC_AREA || c == PC_PERIOD ? -1 : c;
}

/* An error naming an unknown column (n bytes of s) and every column there is. */
static int tpl_unknown_column(Tpl *t, long line, const char *s, size_t n)
{
    Buf names = BUF_INIT;
    for (int c = 0; c < PC_COUNT; c++) {
        if (c == PC_AREA || c == PC_PERIOD)
            continue;
        const PresentColumn *k = present_col((PresentCol)c);
        buf_printf(&names, "%s%s", names.len ? ", " : "", k->alias ? k->alias : k->name);
    }
    tpl_err(t, line, "unknown column '%.*s' (expected one of: %s)", (int)n, s, buf_cstr(&names));
    buf_release(&names);
    return -1;
}

static PresentKind col_kind(int col)
{
    return present_col((PresentCol)col)->kind;
}

static const Fig *col_fig(const CompareRow *r, int col)
{
    return present_col_fig((PresentCol)col, r);
}

static DocRag tpl_rag(Rag r)
{
    return (DocRag)present_rag_mark(r);
}

static DocRag tpl_status_rag(Status s)
{
    return (DocRag)present_status_mark(s);
}

static const char *const NUMBER_WORDS[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
};
#define TPL_NUMBER_WORDS_MAX 20

/* A whole number, as digits or (words) as a word up to twenty. */
static void tpl_count(Buf *out, int n, int words)
{
    if (words && n >= 0 && n <= TPL_NUMBER_WORDS_MAX)
        buf_puts(out, NUMBER_WORDS[n]);
    else
        buf_printf(out, "%d", n);
}

/* How a figure is printed: table cells take the defaults; {{value}} options
 * change them. sign < 0 means "by column": signed for changes. */
typedef struct FigFmt {
    int abs, trim, sign, unit, decimals, words;
    const char *zero;     /* replaces a figure that prints as zero; may be NULL */
    const char *missing;  /* replaces an absent figure */
} FigFmt;

static const FigFmt FIGFMT_TABLE = {0, 0, -1, 1, -1, 0, NULL, ""};

/* Drop trailing zeros after a decimal point appended since `from`. */
static void tpl_trim_zeros(Buf *b, size_t from)
{
    if (!memchr(b->data + from, '.', b->len - from))
        return;
    while (b->len > from && b->data[b->len - 1] == '0')
        b->len--;
    if (b->len > from && b->data[b->len - 1] == '.')
        b->len--;
    b->data[b->len] = '\0';
}

/* The words a paper prints for the variation, assurance and significance
 * columns ("" when not computed). */
static const char *tpl_spc_words(const CompareRow *r, int col)
{
    if (col == PC_VARIATION)
        return spc_variation_short(r->variation);
    if (col == PC_ASSURANCE)
        return spc_assurance_short(r->assurance);
    return spc_significance_short(r->significance);
}

/* Append the cell text of column col for an indicator; *rag gets the colour
 * class of the cell (RAG column only). */
static void tpl_format_col(const ReportIndicator *ri, int col, const FigFmt *f, Buf *out,
                           DocRag *rag)
{
    const CompareRow *r = &ri->row;
    if (rag)
        *rag = DOC_RAG_NONE;
    switch (col_kind(col)) {
    case PK_TEXT:
        if (col == PC_TITLE)
            buf_puts(out, ri->title ? ri->title : ri->code);
        else if (col == PC_INDICATOR)
            buf_puts(out, ri->code);
        else if (col == PC_PARTNER)
            buf_puts(out, ri->partner ? ri->partner : "");
        else
            compare_row_notes(r, out);
        return;
    case PK_SPC:
        buf_puts(out, tpl_spc_words(r, col));
        return;
    case PK_P:
        if (r->has_p)
            buf_printf(out, "%.*f", PRESENT_P_DECIMALS, r->p_value);
        return;
    case PK_RAG:
        buf_puts(out, doc_rag_word(tpl_rag(r->rag)));
        if (rag)
            *rag = tpl_rag(r->rag);
        return;
    case PK_DIR: {
        PresentDirection dir = present_direction(r);
        present_direction_words(out, &dir, 1);
        return;
    }
    case PK_FIG:
    case PK_CHANGE:
    case PK_PCT:
    case PK_LIMIT:
        break;
    }
    const Fig *fig = col_fig(r, col);
    if (!fig || !fig->has) {
        buf_puts(out, f->missing ? f->missing : "");
        return;
    }
    PresentFmt pf = present_col_fmt((PresentCol)col, &ri->def, 1);
    if (f->decimals >= 0)
        pf.decimals = f->decimals;
    Fq q = f->abs ? fq_abs(fig->q) : fig->q;
    Fq rounded = fq_round(q, pf.decimals);
    if (f->zero && fq_is_zero(rounded)) {
        buf_puts(out, f->zero);
        return;
    }
    if (f->sign >= 0 || f->abs)
        pf.sign = f->sign > 0;
    if (!f->unit)
        pf.suffix = PRESENT_PLAIN;
    int percent = pf.suffix == PRESENT_PERCENT;
    pf.suffix = PRESENT_PLAIN;
    size_t from = out->len, digits = out->len + (pf.sign && fq_sign(rounded) > 0);
    present_figure(out, q, &pf);
    if (f->trim)
        tpl_trim_zeros(out, digits);
    if (f->words && !memchr(out->data + digits, '.', out->len - digits) &&
        fq_sign(rounded) >= 0 && fq_cmp(rounded, fq_int(TPL_NUMBER_WORDS_MAX)) <= 0) {
        int n = atoi(out->data + digits);
        out->len = from;
        out->data[from] = '\0';
        tpl_count(out, n, 1);
    }
    if (percent)
        buf_putc(out, '%');
}

/* The exact figure behind a table cell of column col (doc.h's DocValue):
 * what the cell shows, as a number a workbook can store. */
static void tpl_cell_value(const ReportIndicator *ri, int col, DocCell *cell)
{
    const Fig *fig = col_fig(&ri->row, col);
    if (col_kind(col) == PK_P && ri->row.has_p) {
        cell->value = doc_value_of(PRESENT_PLAIN, present_p_value(ri->row.p_value), PRESENT_P_DECIMALS, 0);
        return;
    }
    if (!fig || !fig->has)
        return;
    PresentFmt pf = present_col_fmt((PresentCol)col, &ri->def, 1);
    cell->value = doc_value_of(present_col_stored((PresentCol)col, &ri->def), fig->q, pf.decimals, pf.sign);
}

/* ------------------------------------------------------------------ */
/* What is missing, in words                                          */
/* ------------------------------------------------------------------ */

static Period tpl_year_period(const Tpl *t, int ago);

#define SPAN_BIT(k) (1u << (k))
#define SPANS_NOW (SPAN_BIT(FIG_SPAN_VALUE) | SPAN_BIT(FIG_SPAN_YTD))
#define SPANS_AGO (SPAN_BIT(FIG_SPAN_PREVIOUS) | SPAN_BIT(FIG_SPAN_YTD_PREVIOUS))

/* The spans of months a column's figure is made from. */
static unsigned col_spans(int col)
{
    switch (col) {
    case PC_VALUE: return SPAN_BIT(FIG_SPAN_VALUE);
    case PC_PREVIOUS: return SPAN_BIT(FIG_SPAN_PREVIOUS);
    case PC_CHANGE:
    case PC_CHANGE_PCT:
    case PC_DIRECTION: return SPAN_BIT(FIG_SPAN_VALUE) | SPAN_BIT(FIG_SPAN_PREVIOUS);
    case PC_YTD:
    case PC_RAG: return SPAN_BIT(FIG_SPAN_YTD);
    case PC_YTD_PREVIOUS: return SPAN_BIT(FIG_SPAN_YTD_PREVIOUS);
    case PC_YTD_CHANGE_PCT: return SPAN_BIT(FIG_SPAN_YTD) | SPAN_BIT(FIG_SPAN_YTD_PREVIOUS);
    default: return 0;
    }
}

/* Of `spans`, those whose own figure is missing for want of months. */
static unsigned tpl_missing_spans(const CompareRow *r, unsigned spans)
{
    const Fig *f[FIG_NSPANS] = {&r->value, &r->previous, &r->ytd, &r->ytd_previous};
    unsigned m = 0;
    for (int k = 0; k < FIG_NSPANS; k++)
        if ((spans & SPAN_BIT(k)) && !f[k]->has && r->ngap_months[k] > 0)
            m |= SPAN_BIT(k);
    return m;
}

/* The missing months of `spans`, in words: "October to December 2011". */
static void tpl_months_words(const Tpl *t, const CompareRow *r, unsigned spans, Buf *out)
{
    int months[FIG_NSPANS * FIG_SPAN_MAX_MONTHS], n = 0;
    for (int k = 0; k < FIG_NSPANS; k++)
        if (spans & SPAN_BIT(k))
            for (int j = 0; j < r->ngap_months[k]; j++)
                months[n++] = r->gap_months[k][j];
    period_format_months_gaps(out, months, n, t->ctx->fy_start);
}

/* Remember that the paper shows the indicator without the figures of `spans`. */
static void tpl_lack(Tpl *t, const ReportIndicator *ri, unsigned spans)
{
    if (!spans)
        return;
    for (int i = 0; i < t->nlack; i++)
        if (t->lack_ri[i] == ri) {
            t->lack_spans[i] |= spans;
            return;
        }
    if (t->nlack == t->caplack) {
        t->caplack = t->caplack ? 2 * t->caplack : 8;
        t->lack_ri = xrealloc(t->lack_ri, sizeof *t->lack_ri * (size_t)t->caplack);
        t->lack_spans = xrealloc(t->lack_spans, sizeof *t->lack_spans * (size_t)t->caplack);
    }
    t->lack_ri[t->nlack] = ri;
    t->lack_spans[t->nlack++] = spans;
}

/* A line of the list of what the paper lacks, other than an indicator's figure. */
static void tpl_lack_line(Tpl *t, const char *line)
{
    const char *p = buf_cstr(&t->lack_other);
    size_t n = strlen(line);
    for (const char *q = p; (q = strstr(q, line)) != NULL; q += n)
        if ((q == p || q[-1] == '\n') && q[n] == '\n')
            return; /* said already */
    buf_printf(&t->lack_other, "%s\n", line);
}

/* The report's period as its months: "October to December 2011". */
static void tpl_period_months(const Tpl *t, Buf *out)
{
    period_format_months_words(out, t->ctx->period.first, period_months(t->ctx->period));
}

static const char *tpl_title(const ReportIndicator *ri)
{
    return ri->title ? ri->title : ri->code;
}

/* The sentence that stands in for one holding {{value}} of a figure that is
 * missing: "There is no figure yet for All Crime for October to December 2011,
 * nor for October to December 2010." (months named; "yet" for this year's),
 * "There is no percentage change for All Crime: it was zero a year earlier.". */
static void tpl_value_gap(Tpl *t, const ReportIndicator *ri, int col, Buf *gap)
{
    const CompareRow *r = &ri->row;
    unsigned need = col_spans(col);
    unsigned now = tpl_missing_spans(r, need & SPANS_NOW), ago = tpl_missing_spans(r, need & SPANS_AGO);
    tpl_lack(t, ri, now | ago);
    if (now || ago) {
        buf_printf(gap, "There is no figure %sfor %s for ", now ? "yet " : "", tpl_title(ri));
        if (now)
            tpl_months_words(t, r, now, gap);
        if (now && ago)
            buf_puts(gap, ", nor for ");
        if (ago)
            tpl_months_words(t, r, ago, gap);
        buf_putc(gap, '.');
    } else if (col == PC_CHANGE_PCT || col == PC_YTD_CHANGE_PCT) {
        const Fig *ago_fig = col == PC_CHANGE_PCT ? &r->previous : &r->ytd_previous;
        if (ago_fig->has && fq_is_zero(ago_fig->q))
            buf_printf(gap, "There is no percentage change for %s: it was zero a year earlier.", tpl_title(ri));
        else if (ri->def.unit == UNIT_PERCENT)
            buf_printf(gap, "There is no percentage change for %s: it is itself a percentage.", tpl_title(ri));
        else
            buf_printf(gap, "The percentage change for %s cannot be computed.", tpl_title(ri));
    } else if (col == PC_TARGET || col == PC_TARGET_TO_DATE) {
        buf_printf(gap, "There is no target for %s for ", tpl_title(ri));
        period_format(gap, tpl_year_period(t, 0), t->ctx->fy_start);
        buf_putc(gap, '.');
    } else {
        buf_printf(gap, "The figure for %s cannot be computed.", tpl_title(ri));
    }
}

/* The sentence that stands in for prose whose direction (says=) the figure
 * contradicts: "Burglary Dwelling has reduced by 5.0% compared to this period
 * last year." / "The year to date figure for Vehicle Crime shows an increase
 * of 2.1%." / "Vehicle Crime has not changed compared to this period last
 * year." (a change: "has reduced by 3 compared to ..."). */
static void tpl_says_gap(const ReportIndicator *ri, int col, Fq q, int dec, Buf *gap)
{
    int sg = fq_sign(fq_round(q, dec));
    const char *title = ri->title ? ri->title : ri->code;
    if (col == PC_YTD_CHANGE_PCT) {
        buf_printf(gap, "The year to date figure for %s shows ", title);
        if (sg == 0) {
            buf_puts(gap, "no change.");
            return;
        }
        buf_puts(gap, sg > 0 ? "an increase of " : "a reduction of ");
    } else {
        buf_printf(gap, "%s ", title);
        if (sg == 0) {
            buf_puts(gap, "has not changed compared to this period last year.");
            return;
        }
        buf_puts(gap, sg > 0 ? "has increased by " : "has reduced by ");
    }
    fq_format(gap, fq_abs(q), dec);
    if (col != PC_CHANGE)
        buf_putc(gap, '%');
    buf_puts(gap, col == PC_YTD_CHANGE_PCT ? "." : " compared to this period last year.");
}

/* ------------------------------------------------------------------ */
/* Directive table                                                    */
/* ------------------------------------------------------------------ */

typedef struct DirSpec DirSpec;
typedef int (*DirInline)(Tpl *t, const Dir *d, Buf *out);
typedef int (*DirBlock)(Tpl *t, const Dir *d, DocBlocks *bl);

struct DirSpec {
    const char *name;
    DirBlock block;             /* NULL when only inline */
    DirInline inl;              /* NULL when only a block */
    int (*is_block)(const Dir *d); /* both forms: 1 when this use is the block */
    const char *const *opts;    /* options allowed, NULL-terminated */
};

static const DirSpec *dir_spec(const char *name);
static int tpl_inline(Tpl *t, const char *s, size_t n, long line, DocText *out);

static int dir_check_opts(Tpl *t, const DirSpec *spec, const Dir *d)
{
    for (int i = 0; i < d->nopts; i++) {
        int ok = 0;
        for (const char *const *o = spec->opts; o && *o && !ok; o++)
            ok = strcmp(*o, d->opts[i].key) == 0;
        if (!ok) {
            Buf known = BUF_INIT;
            for (const char *const *o = spec->opts; o && *o; o++)
                buf_printf(&known, "%s%s", known.len ? ", " : "", *o);
            tpl_err(t, d->line, "unknown option '%s' for '%s' (%s%s)", d->opts[i].key, spec->name,
                    known.len ? "expected: " : "it takes no options", buf_cstr(&known));
            buf_release(&known);
            return -1;
        }
    }
    return 0;
}

static int dir_is_block(const DirSpec *spec, const Dir *d)
{
    if (!spec->block)
        return 0;
    if (!spec->inl)
        return 1;
    return spec->is_block(d);
}

/* Expand {placeholders} of a label: {period ...}, {year ...}, {area}. */
static int tpl_placeholders(Tpl *t, const char *s, long line, Buf *out)
{
    while (*s) {
        if (*s != '{') {
            buf_putc(out, *s++);
            continue;
        }
        const char *e = strchr(s, '}');
        if (!e)
            return tpl_err(t, line, "'{' without '}' in '%s'", s);
        Dir d;
        memset(&d, 0, sizeof(d));
        d.line = line;
        const char *p = s + 1;
        while (p < e) {
            while (p < e && *p == ' ')
                p++;
            const char *w = p;
            while (p < e && *p != ' ')
                p++;
            if (p > w) {
                if (!d.name)
                    d.name = xstrndup(w, (size_t)(p - w));
                else
                    dir_add_arg(&d, xstrndup(w, (size_t)(p - w)));
            }
        }
        const DirSpec *spec = d.name ? dir_spec(d.name) : NULL;
        if (!spec || !d.name ||
            (strcmp(d.name, "period") && strcmp(d.name, "year") && strcmp(d.name, "area"))) {
            tpl_err(t, line, "unknown placeholder '%.*s' (expected {period ...}, {year ...} or "
                             "{area})", (int)(e - s + 1), s);
            dir_release(&d);
            return -1;
        }
        int rc = spec->inl(t, &d, out);
        dir_release(&d);
        if (rc < 0)
            return -1;
        s = e + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Inline directives                                                  */
/* ------------------------------------------------------------------ */

static Period tpl_year_period(const Tpl *t, int ago)
{
    int fy = period_fy(t->ctx->period.first, t->ctx->fy_start) - (ago ? 1 : 0);
    Period y = {PERIOD_YEAR, period_fy_first(fy, t->ctx->fy_start)};
    return y;
}

static const char *const ORDINALS[REPORT_FY_QUARTERS] = {"first", "second", "third", "fourth"};

/* {{period [words|span|label|short|ordinal] [ago] [upper|capital|title]}} */
static int dir_period(Tpl *t, const Dir *d, Buf *out)
{
    const char *style = NULL;
    int ago = 0, upper = 0, capital = 0, title = 0;
    for (int i = 0; i < d->nargs; i++) {
        const char *a = d->args[i];
        if (strcmp(a, "ago") == 0)
            ago = 1;
        else if (strcmp(a, "upper") == 0)
            upper = 1;
        else if (strcmp(a, "capital") == 0)
            capital = 1;
        else if (strcmp(a, "title") == 0)
            title = 1;
        else if (!style && (!strcmp(a, "words") || !strcmp(a, "span") || !strcmp(a, "label") ||
                            !strcmp(a, "short") || !strcmp(a, "ordinal") ||
                            !strcmp(a, "canonical")))
            style = a;
        else
            return tpl_err(t, d->line,
                           "unknown argument '%s' for 'period' (expected words, span, label, "
                           "short, ordinal, ago, upper, capital or title)", a);
    }
    Period p = ago ? period_year_ago(t->ctx->period) : t->ctx->period;
    int fy = t->ctx->fy_start;
    size_t from = out->len;
    if (!style || !strcmp(style, "canonical")) {
        period_format(out, p, fy);
    } else if (!strcmp(style, "words")) {
        period_format_words(out, p, fy);
    } else if (!strcmp(style, "span")) {
        period_format_span(out, p);
    } else if (p.kind == PERIOD_QUARTER) {
        Period y = {PERIOD_YEAR, period_fy_first(period_fy(p.first, fy), fy)};
        int q = period_quarter_no(p, fy);
        if (!strcmp(style, "label")) {
            buf_printf(out, "Q%d ", q);
            period_format(out, y, fy);
        } else if (!strcmp(style, "short")) {
            buf_printf(out, "Q%d", q);
        } else {
            buf_printf(out, "%s quarter", ORDINALS[q - 1]);
        }
    } else if (p.kind == PERIOD_MONTH) {
        size_t at = out->len;
        period_format_words(out, p, fy);
        if (!strcmp(style, "short")) { /* "July 2011" -> "July" */
            char *sp = memchr(out->data + at, ' ', out->len - at);
            if (sp) {
                out->len = (size_t)(sp - out->data);
                out->data[out->len] = '\0';
            }
        }
    } else {
        period_format(out, p, fy);
    }
    if (upper)
        tpl_upper_from(out, from);
    for (size_t i = from; (capital || title) && i < out->len; i++) {
        int word_start = i == from || out->data[i - 1] == ' ';
        if (word_start && (i == from || title) && out->data[i] >= 'a' && out->data[i] <= 'z')
            out->data[i] = (char)(out->data[i] - 'a' + 'A');
    }
    return 0;
}

/* {{year [ago] [long]}}: "2011/12", "2010/11", "2011/2012". */
static int dir_year(Tpl *t, const Dir *d, Buf *out)
{
    int ago = 0, lng = 0;
    for (int i = 0; i < d->nargs; i++) {
        if (strcmp(d->args[i], "ago") == 0)
            ago = 1;
        else if (strcmp(d->args[i], "long") == 0)
            lng = 1;
        else
            return tpl_err(t, d->line, "unknown argument '%s' for 'year' (expected ago or long)",
                           d->args[i]);
    }
    Period y = tpl_year_period(t, ago);
    if (lng && t->ctx->fy_start != 1) {
        int fy = period_fy(y.first, t->ctx->fy_start);
        buf_printf(out, "%d/%d", fy, fy + 1);
    } else {
        period_format(out, y, t->ctx->fy_start);
    }
    return 0;
}

static int dir_area(Tpl *t, const Dir *d, Buf *out)
{
    if (d->nargs > 0)
        return tpl_err(t, d->line, "'area' takes no arguments");
    buf_puts(out, t->ctx->area ? t->ctx->area : "");
    return 0;
}

static const ReportIndicator *tpl_indicator(Tpl *t, const Dir *d, const char *code)
{
    const ReportIndicator *ri = report_find(t->ctx, code);
    if (!ri)
        tpl_err(t, d->line, "unknown indicator '%s'", code);
    return ri;
}

/* {{value CODE [COLUMN] abs= trim= sign= unit= decimals= zero= missing= words=}} */
static int dir_value(Tpl *t, const Dir *d, Buf *out)
{
    if (d->nargs < 1 || d->nargs > 2)
        return tpl_err(t, d->line, "'value' takes an indicator code and a column, "
                                   "e.g. {{value crime.all ytd_change_pct}}");
    const ReportIndicator *ri = tpl_indicator(t, d, d->args[0]);
    if (!ri)
        return -1;
    int col = PC_VALUE;
    if (d->nargs == 2 && (col = col_parse(d->args[1], strlen(d->args[1]))) < 0)
        return tpl_unknown_column(t, d->line, d->args[1], strlen(d->args[1]));
    FigFmt f = FIGFMT_TABLE;
    int sign = -1;
    if (dir_yesno(t, d, "abs", 0, &f.abs) < 0 || dir_yesno(t, d, "trim", 0, &f.trim) < 0 ||
        dir_yesno(t, d, "unit", 1, &f.unit) < 0 || dir_yesno(t, d, "words", 0, &f.words) < 0 ||
        dir_yesno(t, d, "sign", -1, &sign) < 0)
        return -1;
    f.sign = sign;
    const char *dec = dir_opt(d, "decimals");
    if (dec) {
        char *end;
        long v = strtol(dec, &end, 10);
        if (!*dec || *end || v < 0 || v > TPL_MAX_DECIMALS)
            return tpl_err(t, d->line, "decimals must be a whole number from 0 to %d, not '%s'",
                           TPL_MAX_DECIMALS, dec);
        f.decimals = (int)v;
    }
    if (dir_opt(d, "zero"))
        f.zero = dir_opt(d, "zero");
    const Fig *fig = col_fig(&ri->row, col);
    if (fig && !fig->has) {
        if (dir_opt(d, "missing")) {
            unsigned need = col_spans(col);
            tpl_lack(t, ri, tpl_missing_spans(&ri->row, need));
            buf_puts(out, dir_opt(d, "missing")); /* the author's own words */
        } else {
            tpl_value_gap(t, ri, col, &t->gap); /* the whole sentence gives way */
        }
        return 0;
    }
    const char *says = dir_opt(d, "says");
    if (says) {
        int want = !strcmp(says, "increase") ? 1 : !strcmp(says, "reduction") ? -1 : 0;
        if (!want)
            return tpl_err(t, d->line, "says must be increase or reduction, not '%s'", says);
        if (col != PC_CHANGE && col != PC_CHANGE_PCT && col != PC_YTD_CHANGE_PCT)
            return tpl_err(t, d->line, "'says' goes with change, change_pct or ytd_change_pct");
        int shown_dec = f.decimals >= 0 ? f.decimals : col == PC_CHANGE ? ri->def.decimals : 1;
        if (fq_sign(fq_round(fig->q, shown_dec)) != want) {
            tpl_says_gap(ri, col, fig->q, shown_dec, &t->gap); /* the prose would say the opposite */
            return 0;
        }
    }
    tpl_format_col(ri, col, &f, out, NULL);
    return 0;
}

/* The subject of a generated sentence: subject= or the indicator's title. */
static const char *tpl_subject(const Dir *d, const ReportIndicator *ri)
{
    const char *s = dir_opt(d, "subject");
    return s ? s : ri->title ? ri->title : ri->code;
}

static const ReportIndicator *tpl_one_indicator(Tpl *t, const Dir *d)
{
    if (d->nargs != 1) {
        tpl_err(t, d->line, "'%s' takes one indicator code", d->name);
        return NULL;
    }
    return tpl_indicator(t, d, d->args[0]);
}

/* {{change CODE subject="overall crime" significance=yes}}: narrative_change,
 * then (significance=yes) narrative_significance. */
static int dir_change(Tpl *t, const Dir *d, Buf *out)
{
    const ReportIndicator *ri = tpl_one_indicator(t, d);
    Buf words = BUF_INIT;
    int sig;
    if (!ri || dir_yesno(t, d, "significance", 0, &sig) < 0)
        return -1;
    const char *pw = dir_opt(d, "period");
    if (!pw)
        period_format_words(&words, t->ctx->period, t->ctx->fy_start);
    narrative_change(out, tpl_subject(d, ri), pw ? pw : buf_cstr(&words), &ri->row);
    tpl_lack(t, ri, tpl_missing_spans(&ri->row, col_spans(PC_CHANGE_PCT) | col_spans(PC_YTD_CHANGE_PCT)));
    if (sig) {
        size_t before = out->len;
        buf_putc(out, ' ');
        narrative_significance(out, &ri->row);
        if (out->len == before + 1)
            out->len = before; /* nothing to say: no trailing blank */
    }
    buf_release(&words);
    return 0;
}

/* {{target CODE subject=...}}: narrative_target. */
static int dir_target(Tpl *t, const Dir *d, Buf *out)
{
    const ReportIndicator *ri = tpl_one_indicator(t, d);
    if (!ri)
        return -1;
    narrative_target(out, tpl_subject(d, ri), &ri->def, &ri->row);
    if (ri->row.target.has)
        tpl_lack(t, ri, tpl_missing_spans(&ri->row, col_spans(PC_YTD)));
    return 0;
}

#define MOVEMENT_LEAD "There has been "

/* {{movement CODE subject=... lead=no}}: narrative_movement; lead=no drops
 * "There has been " so that a second clause can follow "and". */
static int dir_movement(Tpl *t, const Dir *d, Buf *out)
{
    const ReportIndicator *ri = tpl_one_indicator(t, d);
    int lead;
    if (!ri || dir_yesno(t, d, "lead", 1, &lead) < 0)
        return -1;
    Buf s = BUF_INIT;
    narrative_movement(&s, tpl_subject(d, ri), &ri->row);
    tpl_lack(t, ri, tpl_missing_spans(&ri->row, col_spans(PC_CHANGE_PCT)));
    const char *p = buf_cstr(&s);
    if (!lead && strncmp(p, MOVEMENT_LEAD, strlen(MOVEMENT_LEAD)) == 0)
        p += strlen(MOVEMENT_LEAD);
    buf_puts(out, p);
    buf_release(&s);
    return 0;
}

/* Delivery: block {{delivery}} (a table) or inline {{delivery green [percent]}},
 * {{delivery total}}, {{delivery reported}}. */
static int dir_delivery_is_block(const Dir *d)
{
    return d->nargs == 0 || (d->nargs == 1 && strcmp(d->args[0], "table") == 0);
}

static int dir_delivery_inline(Tpl *t, const Dir *d, Buf *out)
{
    const Delivery *dv = &t->ctx->delivery;
    int words, percent = 0;
    Status st;
    if (dir_yesno(t, d, "words", 0, &words) < 0)
        return -1;
    if (d->nargs > 2)
        return tpl_err(t, d->line, "'delivery' takes a status and count or percent");
    if (d->nargs == 2) {
        if (strcmp(d->args[1], "percent") == 0)
            percent = 1;
        else if (strcmp(d->args[1], "count") != 0)
            return tpl_err(t, d->line, "unknown argument '%s' for 'delivery' (expected count or "
                                       "percent)", d->args[1]);
    }
    const char *what = d->args[0];
    if (dv->reported == 0 && strcmp(what, "total") != 0) {
        /* nothing reported: no count or share to give, and the sentence says so */
        Buf line = BUF_INIT;
        buf_puts(&t->gap, "No project or priority in the delivery plan has reported yet for ");
        tpl_period_months(t, &t->gap);
        buf_putc(&t->gap, '.');
        buf_puts(&line, "Delivery plan: nothing reported for ");
        tpl_period_months(t, &line);
        tpl_lack_line(t, buf_cstr(&line));
        buf_release(&line);
        if (strcmp(what, "reported") != 0 && status_parse(what, &st) < 0)
            return tpl_err(t, d->line, "unknown status '%s' for 'delivery' (expected green, amber, "
                                       "red, complete, unreported, total or reported)", what);
        return 0;
    }
    if (strcmp(what, "total") == 0 || strcmp(what, "reported") == 0) {
        if (percent)
            return tpl_err(t, d->line, "'percent' goes with a status, not '%s'", what);
        tpl_count(out, what[0] == 't' ? dv->total : dv->reported, words);
        return 0;
    }
    if (status_parse(what, &st) < 0)
        return tpl_err(t, d->line, "unknown status '%s' for 'delivery' (expected green, amber, "
                                   "red, complete, unreported, total or reported)", what);
    tpl_count(out, percent ? dv->percent[st] : dv->count[st], words && !percent);
    return 0;
}

/* Projects: the selection is `key`, `all`, or project codes; inline forms end
 * in `count` or a status word. */
static int dir_projects_is_block(const Dir *d)
{
    Status st;
    if (d->nargs == 0)
        return 1;
    const char *last = d->args[d->nargs - 1];
    return strcmp(last, "count") != 0 && status_parse(last, &st) != 0;
}

/* Mark the selected projects in sel[nprojects]; args [0, nsel). */
static int tpl_select_projects(Tpl *t, const Dir *d, int nsel, char *sel)
{
    const ReportCtx *c = t->ctx;
    memset(sel, 0, (size_t)(c->nprojects > 0 ? c->nprojects : 1));
    if (nsel == 0)
        return tpl_err(t, d->line, "'projects' needs key, all or project codes");
    for (int a = 0; a < nsel; a++) {
        const char *s = d->args[a];
        int found = 0;
        for (int i = 0; i < c->nprojects; i++) {
            const ReportProject *p = &c->projects[i];
            if (!strcmp(s, "all") || (!strcmp(s, "key") && p->key) ||
                (p->code && !strcmp(s, p->code))) {
                sel[i] = 1;
                found = 1;
            }
        }
        if (!found && strcmp(s, "all") && strcmp(s, "key"))
            return tpl_err(t, d->line, "unknown project '%s'", s);
    }
    return 0;
}

static int dir_projects_inline(Tpl *t, const Dir *d, Buf *out)
{
    const ReportCtx *c = t->ctx;
    char *sel = xmalloc((size_t)(c->nprojects > 0 ? c->nprojects : 1));
    int words, n = 0, rc = -1;
    Status st = STATUS_COUNT;
    const char *last = d->args[d->nargs - 1];
    if (dir_yesno(t, d, "words", 0, &words) < 0)
        goto out;
    if (strcmp(last, "count") != 0)
        status_parse(last, &st);
    if (tpl_select_projects(t, d, d->nargs - 1, sel) < 0)
        goto out;
    int nsel = 0, reported = 0;
    for (int i = 0; i < c->nprojects; i++) {
        n += sel[i] && (st == STATUS_COUNT || c->projects[i].status == st);
        nsel += sel[i];
        reported += sel[i] && c->projects[i].status != STATUS_UNREPORTED;
    }
    if (st != STATUS_COUNT && st != STATUS_UNREPORTED && (reported == 0 || n == 0)) {
        /* "all zero of the projects": the sentence gives way to one that is true */
        const char *which = d->nargs == 2 && !strcmp(d->args[0], "key") ? "key project" : "project";
        if (reported == 0) {
            Buf line = BUF_INIT;
            buf_printf(&t->gap, "No %s has reported yet for ", which);
            tpl_period_months(t, &t->gap);
            buf_putc(&t->gap, '.');
            buf_printf(&line, "Projects: no %s has reported for ", which);
            tpl_period_months(t, &line);
            tpl_lack_line(t, buf_cstr(&line));
            buf_release(&line);
        } else {
            if (nsel == 1) {
                buf_printf(&t->gap, "The %s is not rated %s for ", which, status_name(st));
            } else {
                buf_puts(&t->gap, "None of the ");
                tpl_count(&t->gap, nsel, 1);
                buf_printf(&t->gap, " %ss is rated %s for ", which, status_name(st));
            }
            tpl_period_months(t, &t->gap);
            buf_putc(&t->gap, '.');
        }
        rc = 0;
        goto out;
    }
    tpl_count(out, n, words);
    rc = 0;
out:
    free(sel);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Block directives                                                   */
/* ------------------------------------------------------------------ */

/* Indicators named by args [from, nargs): codes, or "prefix*" for every code
 * starting with prefix. *out holds pointers into ctx (caller frees *out). */
static int tpl_select_indicators(Tpl *t, const Dir *d, int from,
                                 const ReportIndicator ***out, int *n)
{
    const ReportCtx *c = t->ctx;
    int cap = 8;
    *n = 0;
    *out = xmalloc((size_t)cap * sizeof(**out));
    for (int a = from; a < d->nargs; a++) {
        const char *s = d->args[a];
        size_t len = strlen(s);
        int found = 0;
        if (len > 0 && s[len - 1] == '*') {
            for (int i = 0; i < c->ninds; i++) {
                if (strncmp(c->inds[i].code, s, len - 1) != 0)
                    continue;
                if (*n == cap) {
                    cap *= 2;
                    *out = xrealloc(*out, (size_t)cap * sizeof(**out));
                }
                (*out)[(*n)++] = &c->inds[i];
                found = 1;
            }
            if (!found)
                return tpl_err(t, d->line, "no indicator code starts with '%.*s'", (int)len - 1, s);
            continue;
        }
        const ReportIndicator *ri = tpl_indicator(t, d, s);
        if (!ri)
            return -1;
        if (*n == cap) {
            cap *= 2;
            *out = xrealloc(*out, (size_t)cap * sizeof(**out));
        }
        (*out)[(*n)++] = ri;
    }
    if (*n == 0)
        return tpl_err(t, d->line, "'%s' needs at least one indicator code", d->name);
    return 0;
}

/* Column names from "title,value ytd" (commas or spaces). */
static int tpl_columns(Tpl *t, const Dir *d, const char *spec, int *cols, int *ncols, int max,
                       int figures_only)
{
    *ncols = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, ", ");
        int c = col_parse(p, n);
        if (c < 0)
            return tpl_unknown_column(t, d->line, p, n);
        if (figures_only && col_kind(c) != PK_FIG && col_kind(c) != PK_LIMIT)
            return tpl_err(t, d->line, "column '%s' cannot be charted (chart value, previous, "
                                       "ytd, ytd_previous, target or target_to_date)",
                           present_col((PresentCol)c)->name);
        if (*ncols == max)
            return tpl_err(t, d->line, "too many columns (at most %d)", max);
        cols[(*ncols)++] = c;
        p += n;
    }
    if (*ncols == 0)
        return tpl_err(t, d->line, "'columns' names no column");
    return 0;
}

/* Header labels: h ("A|B|C", from headers=) or, when NULL, the columns'
 * defaults; placeholders expanded. */
static int tpl_headers(Tpl *t, const Dir *d, const char *h, const int *cols, int ncols,
                       DocTable *tab)
{
    Buf label = BUF_INIT, raw = BUF_INIT;
    int rc = -1;
    int given = 0;
    if (h) {
        given = 1;
        for (const char *p = h; *p; p++)
            given += *p == '|';
        if (given != ncols) {
            tpl_err(t, d->line, "'headers' gives %d labels for %d columns", given, ncols);
            goto out;
        }
    }
    const char *p = h;
    for (int c = 0; c < ncols; c++) {
        buf_reset(&label);
        buf_reset(&raw);
        if (h) {
            size_t n = strcspn(p, "|");
            const char *s = p;
            size_t sn = n;
            tpl_trim(&s, &sn);
            buf_append(&raw, s, sn);
            p += n + (p[n] == '|');
        } else {
            buf_puts(&raw, present_col((PresentCol)cols[c])->heading);
        }
        if (tpl_placeholders(t, buf_cstr(&raw), d->line, &label) < 0)
            goto out;
        doc_table_header(tab, c, buf_cstr(&label),
                         present_kind_is_number(col_kind(cols[c])) ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT);
    }
    rc = 0;
out:
    buf_release(&label);
    buf_release(&raw);
    return rc;
}

/* 1 when a figure column shown for the indicator is empty: then its note,
 * which says what data are missing, explains the gap under the table. */
static int tpl_row_has_gap(const ReportIndicator *ri, const int *cols, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        const Fig *f = col_fig(&ri->row, cols[c]);
        if (f && !f->has)
            return 1;
    }
    return 0;
}

/* The indicator table shared by {{table}} and {{targets}}. */
static int tpl_indicator_table(Tpl *t, const Dir *d, const int *cols, int ncols,
                               const char *headers, DocBlocks *bl)
{
    const ReportIndicator **inds = NULL;
    int n, rc = -1, has_note_col = 0;
    Buf cell = BUF_INIT;
    if (tpl_select_indicators(t, d, 0, &inds, &n) < 0)
        goto out;
    DocTable *tab = doc_add_table(bl, ncols, "indicators");
    if (tpl_headers(t, d, headers, cols, ncols, tab) < 0)
        goto out;
    if (dir_opt(d, "caption")) {
        buf_reset(&cell);
        if (tpl_placeholders(t, dir_opt(d, "caption"), d->line, &cell) < 0)
            goto out;
        doc_table_caption(tab, buf_cstr(&cell));
    }
    for (int c = 0; c < ncols; c++)
        has_note_col |= cols[c] == PC_NOTE;
    for (int i = 0; i < n; i++) {
        int row = doc_table_row(tab);
        unsigned lacks = 0; /* the spans of months this row's shown figures lack */
        for (int c = 0; c < ncols; c++) {
            DocRag rag;
            const Fig *shown = col_fig(&inds[i]->row, cols[c]);
            if (shown && !shown->has)
                lacks |= tpl_missing_spans(&inds[i]->row, col_spans(cols[c]));
            buf_reset(&cell);
            tpl_format_col(inds[i], cols[c], &FIGFMT_TABLE, &cell, &rag);
            int numeric = present_kind_is_number(col_kind(cols[c]));
            DocCell *dc = doc_table_cell(tab, row, c);
            doc_cell_set(dc, buf_cstr(&cell), numeric ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT, numeric, rag);
            tpl_cell_value(inds[i], cols[c], dc);
        }
        /* Under the table, why a shown figure is missing; what SPC leaves out
         * only when the table shows an SPC column. */
        const CompareRow *rw = &inds[i]->row;
        int spc_shown = 0;
        for (int c = 0; c < ncols; c++)
            spc_shown |= cols[c] >= PC_VARIATION && cols[c] <= PC_P_VALUE;
        if (!has_note_col && (rw->note.len > 0 || (spc_shown && rw->spc_note.len > 0)) &&
            tpl_row_has_gap(inds[i], cols, ncols)) {
            buf_reset(&cell);
            buf_printf(&cell, "%s: ", inds[i]->title ? inds[i]->title : inds[i]->code);
            if (lacks) { /* the months the shown figures lack, not every span's */
                buf_puts(&cell, "no figure for ");
                tpl_months_words(t, rw, lacks, &cell);
                if (spc_shown && rw->spc_note.len)
                    buf_printf(&cell, "; %s", buf_cstr(&rw->spc_note));
            } else if (spc_shown) {
                compare_row_notes(rw, &cell);
            } else {
                buf_puts(&cell, buf_cstr(&rw->note));
            }
            doc_table_note(tab, buf_cstr(&cell));
        }
        tpl_lack(t, inds[i], lacks);
    }
    rc = 0;
out:
    free(inds);
    buf_release(&cell);
    return rc;
}

#define TPL_TABLE_DEFAULT "title previous value change_pct ytd ytd_change_pct"

/* {{table CODE... columns="..." headers="A|B" caption="..."}} */
static int dir_table(Tpl *t, const Dir *d, DocBlocks *bl)
{
    int cols[PC_COUNT * 2], ncols;
    const char *spec = dir_opt(d, "columns");
    if (tpl_columns(t, d, spec ? spec : TPL_TABLE_DEFAULT, cols, &ncols, PC_COUNT * 2, 0) < 0)
        return -1;
    return tpl_indicator_table(t, d, cols, ncols, dir_opt(d, "headers"), bl);
}

/* {{targets CODE... rag=yes headers="..."}}: Indicator | {year} Target | YTD Performance. */
static int dir_targets(Tpl *t, const Dir *d, DocBlocks *bl)
{
    int cols[] = {PC_TITLE, PC_TARGET, PC_YTD, PC_RAG};
    int rag;
    if (dir_yesno(t, d, "rag", 0, &rag) < 0)
        return -1;
    const char *h = dir_opt(d, "headers");
    if (!h) /* the seed's labels */
        h = rag ? "Indicator|{year} Target|YTD Performance|RAG"
                : "Indicator|{year} Target|YTD Performance";
    return tpl_indicator_table(t, d, cols, rag ? 4 : 3, h, bl);
}

static const char *const MONTH_SHORT[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static void tpl_chart_point(DocChart *ch, int s, int i, const ReportIndicator *ri, const Fig *f)
{
    Buf text = BUF_INIT;
    if (f->has) {
        PresentFmt fmt = present_col_fmt(PC_VALUE, &ri->def, 1); /* a figure as the tables print it */
        present_figure(&text, f->q, &fmt);
        doc_chart_point(ch, s, i, 1, fq_to_double(f->q), buf_cstr(&text));
    } else {
        doc_chart_point(ch, s, i, 0, 0.0, NULL);
    }
    buf_release(&text);
}

/* {{chart CODE... kind=bar|line by=indicator|quarter|month columns=... title=...}} */
/* {{spc CODE [title=...]}}: the statistical process control chart of one
 * indicator (spc.h, docs/spc.md) up to the report's period. */
static int dir_spc(Tpl *t, const Dir *d, DocBlocks *bl)
{
    if (d->nargs != 1)
        return tpl_err(t, d->line, "'spc' takes one indicator code, e.g. {{spc crime.all}}");
    const ReportIndicator *ri = tpl_indicator(t, d, d->args[0]);
    if (!ri)
        return -1;
    Buf title = BUF_INIT;
    if (dir_opt(d, "title")) {
        if (tpl_placeholders(t, dir_opt(d, "title"), d->line, &title) < 0) {
            buf_release(&title);
            return -1;
        }
    } else {
        buf_printf(&title, "%s: statistical process control chart", ri->title ? ri->title : ri->code);
    }
    report_spc_chart(bl, buf_cstr(&title), ri->title ? ri->title : ri->code, &ri->def, &ri->spc, ri->spc_status,
                     t->ctx->fy_start);
    buf_release(&title);
    return 0;
}

/* The y axis's title: axis="..." as given (placeholders expanded), else the
 * words for what the chart shows: "% change" when every column is one, else
 * the indicators' unit when they share one ("Number", "%"). */
static int tpl_chart_axis(Tpl *t, const Dir *d, DocChart *ch, const ReportIndicator *const *inds, int n,
                          const int *cols, int ncols)
{
    if (dir_opt(d, "axis")) {
        Buf b = BUF_INIT;
        int rc = tpl_placeholders(t, dir_opt(d, "axis"), d->line, &b);
        if (rc == 0)
            doc_chart_axis(ch, buf_cstr(&b));
        buf_release(&b);
        return rc;
    }
    int pct = ncols > 0, same = n > 0;
    for (int c = 0; c < ncols; c++)
        pct = pct && col_kind(cols[c]) == PK_PCT;
    for (int i = 1; i < n; i++)
        same = same && inds[i]->def.unit == inds[0]->def.unit;
    doc_chart_axis(ch, pct ? "% change" : same ? unit_axis_title(inds[0]->def.unit) : NULL);
    return 0;
}

static int dir_chart(Tpl *t, const Dir *d, DocBlocks *bl)
{
    const ReportIndicator **inds = NULL;
    int n, rc = -1, cols[PC_COUNT], ncols = 0;
    Buf title = BUF_INIT, name = BUF_INIT;
    const char *kind = dir_opt(d, "kind"), *by = dir_opt(d, "by");
    DocChartKind k = DOC_CHART_BAR;
    if (kind && strcmp(kind, "bar") && strcmp(kind, "line")) {
        tpl_err(t, d->line, "unknown chart kind '%s' (expected bar or line)", kind);
        goto out;
    }
    if (kind && !strcmp(kind, "line"))
        k = DOC_CHART_LINE;
    if (!by)
        by = k == DOC_CHART_LINE ? "quarter" : "indicator";
    if (strcmp(by, "indicator") && strcmp(by, "quarter") && strcmp(by, "month")) {
        tpl_err(t, d->line, "unknown value '%s' for 'by' (expected indicator, quarter or month)",
                by);
        goto out;
    }
    if (tpl_select_indicators(t, d, 0, &inds, &n) < 0)
        goto out;
    if (!strcmp(by, "indicator")) {
        if (k == DOC_CHART_LINE) {
            tpl_err(t, d->line, "a line chart runs over time: use by=quarter or by=month");
            goto out;
        }
        const char *spec = dir_opt(d, "columns");
        if (tpl_columns(t, d, spec ? spec : "previous value", cols, &ncols, PC_COUNT, 1) < 0)
            goto out;
        if (dir_opt(d, "title")) {
            if (tpl_placeholders(t, dir_opt(d, "title"), d->line, &title) < 0)
                goto out;
        } else {
            for (int c = 0; c < ncols; c++) {
                buf_puts(&title, c == 0 ? "" : c == ncols - 1 ? " and " : ", ");
                if (tpl_placeholders(t, present_col((PresentCol)cols[c])->heading, d->line, &title) < 0)
                    goto out;
            }
            if (n == 1)
                buf_printf(&title, ": %s", inds[0]->title);
        }
        DocChart *ch = doc_add_chart(bl, k, buf_cstr(&title), n, ncols);
        ch->desc_by_category = 1;
        if (tpl_chart_axis(t, d, ch, inds, n, cols, ncols) < 0)
            goto out;
        for (int c = 0; c < ncols; c++) {
            buf_reset(&name);
            if (tpl_placeholders(t, present_col((PresentCol)cols[c])->heading, d->line, &name) < 0)
                goto out;
            doc_chart_series(ch, c, buf_cstr(&name));
        }
        for (int i = 0; i < n; i++) {
            doc_chart_category(ch, i, inds[i]->title ? inds[i]->title : inds[i]->code);
            for (int c = 0; c < ncols; c++) {
                const Fig *f = col_fig(&inds[i]->row, cols[c]);
                if (f && !f->has)
                    tpl_lack(t, inds[i], tpl_missing_spans(&inds[i]->row, col_spans(cols[c])));
                tpl_chart_point(ch, c, i, inds[i], f);
            }
        }
    } else {
        int monthly = !strcmp(by, "month");
        int ncats = monthly ? REPORT_FY_MONTHS : REPORT_FY_QUARTERS;
        const ReportIndicator *ri = inds[0];
        if (n != 1) {
            tpl_err(t, d->line, "a chart by %s shows one indicator, not %d", by, n);
            goto out;
        }
        if (dir_opt(d, "columns")) {
            tpl_err(t, d->line, "'columns' goes with by=indicator");
            goto out;
        }
        if (dir_opt(d, "title")) {
            if (tpl_placeholders(t, dir_opt(d, "title"), d->line, &title) < 0)
                goto out;
        } else {
            buf_printf(&title, "%s by %s: ", ri->title ? ri->title : ri->code, by);
            if (tpl_placeholders(t, "{year ago} and {year}", d->line, &title) < 0)
                goto out;
        }
        DocChart *ch = doc_add_chart(bl, k, buf_cstr(&title), ncats, 2);
        if (tpl_chart_axis(t, d, ch, inds, n, NULL, 0) < 0)
            goto out;
        for (int s = 0; s < 2; s++) {
            buf_reset(&name);
            period_format(&name, tpl_year_period(t, s == 0), t->ctx->fy_start);
            doc_chart_series(ch, s, buf_cstr(&name));
        }
        for (int i = 0; i < ncats; i++) {
            buf_reset(&name);
            if (monthly)
                buf_puts(&name, MONTH_SHORT[(t->ctx->fy_start - 1 + i) % 12]);
            else
                buf_printf(&name, "Q%d", i + 1);
            doc_chart_category(ch, i, buf_cstr(&name));
            tpl_chart_point(ch, 0, i, ri, monthly ? &ri->month_prev[i] : &ri->quarter_prev[i]);
            tpl_chart_point(ch, 1, i, ri, monthly ? &ri->month_cur[i] : &ri->quarter_cur[i]);
        }
    }
    rc = 0;
out:
    free(inds);
    buf_release(&title);
    buf_release(&name);
    return rc;
}

/* {{exceptions}} (docs/web.md): the exception commentary of the period's
 * figures in the report's area — Indicator | Cause | Action | Owner | By —
 * or a sentence saying there is none. */
static int dir_exceptions(Tpl *t, const Dir *d, DocBlocks *bl)
{
    static const char *const heads[] = {"Indicator", "Cause", "Action", "Owner", "By"};
    const ReportCtx *c = t->ctx;
    (void)d;
    if (c->nexceptions == 0) {
        static const char none[] = "No exceptions were reported for this period.";
        doc_text_add(doc_add_para(bl, NULL), none, sizeof none - 1, 0);
        return 0;
    }
    DocTable *tab = doc_add_table(bl, 5, "exceptions");
    for (int k = 0; k < 5; k++)
        doc_table_header(tab, k, heads[k], DOC_ALIGN_LEFT);
    for (int i = 0; i < c->nexceptions; i++) {
        const ReportException *e = &c->exceptions[i];
        const char *cells[] = {e->title, e->cause, e->action, e->owner, e->date};
        int row = doc_table_row(tab);
        for (int k = 0; k < 5; k++)
            doc_cell_set(doc_table_cell(tab, row, k), cells[k], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    }
    return 0;
}

/* {{delivery}}: Status | Count | % of reported, and a total row. */
static int dir_delivery_block(Tpl *t, const Dir *d, DocBlocks *bl)
{
    const Delivery *dv = &t->ctx->delivery;
    Buf cell = BUF_INIT;
    (void)d;
    DocTable *tab = doc_add_table(bl, 3, "delivery");
    doc_table_header(tab, 0, "Status", DOC_ALIGN_LEFT);
    doc_table_header(tab, 1, "Count", DOC_ALIGN_RIGHT);
    doc_table_header(tab, 2, "% of reported", DOC_ALIGN_RIGHT);
    for (int s = 0; s < STATUS_COUNT; s++) {
        int row = doc_table_row(tab);
        doc_cell_set(doc_table_cell(tab, row, 0), doc_rag_word(tpl_status_rag((Status)s)), DOC_ALIGN_LEFT, 0,
                     tpl_status_rag((Status)s));
        buf_reset(&cell);
        buf_printf(&cell, "%d", dv->count[s]);
        doc_cell_set(doc_table_cell(tab, row, 1), buf_cstr(&cell), DOC_ALIGN_RIGHT, 1,
                     DOC_RAG_NONE);
        doc_cell_value(doc_table_cell(tab, row, 1), DOC_VALUE_NUMBER, fq_int(dv->count[s]), 0, 0);
        buf_reset(&cell);
        if (s != STATUS_UNREPORTED && dv->reported > 0)
            buf_printf(&cell, "%d%%", dv->percent[s]);
        doc_cell_set(doc_table_cell(tab, row, 2), buf_cstr(&cell), DOC_ALIGN_RIGHT, 1,
                     DOC_RAG_NONE);
        if (s != STATUS_UNREPORTED && dv->reported > 0)
            doc_cell_value(doc_table_cell(tab, row, 2), DOC_VALUE_PERCENT, fq_int(dv->percent[s]), 0, 0);
    }
    int row = doc_table_row(tab);
    doc_cell_set(doc_table_cell(tab, row, 0), "Total", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    buf_reset(&cell);
    buf_printf(&cell, "%d", dv->total);
    doc_cell_set(doc_table_cell(tab, row, 1), buf_cstr(&cell), DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    doc_cell_value(doc_table_cell(tab, row, 1), DOC_VALUE_NUMBER, fq_int(dv->total), 0, 0);
    doc_cell_set(doc_table_cell(tab, row, 2), "", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    if (dv->reported == 0) { /* no shares to give: the table says why they are blank */
        buf_reset(&cell);
        buf_puts(&cell, "Nothing reported for ");
        tpl_period_months(t, &cell);
        doc_table_note(tab, buf_cstr(&cell));
        buf_reset(&cell);
        buf_puts(&cell, "Delivery plan: nothing reported for ");
        tpl_period_months(t, &cell);
        tpl_lack_line(t, buf_cstr(&cell));
    }
    buf_release(&cell);
    return 0;
}

/* Project text (plain text from the data, never a template: no directives, no
 * emphasis) as blocks: blank lines part paragraphs; lines starting "- ", "* ",
 * "• " or "1. " / "1) " (a space or a tab after the marker) are list items,
 * and an item indented further than the one before it nests under it (up to
 * DOC_LIST_MAX_DEPTH levels), so lists keep their shape in every format. */
static void tpl_plain_blocks(DocBlocks *bl, const char *text)
{
    const char *p = text ? text : "";
    DocText *para = NULL;
    DocList *list = NULL;
    size_t levels[DOC_LIST_MAX_DEPTH]; /* the indent of each open list level */
    int nlevels = 0;
    while (*p) {
        size_t n = strcspn(p, "\n");
        const char *s = p;
        size_t sn = n;
        p += n + (p[n] == '\n');
        size_t indent = 0; /* columns of leading white space, a tab as four */
        for (size_t k = 0; k < sn && (s[k] == ' ' || s[k] == '\t'); k++)
            indent += s[k] == '\t' ? 4 : 1;
        tpl_trim(&s, &sn);
        if (sn == 0) {
            para = NULL;
            list = NULL;
            continue;
        }
        int number = 0;
        size_t skip = 0;
        if (sn >= 2 && (s[0] == '-' || s[0] == '*') && (s[1] == ' ' || s[1] == '\t')) {
            skip = 2;
        } else if (sn >= 4 && memcmp(s, "\xe2\x80\xa2", 3) == 0 && (s[3] == ' ' || s[3] == '\t')) {
            skip = 4;
        } else {
            size_t k = 0;
            while (k < sn && k < 5 && isdigit((unsigned char)s[k]))
                k++;
            if (k > 0 && k + 1 < sn && (s[k] == '.' || s[k] == ')') && (s[k + 1] == ' ' || s[k + 1] == '\t')) {
                number = atoi(s);
                skip = k + 2;
            }
        }
        if (skip) {
            if (!list) {
                list = doc_add_list(bl, NULL);
                levels[0] = indent;
                nlevels = 1;
            } else {
                while (nlevels > 1 && indent < levels[nlevels - 1])
                    nlevels--;
                if (indent > levels[nlevels - 1] && nlevels < DOC_LIST_MAX_DEPTH)
                    levels[nlevels++] = indent;
            }
            while (skip < sn && (s[skip] == ' ' || s[skip] == '\t'))
                skip++;
            para = doc_list_item(list, nlevels - 1, number);
            doc_text_add(para, s + skip, sn - skip, 0);
            continue;
        }
        if (para) {
            doc_text_add(para, " ", 1, 0);
        } else {
            para = doc_add_para(bl, NULL);
            list = NULL;
        }
        doc_text_add(para, s, sn, 0);
    }
}

static int dir_projects_block(Tpl *t, const Dir *d, DocBlocks *bl)
{
    const ReportCtx *c = t->ctx;
    char *sel = xmalloc((size_t)(c->nprojects > 0 ? c->nprojects : 1));
    int rc = -1;
    if (tpl_select_projects(t, d, d->nargs, sel) < 0)
        goto out;
    for (int i = 0; i < c->nprojects; i++) {
        const ReportProject *p = &c->projects[i];
        if (!sel[i])
            continue;
        DocCard *card = doc_add_card(bl, p->title ? p->title : p->code, p->lead,
                                     tpl_status_rag(p->status));
        tpl_plain_blocks(&card->what, p->description);
        tpl_plain_blocks(&card->commentary, p->commentary);
    }
    rc = 0;
out:
    free(sel);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Frames: the parts of the paper that come from the front matter     */
/* ------------------------------------------------------------------ */

/* A front matter text, directives expanded, into styled text. */
static int tpl_fm_text(Tpl *t, FmKey k, DocText *out)
{
    const FmValue *v = &t->fm[k];
    return tpl_inline(t, buf_cstr(&v->text), v->text.len, v->line, out);
}

static int tpl_fm_plain(Tpl *t, FmKey k, Buf *out)
{
    DocText text = {0};
    int rc = tpl_fm_text(t, k, &text);
    if (rc == 0)
        doc_text_plain(&text, out);
    doc_text_release(&text);
    return rc;
}

static int tpl_fm_has(const Tpl *t, FmKey k)
{
    const FmValue *v = &t->fm[k];
    if (!v->set)
        return 0;
    return FM_KEYS[k].kind == FM_YESNO || v->text.len > 0 || v->n > 0;
}

/* A heading and a bullet list from a list key. */
static int tpl_frame_list(Tpl *t, FmKey k, const char *heading, DocBlocks *bl)
{
    if (!tpl_fm_has(t, k))
        return 0;
    doc_text_puts(doc_add_heading(bl, 2), heading, 0);
    DocList *l = doc_add_list(bl, NULL);
    for (int i = 0; i < t->fm[k].n; i++) {
        const FmItem *it = &t->fm[k].items[i];
        if (tpl_inline(t, buf_cstr(&it->text), it->text.len, it->line, doc_list_item(l, 0, 0)) < 0)
            return -1;
    }
    return 0;
}

static int tpl_frame_fields(Tpl *t, const FmKey *keys, const char *const *labels, int n,
                            const char *role, DocBlocks *bl)
{
    DocFields *f = NULL;
    Buf v = BUF_INIT;
    int rc = -1;
    for (int i = 0; i < n; i++) {
        if (!tpl_fm_has(t, keys[i]))
            continue;
        if (!f)
            f = doc_add_fields(bl, role);
        buf_reset(&v);
        if (tpl_fm_plain(t, keys[i], &v) < 0)
            goto out;
        doc_field_add(f, labels[i], buf_cstr(&v));
    }
    rc = 0;
out:
    buf_release(&v);
    return rc;
}

/* "Label: Yes/No" with the answer in bold (and in words, never bold alone). */
static void tpl_frame_yesno(Tpl *t, FmKey k, const char *label, DocBlocks *bl)
{
    if (!tpl_fm_has(t, k))
        return;
    DocText *p = doc_add_para(bl, "decision");
    doc_text_puts(p, label, 0);
    doc_text_puts(p, " ", 0);
    doc_text_puts(p, t->fm[k].yes ? "Yes" : "No", DOC_BOLD);
}

/* The number= option of a frame: *out = -1 when absent (take the next
 * number), 0 for number=no, else the number. */
static int tpl_frame_number(Tpl *t, const Dir *d, int *out)
{
    const char *num = d ? dir_opt(d, "number") : NULL;
    *out = -1;
    if (!num)
        return 0;
    if (!strcmp(num, "no")) {
        *out = 0;
        return 0;
    }
    char *end;
    long v = strtol(num, &end, 10);
    if (!*num || *end || v < 1 || v > TPL_MAX_NUMBER)
        return tpl_err(t, d->line, "number must be a whole number from 1 to %d or 'no', not '%s'",
                       TPL_MAX_NUMBER, num);
    *out = (int)v;
    return 0;
}

/* The numbered sentence that opens the priorities and implications frames.
 * number= sets it (and the count goes on from it); number=no leaves it plain. */
static int tpl_frame_intro(Tpl *t, const Dir *d, int number, const char *def, DocBlocks *bl)
{
    const char *intro = d ? dir_opt(d, "intro") : NULL;
    DocText *text;
    if (number < 0)
        number = ++t->para_no;
    else if (number > 0)
        t->para_no = number;
    if (number) {
        t->list = NULL;
        text = doc_list_item(doc_add_list(bl, NULL), 0, number);
    } else {
        text = doc_add_para(bl, NULL);
    }
    if (intro)
        return tpl_inline(t, intro, strlen(intro), d->line, text);
    doc_text_puts(text, def, 0);
    return 0;
}

static int tpl_frame_ticks(Tpl *t, const Dir *d, FmKey k, const char *heading, const char *intro,
                           DocBlocks *bl)
{
    int number;
    if (tpl_frame_number(t, d, &number) < 0)
        return -1;
    if (!tpl_fm_has(t, k))
        return 0;
    doc_text_puts(doc_add_heading(bl, 2), heading, 0);
    if (tpl_frame_intro(t, d, number, intro, bl) < 0)
        return -1;
    DocTicks *ticks = doc_add_ticks(bl, TPL_TICK_COLUMNS, FM_KEYS[k].name);
    for (int i = 0; i < t->fm[k].n; i++) {
        const FmItem *it = &t->fm[k].items[i];
        if (tpl_inline(t, buf_cstr(&it->text), it->text.len, it->line,
                       doc_tick_add(ticks, it->ticked)) < 0)
            return -1;
    }
    return 0;
}

/* Build one frame into bl; d is the directive that placed it (NULL by default). */
static int tpl_frame(Tpl *t, FrameKind k, const Dir *d, DocBlocks *bl)
{
    switch (k) {
    case FRAME_HEAD: {
        static const FmKey keys[] = {FM_REPORT_OF, FM_MEETING, FM_DATE};
        static const char *const labels[] = {"Report of", "Meeting", "Date"};
        if (tpl_frame_fields(t, keys, labels, 3, "frame-head", bl) < 0)
            return -1;
        if (tpl_fm_has(t, FM_TITLE) && tpl_fm_text(t, FM_TITLE, doc_add_heading(bl, 1)) < 0)
            return -1;
        if (tpl_frame_list(t, FM_PURPOSE, "PURPOSE OF REPORT", bl) < 0)
            return -1;
        return tpl_frame_list(t, FM_RECOMMENDATIONS, "RECOMMENDATION(S)", bl);
    }
    case FRAME_DECISION:
        tpl_frame_yesno(t, FM_CONFIDENTIAL, "Confidential report:", bl);
        tpl_frame_yesno(t, FM_KEY_DECISION, "Key Decision?", bl);
        if (tpl_frame_list(t, FM_REASONS,
                           "REASONS FOR RECOMMENDATION(S) (If the recommendations are accepted)",
                           bl) < 0)
            return -1;
        return tpl_frame_list(t, FM_ALTERNATIVES, "ALTERNATIVE OPTIONS CONSIDERED AND REJECTED", bl);
    case FRAME_PRIORITIES:
        return tpl_frame_ticks(t, d, FM_PRIORITIES, "CORPORATE PRIORITIES",
                               "This report relates to the following Strategic Objectives:", bl);
    case FRAME_IMPLICATIONS:
        return tpl_frame_ticks(t, d, FM_IMPLICATIONS, "IMPLICATIONS OF REPORT",
                               "This report has implications in the following areas and the "
                               "relevant Directors' comments are included:", bl);
    case FRAME_SIGNATURE: {
        Buf name = BUF_INIT, title = BUF_INIT, papers = BUF_INIT;
        int rc = -1;
        if (!tpl_fm_has(t, FM_SIGNATORY) && !tpl_fm_has(t, FM_SIGNATORY_TITLE) &&
            !tpl_fm_has(t, FM_BACKGROUND_PAPERS))
            return 0;
        if (tpl_fm_plain(t, FM_SIGNATORY, &name) < 0 ||
            tpl_fm_plain(t, FM_SIGNATORY_TITLE, &title) < 0 ||
            tpl_fm_plain(t, FM_BACKGROUND_PAPERS, &papers) < 0)
            goto sig_out;
        tpl_upper_from(&name, 0);
        tpl_upper_from(&title, 0);
        doc_add_signature(bl, name.len ? buf_cstr(&name) : NULL,
                          title.len ? buf_cstr(&title) : NULL,
                          papers.len ? buf_cstr(&papers) : NULL);
        rc = 0;
    sig_out:
        buf_release(&name);
        buf_release(&title);
        buf_release(&papers);
        return rc;
    }
    case FRAME_AUTHOR: {
        static const FmKey keys[] = {FM_AUTHOR, FM_EXTENSION, FM_AUTHOR_DATE, FM_DOC_ID};
        static const char *const labels[] = {"Report Author", "Ext", "Date", "Doc ID"};
        return tpl_frame_fields(t, keys, labels, 4, "frame-author", bl);
    }
    case FRAME_COUNT:
        break;
    }
    PANIC("bad frame kind %d", (int)k);
}

static const char *const FRAME_OPTS[] = {"number", "intro", NULL};

/* {{frame head|decision|priorities|implications|signature|author}} */
static int dir_frame(Tpl *t, const Dir *d, DocBlocks *bl)
{
    if (d->nargs != 1)
        return tpl_err(t, d->line, "'frame' takes one of: head, decision, priorities, "
                                   "implications, signature, author");
    for (int k = 0; k < FRAME_COUNT; k++) {
        if (strcmp(d->args[0], FRAME_NAMES[k]) != 0)
            continue;
        if ((dir_opt(d, "number") || dir_opt(d, "intro")) && k != FRAME_PRIORITIES &&
            k != FRAME_IMPLICATIONS)
            return tpl_err(t, d->line, "options number= and intro= go with frame priorities or "
                                       "implications");
        t->frames_placed = 1;
        return tpl_frame(t, (FrameKind)k, d, bl);
    }
    return tpl_err(t, d->line, "unknown frame '%s' (expected head, decision, priorities, "
                               "implications, signature or author)", d->args[0]);
}

/* Cells of row k of a benchmark, and its rate as a number (for geometry). */
#define BENCH_CELL(rb, k, c) ((rb)->cells[(size_t)(k) * REPORT_BENCH_NCOLS + (c)])

/* The chart of a benchmark (chart=yes): the areas that have a rate, one row
 * each, sorted by rank — best first by the indicator's polarity (lowest
 * first when lower is better, highest first when higher is better, lowest
 * first when it has none, and then the title says "by rate", not "best
 * first"), ties in the group's order —; each rate a
 * horizontal bar with its 95% interval as a whisker, the group's rate one
 * dashed line (DocChart .whiskers, drawn so in SVG and cairo; the workbook's
 * own chart has the intervals too); the report's area is whisker_home. */
static int tpl_benchmark_chart(Tpl *t, const ReportBench *rb, const char *group, const char *per, DocBlocks *bl)
{
    int *order = xcalloc((size_t)rb->nrows + 1, sizeof *order), n = 0;
    Buf b = BUF_INIT;
    for (int k = 0; k < rb->nrows; k++) {
        if (!BENCH_CELL(rb, k, REPORT_BENCH_RATE)[0])
            continue;
        long rank = strtol(BENCH_CELL(rb, k, REPORT_BENCH_RANK), NULL, 10);
        int at = n++;
        while (at > 0 && strtol(BENCH_CELL(rb, order[at - 1], REPORT_BENCH_RANK), NULL, 10) > rank) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = k;
    }
    const char *way = n > 1 && strtod(BENCH_CELL(rb, order[0], REPORT_BENCH_RATE), NULL) > strtod(BENCH_CELL(rb, order[n - 1], REPORT_BENCH_RATE), NULL)
                          ? "highest first"
                          : "lowest first";
    /* polarity none: verdicts say higher or lower, and there is no best (ranks run lowest first) */
    const char *by = "best first";
    for (int k = 0; k < rb->nrows; k++)
        if (strcmp(BENCH_CELL(rb, k, REPORT_BENCH_VERDICT), "higher") == 0 || strcmp(BENCH_CELL(rb, k, REPORT_BENCH_VERDICT), "lower") == 0)
            by = "by rate";
    if (rb->per)
        buf_printf(&b, "%s per %s residents: %s against %s, %s (%s)", rb->title, per, t->ctx->area, group, by, way);
    else
        buf_printf(&b, "%s (percent): %s against %s, %s (%s)", rb->title, t->ctx->area, group, by, way);
    DocChart *ch = doc_add_chart(bl, DOC_CHART_BAR, buf_cstr(&b), n, 4);
    ch->whiskers = 1;
    buf_reset(&b);
    if (rb->per)
        buf_printf(&b, "per %s residents", per);
    else
        buf_puts(&b, "percent");
    size_t ulen = b.len < sizeof ch->whisker_unit - 1 ? b.len : sizeof ch->whisker_unit - 1;
    memcpy(ch->whisker_unit, buf_cstr(&b), ulen);
    ch->whisker_unit[ulen] = 0;
    static const char *const names[4] = {"Rate", "95% lower", "95% upper", "Group rate"};
    static const int cols[4] = {REPORT_BENCH_RATE, REPORT_BENCH_RATE_LOWER, REPORT_BENCH_RATE_UPPER,
                                REPORT_BENCH_GROUP_RATE};
    for (int sidx = 0; sidx < 4; sidx++)
        doc_chart_series(ch, sidx, names[sidx]);
    for (int i = 0; i < n; i++) {
        int k = order[i];
        doc_chart_category(ch, i, BENCH_CELL(rb, k, REPORT_BENCH_AREA));
        if (t->ctx->area && strcmp(BENCH_CELL(rb, k, REPORT_BENCH_AREA), t->ctx->area) == 0)
            ch->whisker_home = i + 1;
        for (int sidx = 0; sidx < 4; sidx++) {
            const char *txt = BENCH_CELL(rb, k, cols[sidx]);
            doc_chart_point(ch, sidx, i, txt[0] != 0, txt[0] ? strtod(txt, NULL) : 0, txt[0] ? txt : NULL);
        }
    }
    free(order);
    buf_release(&b);
    return 0;
}

/* The exact figure of a benchmark cell: bench_rows.h gives the figures as
 * exact decimal text it rounded once (at most FQ_MAX_DECIMALS places), so
 * reading it back loses nothing. percent: a ratio's value, rate or interval,
 * in per cent. Nothing for an empty cell. */
static void tpl_bench_value(DocCell *dc, const char *text, int percent)
{
    int64_t micro;
    const char *why;
    if (!text[0] || fq_parse_micro(text, &micro, &why) < 0)
        return;
    const char *dot = strchr(text, '.');
    dc->value = doc_value_of(percent ? PRESENT_PERCENT : PRESENT_PLAIN, fq_micro(micro),
                             dot ? (int)strlen(dot + 1) : 0, 0);
}

/* {{benchmark CODE group=G caption="..." chart=yes}} (docs/benchmark.md): the rows of `kpi
 * benchmark` for the report's period as a table — area (the report's own
 * marked), value, population, rate, its 95% interval, rank and verdict — with
 * the group's rate and the notes under it. The figures come through
 * ctx->benchmark (bench_rows.h), the same as the CLI prints. */
static int dir_benchmark(Tpl *t, const Dir *d, DocBlocks *bl)
{
    static const int cols[] = {REPORT_BENCH_AREA, REPORT_BENCH_VALUE,      REPORT_BENCH_POPULATION,
                               REPORT_BENCH_RATE, REPORT_BENCH_RATE_LOWER, REPORT_BENCH_RATE_UPPER,
                               REPORT_BENCH_RANK, REPORT_BENCH_VERDICT};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    const char *group = dir_opt(d, "group");
    ReportBench rb;
    Err e = ERR_INIT;
    Buf cell = BUF_INIT, per = BUF_INIT;
    int rc = -1;
    memset(&rb, 0, sizeof rb);
    if (d->nargs != 1)
        return tpl_err(t, d->line, "'benchmark' takes one indicator code, e.g. {{benchmark crime.all group=\"Most similar\"}}");
    if (!group)
        return tpl_err(t, d->line, "'benchmark' needs group=NAME (a group of areas: `kpi import groups`)");
    if (!t->ctx->benchmark)
        return tpl_err(t, d->line, "'benchmark' is not available here (no store to read the group from)");
    if (t->ctx->benchmark(t->ctx->benchmark_arg, d->args[0], group, &rb, &e) < 0) {
        tpl_err(t, d->line, "benchmark %s: %s", d->args[0], err_msg(&e));
        goto out;
    }
    DocTable *tab = doc_add_table(bl, NCOLS, "benchmark");
    buf_printf(&cell, "%lld", rb.per);
    for (size_t k = 0; k < cell.len; k++) /* 1,000 */
        buf_printf(&per, "%s%c", k > 0 && (cell.len - k) % 3 == 0 ? "," : "", cell.data[k]);
    buf_reset(&cell);
    const char *heads[NCOLS] = {"Area", rb.per ? "Count" : "Value", "Pop.", rb.per ? "Rate" : "%", "Lower", "Upper",
                                "Rank", "Verdict"};
    for (int c = 0; c < NCOLS; c++)
        doc_table_header(tab, c, heads[c], c == 0 || c == NCOLS - 1 ? DOC_ALIGN_LEFT : DOC_ALIGN_RIGHT);
    buf_reset(&cell);
    if (dir_opt(d, "caption")) {
        if (tpl_placeholders(t, dir_opt(d, "caption"), d->line, &cell) < 0)
            goto out;
    } else {
        buf_printf(&cell, "%s%s%s: %s (*) against %s", rb.title, rb.per ? " per " : " (percent)",
                   rb.per ? buf_cstr(&per) : "", t->ctx->area, group);
    }
    doc_table_caption(tab, buf_cstr(&cell));
    for (int k = 0; k < rb.nrows; k++) {
        char **r = rb.cells + (size_t)k * REPORT_BENCH_NCOLS;
        int row = doc_table_row(tab);
        for (int c = 0; c < NCOLS; c++) {
            buf_reset(&cell);
            buf_puts(&cell, r[cols[c]]);
            if (c == 0 && t->ctx->area && strcmp(r[REPORT_BENCH_AREA], t->ctx->area) == 0)
                buf_puts(&cell, " *");
            int numeric = c > 0 && c < NCOLS - 1;
            /* better and worse are coloured as green and red are (the word is there too) */
            DocRag rag = c != NCOLS - 1                                   ? DOC_RAG_NONE
                         : strcmp(r[REPORT_BENCH_VERDICT], "better") == 0 ? DOC_RAG_GREEN
                         : strcmp(r[REPORT_BENCH_VERDICT], "worse") == 0  ? DOC_RAG_RED
                                                                          : DOC_RAG_NONE;
            DocCell *dc = doc_table_cell(tab, row, c);
            doc_cell_set(dc, buf_cstr(&cell), numeric ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT, numeric, rag);
            if (numeric)
                tpl_bench_value(dc, r[cols[c]], !rb.per && c != 2 && c != 6);
        }
    }
    /* Each distinct note once, with the areas it is about. */
    for (int k = 0; k < rb.nrows; k++) {
        const char *note = rb.cells[(size_t)k * REPORT_BENCH_NCOLS + REPORT_BENCH_NOTE];
        int first = 1, seen = 0, all = 1;
        for (int j = 0; j < k && !seen; j++)
            seen = strcmp(rb.cells[(size_t)j * REPORT_BENCH_NCOLS + REPORT_BENCH_NOTE], note) == 0;
        if (!note[0] || seen)
            continue;
        for (int j = 0; j < rb.nrows; j++)
            all &= strcmp(rb.cells[(size_t)j * REPORT_BENCH_NCOLS + REPORT_BENCH_NOTE], note) == 0;
        buf_reset(&cell);
        if (all)
            buf_puts(&cell, "Every area");
        for (int j = k; j < rb.nrows && !all; j++) {
            if (strcmp(rb.cells[(size_t)j * REPORT_BENCH_NCOLS + REPORT_BENCH_NOTE], note) != 0)
                continue;
            buf_printf(&cell, "%s%s", first ? "" : ", ", rb.cells[(size_t)j * REPORT_BENCH_NCOLS + REPORT_BENCH_AREA]);
            first = 0;
        }
        buf_printf(&cell, ": %s", note);
        doc_table_note(tab, buf_cstr(&cell));
    }
    if (rb.nrows > 0 && rb.cells[REPORT_BENCH_GROUP_RATE][0]) {
        buf_reset(&cell);
        if (rb.per)
            buf_printf(&cell, "Group rate: %s per %s residents. ", rb.cells[REPORT_BENCH_GROUP_RATE], buf_cstr(&per));
        else
            buf_printf(&cell, "Group rate: %s%%. ", rb.cells[REPORT_BENCH_GROUP_RATE]);
        buf_puts(&cell, "Lower and Upper bound the rate's 95% interval; the verdict is similar when the group rate "
                        "lies inside it.");
        doc_table_note(tab, buf_cstr(&cell));
    }
    int chart;
    if (dir_yesno(t, d, "chart", 0, &chart) < 0)
        goto out;
    if (chart && tpl_benchmark_chart(t, &rb, group, buf_cstr(&per), bl) < 0)
        goto out;
    rc = 0;
out:
    buf_release(&per);
    report_bench_release(&rb);
    err_release(&e);
    buf_release(&cell);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The directive table                                                */
/* ------------------------------------------------------------------ */

static const char *const NO_OPTS[] = {NULL};
static const char *const VALUE_OPTS[] = {"abs", "trim", "sign", "unit", "decimals", "zero",
                                         "missing", "words", "says", NULL};
static const char *const CHANGE_OPTS[] = {"subject", "period", "significance", NULL};
static const char *const SUBJECT_OPTS[] = {"subject", NULL};
static const char *const MOVEMENT_OPTS[] = {"subject", "lead", NULL};
static const char *const TABLE_OPTS[] = {"columns", "headers", "caption", NULL};
static const char *const TARGETS_OPTS[] = {"rag", "headers", "caption", NULL};
static const char *const CHART_OPTS[] = {"kind", "by", "columns", "title", "axis", NULL};
static const char *const WORDS_OPTS[] = {"words", NULL};
static const char *const SPC_OPTS[] = {"title", NULL};
static const char *const BENCHMARK_OPTS[] = {"group", "caption", "chart", NULL};

static const DirSpec DIR_SPECS[] = {
    {"frame", dir_frame, NULL, NULL, FRAME_OPTS},
    {"table", dir_table, NULL, NULL, TABLE_OPTS},
    {"targets", dir_targets, NULL, NULL, TARGETS_OPTS},
    {"chart", dir_chart, NULL, NULL, CHART_OPTS},
    {"spc", dir_spc, NULL, NULL, SPC_OPTS},
    {"benchmark", dir_benchmark, NULL, NULL, BENCHMARK_OPTS},
    {"delivery", dir_delivery_block, dir_delivery_inline, dir_delivery_is_block, WORDS_OPTS},
    {"projects", dir_projects_block, dir_projects_inline, dir_projects_is_block, WORDS_OPTS},
    {"exceptions", dir_exceptions, NULL, NULL, NO_OPTS},
    {"value", NULL, dir_value, NULL, VALUE_OPTS},
    {"change", NULL, dir_change, NULL, CHANGE_OPTS},
    {"target", NULL, dir_target, NULL, SUBJECT_OPTS},
    {"movement", NULL, dir_movement, NULL, MOVEMENT_OPTS},
    {"period", NULL, dir_period, NULL, NO_OPTS},
    {"year", NULL, dir_year, NULL, NO_OPTS},
    {"area", NULL, dir_area, NULL, NO_OPTS},
};

static const DirSpec *dir_spec(const char *name)
{
    for (size_t i = 0; i < sizeof(DIR_SPECS) / sizeof(DIR_SPECS[0]); i++)
        if (strcmp(DIR_SPECS[i].name, name) == 0)
            return &DIR_SPECS[i];
    return NULL;
}

/* "unknown directive 'tabel': did you mean 'table'?" */
static void tpl_unknown_directive(Tpl *t, const Dir *d)
{
    enum { NSPECS = sizeof(DIR_SPECS) / sizeof(DIR_SPECS[0]) };
    char *names[NSPECS];
    for (int i = 0; i < NSPECS; i++)
        names[i] = (char *)DIR_SPECS[i].name;
    const char *near = validate_suggest(d->name, names, NSPECS);
    if (near)
        tpl_err(t, d->line, "unknown directive '%s': did you mean '%s'?", d->name, near);
    else
        tpl_err(t, d->line, "unknown directive '%s'", d->name);
}

static const DirSpec *tpl_spec(Tpl *t, const Dir *d)
{
    const DirSpec *spec = dir_spec(d->name);
    if (!spec) {
        tpl_unknown_directive(t, d);
        return NULL;
    }
    if (dir_check_opts(t, spec, d) < 0)
        return NULL;
    return spec;
}

/* ------------------------------------------------------------------ */
/* Inline text: **bold**, *italic*, \escapes and inline directives    */
/* ------------------------------------------------------------------ */

static int tpl_space_before(const char *s, size_t i)
{
    return i == 0 || isspace((unsigned char)s[i - 1]);
}

static int tpl_space_after(const char *s, size_t n, size_t i)
{
    return i >= n || isspace((unsigned char)s[i]);
}

/* A sentence that gives way: an inline directive with nothing true to put in
 * it (tpl_value_gap) asked for `text` in place of the sentence holding
 * plain-text position `at`. */
typedef struct TplGap {
    size_t at;
    char *text;
} TplGap;

static size_t tpl_plain_len(const DocText *dt)
{
    size_t n = 0;
    for (int i = 0; i < dt->n; i++)
        n += strlen(dt->spans[i].text);
    return n;
}

/* 1 when p[k] ends a sentence: '.', '!' or '?' at the end or before a blank. */
static int tpl_sentence_end(const char *p, size_t len, size_t k)
{
    return (p[k] == '.' || p[k] == '!' || p[k] == '?') && (k + 1 == len || p[k + 1] == ' ');
}

/* Append to dst the text of src between plain positions [from, to), each
 * piece in its own style. */
static void tpl_copy_plain_range(DocText *dst, const DocText *src, size_t from, size_t to)
{
    size_t off = 0;
    for (int i = 0; i < src->n && off < to; i++) {
        size_t n = strlen(src->spans[i].text);
        size_t a = from > off ? from - off : 0, b = to - off < n ? to - off : n;
        if (a < b)
            doc_text_add(dst, src->spans[i].text + a, b - a, src->spans[i].style);
        off += n;
    }
}

/* Replace each sentence of out (from plain position base on) that holds a gap
 * by the gap's text, in plain style; a sentence with several gaps takes each
 * different text once, and neighbouring sentences replaced by the same text
 * say it once. */
static void tpl_apply_gaps(DocText *out, size_t base, const TplGap *g, int ng)
{
    Buf plain = BUF_INIT;
    doc_text_plain(out, &plain);
    const char *p = buf_cstr(&plain);
    size_t len = plain.len;
    size_t *rs = xmalloc(sizeof *rs * (size_t)ng), *re = xmalloc(sizeof *re * (size_t)ng);
    Buf *rt = xmalloc(sizeof *rt * (size_t)ng);
    int nr = 0;
    for (int i = 0; i < ng; i++) {
        size_t a = g[i].at < len ? g[i].at : len, st = base, en = len;
        for (size_t k = a; k > base; k--)
            if (tpl_sentence_end(p, len, k - 1)) {
                st = k;
                break;
            }
        while (st < len && p[st] == ' ')
            st++;
        for (size_t k = a; k < len; k++)
            if (tpl_sentence_end(p, len, k)) {
                en = k + 1;
                break;
            }
        if (st > a)
            st = a;
        int same_text = nr > 0 && strcmp(buf_cstr(&rt[nr - 1]), g[i].text) == 0;
        int between_blank = nr > 0 && st >= re[nr - 1];
        for (size_t k = nr > 0 ? re[nr - 1] : 0; between_blank && k < st; k++)
            between_blank = p[k] == ' ';
        if (nr > 0 && (st < re[nr - 1] || (same_text && between_blank))) {
            if (en > re[nr - 1])
                re[nr - 1] = en;
            if (!strstr(buf_cstr(&rt[nr - 1]), g[i].text))
                buf_printf(&rt[nr - 1], " %s", g[i].text);
            continue;
        }
        rs[nr] = st;
        re[nr] = en;
        rt[nr] = (Buf)BUF_INIT;
        buf_puts(&rt[nr], g[i].text);
        nr++;
    }
    DocText nt = {0};
    size_t cursor = 0;
    for (int k = 0; k < nr; k++) {
        tpl_copy_plain_range(&nt, out, cursor, rs[k]);
        doc_text_puts(&nt, buf_cstr(&rt[k]), 0);
        cursor = re[k];
    }
    tpl_copy_plain_range(&nt, out, cursor, len);
    for (int k = 0; k < nr; k++)
        buf_release(&rt[k]);
    free(rt);
    free(rs);
    free(re);
    buf_release(&plain);
    doc_text_release(out);
    *out = nt;
}

/* Parse s[0..n) (starting on `line`) into out. A line break is a space.
 * Emphasis opens before a non-space and closes after one; anything else is a
 * literal asterisk. Directive output is literal text in the current style.
 * A directive with no figure to give (t->gap set) has the whole sentence
 * holding it replaced by its words (tpl_apply_gaps). */
static int tpl_inline(Tpl *t, const char *s, size_t n, long line, DocText *out)
{
    Buf run = BUF_INIT;
    TplGap *gaps = NULL;
    int ngaps = 0;
    size_t base = tpl_plain_len(out);
    int style = 0, rc = -1;
    long bold_line = 0, italic_line = 0;
    size_t i = 0;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    while (i < n && isspace((unsigned char)s[i]))
        line += s[i++] == '\n';
    while (i < n) {
        char c = s[i];
        if (c == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
            buf_putc(&run, s[i + 1]);
            i += 2;
        } else if (c == '{' && i + 1 < n && s[i + 1] == '{') {
            Dir d;
            const DirSpec *spec;
            if (dir_parse(t, s, n, &i, &line, &d) < 0 || !(spec = tpl_spec(t, &d))) {
                dir_release(&d);
                goto out;
            }
            if (dir_is_block(spec, &d)) {
                tpl_err(t, d.line, "'%s' makes a block: put it on a line of its own", d.name);
                dir_release(&d);
                goto out;
            }
            int r = spec->inl(t, &d, &run);
            dir_release(&d);
            if (r < 0)
                goto out;
            if (t->gap.len) {
                gaps = xrealloc(gaps, sizeof *gaps * (size_t)(ngaps + 1));
                gaps[ngaps].at = tpl_plain_len(out) + run.len;
                gaps[ngaps++].text = xstrdup(buf_cstr(&t->gap));
                buf_reset(&t->gap);
            }
        } else if (c == '\r') {
            i++;
        } else if (c == '\n') {
            line++;
            i++;
            while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
                i++;
            if (run.len == 0 || run.data[run.len - 1] != ' ')
                buf_putc(&run, ' ');
        } else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            if ((style & DOC_BOLD) ? tpl_space_before(s, i) : tpl_space_after(s, n, i + 2)) {
                buf_puts(&run, "**"); /* not a marker: "a ** b" */
            } else {
                doc_text_add(out, run.data ? run.data : "", run.len, style);
                buf_reset(&run);
                style ^= DOC_BOLD;
                bold_line = line;
            }
            i += 2;
        } else if (c == '*' && ((style & DOC_ITALIC) ? !tpl_space_before(s, i)
                                                     : !tpl_space_after(s, n, i + 1))) {
            doc_text_add(out, run.data ? run.data : "", run.len, style);
            buf_reset(&run);
            style ^= DOC_ITALIC;
            italic_line = line;
            i++;
        } else {
            buf_putc(&run, c);
            i++;
        }
    }
    if (style & DOC_BOLD) {
        tpl_err(t, bold_line, "'**' (bold) is not closed; write \\* for a literal asterisk");
        goto out;
    }
    if (style & DOC_ITALIC) {
        tpl_err(t, italic_line, "'*' (italic) is not closed; write \\* for a literal asterisk");
        goto out;
    }
    doc_text_add(out, run.data ? run.data : "", run.len, style);
    if (ngaps)
        tpl_apply_gaps(out, base, gaps, ngaps);
    rc = 0;
out:
    for (int k = 0; k < ngaps; k++)
        free(gaps[k].text);
    free(gaps);
    buf_reset(&t->gap);
    buf_release(&run);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The body                                                           */
/* ------------------------------------------------------------------ */

typedef struct TplBody {
    const char *text;
    size_t len;
    TplLines L;
} TplBody;

/* Heading level of a line ("## Title"), or 0. */
static int tpl_heading_level(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] == '#')
        k++;
    return k > 0 && (k == n || s[k] == ' ' || s[k] == '\t') ? (int)k : 0;
}

/* A list item line: sets *depth, *number (0 bullet, -1 automatic "#.", N) and
 * *content (offset of the text after the marker). */
static int tpl_item(const char *s, size_t n, int *depth, long *number, size_t *content)
{
    size_t k = 0, cols = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) {
        cols += s[k] == '\t' ? TPL_TAB_WIDTH : 1;
        k++;
    }
    *depth = (int)(cols / TPL_INDENT_PER_LEVEL);
    if (k + 1 < n && s[k] == '-' && s[k + 1] == ' ') {
        *number = 0;
        *content = k + 2;
        return 1;
    }
    if (k + 2 < n && s[k] == '#' && s[k + 1] == '.' && s[k + 2] == ' ') {
        *number = -1;
        *content = k + 3;
        return 1;
    }
    size_t j = k;
    while (j < n && j - k < 6 && isdigit((unsigned char)s[j]))
        j++;
    if (j > k && j + 1 < n && s[j] == '.' && s[j + 1] == ' ') {
        *number = strtol(s + k, NULL, 10);
        *content = j + 2;
        return 1;
    }
    return 0;
}

/* If line i is a block directive, parse it: returns 1 with *d filled and
 * *next the index of the line after it; 0 when the line is text (d freed);
 * -1 on error. */
static int tpl_block_line(Tpl *t, const TplBody *b, int i, Dir *d, int *next)
{
    const TplLine *ln = &b->L.v[i];
    const char *s = b->text + ln->off;
    size_t k = 0;
    memset(d, 0, sizeof(*d));
    while (k < ln->n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    if (k + 1 >= ln->n || s[k] != '{' || s[k + 1] != '{')
        return 0;
    size_t pos = ln->off + k;
    long line = ln->no;
    if (dir_parse(t, b->text, b->len, &pos, &line, d) < 0)
        return -1;
    /* the rest of the closing line must be blank */
    size_t e = pos;
    while (e < b->len && b->text[e] != '\n')
        e++;
    if (!tpl_is_blank(b->text + pos, e - pos)) {
        dir_release(d);
        return 0;
    }
    const DirSpec *spec = dir_spec(d->name);
    if (!spec) {
        tpl_unknown_directive(t, d);
        return -1;
    }
    if (!dir_is_block(spec, d)) {
        dir_release(d);
        return 0;
    }
    int j = i;
    while (j < b->L.n && b->L.v[j].no <= line)
        j++;
    *next = j;
    return 1;
}

/* Does line i end the paragraph or item above it? */
static int tpl_breaks_text(Tpl *t, const TplBody *b, int i, int *err)
{
    const TplLine *ln = &b->L.v[i];
    const char *s = b->text + ln->off;
    int depth, next;
    long number;
    size_t content;
    Dir d;
    *err = 0;
    if (tpl_is_blank(s, ln->n) || tpl_heading_level(s, ln->n) ||
        tpl_item(s, ln->n, &depth, &number, &content))
        return 1;
    int r = tpl_block_line(t, b, i, &d, &next);
    dir_release(&d);
    if (r < 0)
        *err = 1;
    return r != 0;
}

/* The last line of the text that starts at line i: up to a blank or
 * structural line. Returns the index after it, or -1 on error. */
static int tpl_text_end(Tpl *t, const TplBody *b, int i)
{
    int j = i + 1, err = 0;
    while (j < b->L.n && !tpl_breaks_text(t, b, j, &err))
        j++;
    return err ? -1 : j;
}

static int tpl_body(Tpl *t, const TplBody *b)
{
    DocBlocks *bl = &t->doc->body;
    int i = 0;
    t->list = NULL;
    while (i < b->L.n) {
        const TplLine *ln = &b->L.v[i];
        const char *s = b->text + ln->off;
        int level, depth, next;
        long number;
        size_t content;
        Dir d;

        if (tpl_is_blank(s, ln->n)) {
            i++;
            continue;
        }
        if ((level = tpl_heading_level(s, ln->n)) > 0) {
            if (level > TPL_MAX_HEADING)
                return tpl_err(t, ln->no, "headings go from # to ###, not %d levels", level);
            t->list = NULL;
            if (tpl_inline(t, s + level, ln->n - (size_t)level, ln->no,
                           doc_add_heading(bl, level)) < 0)
                return -1;
            i++;
            continue;
        }
        int r = tpl_block_line(t, b, i, &d, &next);
        if (r < 0) {
            dir_release(&d);
            return -1;
        }
        if (r > 0) {
            const DirSpec *spec = tpl_spec(t, &d);
            t->list = NULL;
            r = spec ? spec->block(t, &d, bl) : -1;
            dir_release(&d);
            if (r < 0)
                return -1;
            t->list = NULL;
            i = next;
            continue;
        }
        int end = tpl_text_end(t, b, i);
        if (end < 0)
            return -1;
        const TplLine *last = &b->L.v[end - 1];
        size_t stop = last->off + last->n;
        if (tpl_item(s, ln->n, &depth, &number, &content)) {
            if (number == -1) {
                number = ++t->para_no;
            } else if (number > 0) {
                if (number > TPL_MAX_NUMBER)
                    return tpl_err(t, ln->no, "paragraph number %ld is too large", number);
                t->para_no = (int)number;
            }
            if (!t->list)
                t->list = doc_add_list(bl, NULL);
            if (t->list->n > 0) {
                int top = t->list->items[t->list->n - 1].depth + 1;
                depth = depth > top ? top : depth;
            } else {
                depth = 0;
            }
            DocText *text = doc_list_item(t->list, depth, (int)number);
            if (tpl_inline(t, s + content, stop - ln->off - content, ln->no, text) < 0)
                return -1;
        } else {
            t->list = NULL;
            if (tpl_inline(t, s, stop - ln->off, ln->no, doc_add_para(bl, NULL)) < 0)
                return -1;
        }
        /* a list goes on over blank lines only into another item */
        int j = end;
        while (j < b->L.n && tpl_is_blank(b->text + b->L.v[j].off, b->L.v[j].n))
            j++;
        if (j < b->L.n &&
            !tpl_item(b->text + b->L.v[j].off, b->L.v[j].n, &depth, &number, &content))
            t->list = NULL;
        i = end;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                        */
/* ------------------------------------------------------------------ */

/* Move the blocks of `front` before those already in bl. */
static void tpl_prepend(DocBlocks *bl, DocBlocks *front)
{
    DocBlocks merged = {0};
    for (int i = 0; i < front->n + bl->n; i++) {
        DocBlock *blk = i < front->n ? front->v[i] : bl->v[i - front->n];
        if (merged.n == merged.cap) {
            merged.cap = merged.cap ? merged.cap * 2 : 16;
            merged.v = xrealloc(merged.v, (size_t)merged.cap * sizeof(DocBlock *));
        }
        merged.v[merged.n++] = blk;
    }
    free(bl->v);
    free(front->v);
    *bl = merged;
    memset(front, 0, sizeof(*front));
}

/* The document's title: the front matter title, or the first heading. */
static void tpl_doc_title(Tpl *t)
{
    Buf title = BUF_INIT;
    const DocBlocks *bl = &t->doc->body;
    for (int i = 0; i < bl->n && title.len == 0; i++)
        if (bl->v[i]->kind == DOC_HEADING)
            doc_text_plain(&bl->v[i]->u.heading.text, &title);
    doc_set_title(t->doc, title.len ? buf_cstr(&title) : NULL);
    buf_release(&title);
}

/* The lines of what the paper lacks, one a line: each indicator's missing
 * months in the order met, then the delivery plan and projects. */
static void tpl_lacks(const Tpl *t, Buf *out)
{
    for (int i = 0; i < t->nlack; i++) {
        buf_printf(out, "%s: no figure for ", tpl_title(t->lack_ri[i]));
        tpl_months_words(t, &t->lack_ri[i]->row, t->lack_spans[i], out);
        buf_putc(out, '\n');
    }
    buf_puts(out, buf_cstr(&t->lack_other));
}

int template_build(const char *text, size_t len, const char *path, const ReportCtx *ctx,
                   Doc **out, Err *err)
{
    return template_build_checked(text, len, path, ctx, out, NULL, err);
}

int template_build_checked(const char *text, size_t len, const char *path, const ReportCtx *ctx,
                           Doc **out, Buf *lacks, Err *err)
{
    Tpl t;
    TplBody body = {text, len, {NULL, 0}};
    TplLines all = {NULL, 0};
    DocBlocks head = {0};
    size_t start = 0;
    int rc = -1;

    memset(&t, 0, sizeof(t));
    t.path = path ? path : "template";
    t.ctx = ctx;
    t.err = err;
    t.doc = doc_new();
    *out = NULL;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    tpl_split_lines(text, len, start, &all);
    int first_body = 0;
    if (all.n > 0 && tpl_line_is(text + all.v[0].off, all.v[0].n, "---")) {
        int close = -1;
        for (int i = 1; i < all.n && close < 0; i++)
            if (tpl_line_is(text + all.v[i].off, all.v[i].n, "---"))
                close = i;
        if (close < 0) {
            tpl_err(&t, all.v[0].no, "the front matter opened here is not closed by a '---' line");
            goto out;
        }
        if (tpl_front_matter(&t, text, &all, 1, close) < 0)
            goto out;
        first_body = close + 1;
    }
    body.L.v = all.n > 0 ? all.v + first_body : NULL; /* an empty template has no lines at all */
    body.L.n = all.n - first_body;
    if (tpl_body(&t, &body) < 0)
        goto out;

    if (!t.frames_placed) {
        /* head at the top; the rest at the end, in the order of the paper */
        if (tpl_frame(&t, FRAME_HEAD, NULL, &head) < 0)
            goto out;
        tpl_prepend(&t.doc->body, &head);
        for (int k = FRAME_DECISION; k < FRAME_COUNT; k++)
            if (tpl_frame(&t, (FrameKind)k, NULL, &t.doc->body) < 0)
                goto out;
    }
    if (t.fm[FM_TITLE].set) {
        Buf title = BUF_INIT;
        if (tpl_fm_plain(&t, FM_TITLE, &title) < 0) {
            buf_release(&title);
            goto out;
        }
        doc_set_title(t.doc, buf_cstr(&title));
        buf_release(&title);
    } else {
        tpl_doc_title(&t);
    }
    if (lacks)
        tpl_lacks(&t, lacks);
    *out = t.doc;
    t.doc = NULL;
    rc = 0;
out:
    free(t.lack_ri);
    free(t.lack_spans);
    buf_release(&t.lack_other);
    buf_release(&t.gap);
    doc_blocks_release(&head);
    doc_free(t.doc);
    fm_release(t.fm);
    free(all.v);
    return rc;
}
