/* present.c — the presentation layer (present.h): the compare columns, the
 * figure formatter and the words of statuses and directions, each written
 * once. */
#include "present.h"

#include <string.h>
#include <strings.h>

#include "err.h"

/* ---- the figure formatter ---- */

#define PRESENT_GROUP 3 /* digits in a thousands group */

void present_figure(Buf *out, Fq q, const PresentFmt *fmt)
{
    Buf digits = BUF_INIT;
    Fq rounded = fq_round(q, fmt->decimals);
    int sign = fq_sign(rounded);
    fq_format(&digits, fq_abs(q), fmt->decimals); /* rounds once, half away from zero */
    if (sign < 0)
        buf_putc(out, '-');
    else if (sign > 0 && fmt->sign)
        buf_putc(out, '+');
    if (fmt->suffix == PRESENT_CURRENCY)
        buf_puts(out, "\xc2\xa3"); /* £ */
    const char *d = buf_cstr(&digits);
    size_t whole = strcspn(d, ".");
    for (size_t i = 0; i < whole; i++) {
        if (fmt->thousands && i > 0 && (whole - i) % PRESENT_GROUP == 0)
            buf_putc(out, ',');
        buf_putc(out, d[i]);
    }
    buf_puts(out, d + whole);
    if (fmt->suffix == PRESENT_PERCENT)
        buf_putc(out, '%');
    else if (fmt->suffix == PRESENT_PP)
        buf_puts(out, " pp");
    buf_release(&digits);
}

void present_month(Buf *out, int month_abs)
{
    Period p = {PERIOD_MONTH, month_abs};
    period_format_words(out, p, 1);
}

void present_date(Buf *out, int year, int month, int day)
{
    buf_printf(out, "%d ", day);
    present_month(out, year * 12 + month - 1);
}

const char *present_frequency_word(PeriodKind k)
{
    switch (k) {
    case PERIOD_MONTH: return "Monthly";
    case PERIOD_QUARTER: return "Quarterly";
    case PERIOD_YEAR: return "Yearly";
    }
    return "";
}

static const PeriodKind PRESENT_FREQUENCIES[] = {PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR};

const char *present_frequency_name(PeriodKind k)
{
    switch (k) {
    case PERIOD_MONTH: return "month";
    case PERIOD_QUARTER: return "quarter";
    case PERIOD_YEAR: return "year";
    }
    return "";
}

int present_frequency_parse(const char *s, PeriodKind *out)
{
    for (size_t i = 0; s && i < sizeof PRESENT_FREQUENCIES / sizeof PRESENT_FREQUENCIES[0]; i++) {
        if (strcasecmp(s, present_frequency_name(PRESENT_FREQUENCIES[i])) == 0) {
            *out = PRESENT_FREQUENCIES[i];
            return 0;
        }
    }
    return -1;
}

/* ---- words for statuses and directions ---- */

static const PresentWord PRESENT_MARKS[PRESENT_MARK_COUNT] = {
    [PRESENT_MARK_NONE] = {"none", "Not rated", "none", "grey", 0xFFFFFF, 0x1A1A1A},
    [PRESENT_MARK_GREEN] = {"green", "Green", "green", "green", 0xC6EFCE, 0x0A5D1A},
    [PRESENT_MARK_AMBER] = {"amber", "Amber", "amber", "yellow", 0xFFE699, 0x6B4100},
    [PRESENT_MARK_RED] = {"red", "Red", "red", "red", 0xFFC7CE, 0x9C0006},
    [PRESENT_MARK_COMPLETE] = {"complete", "Complete", "complete", "blue", 0xCFE2F3, 0x0B3D6B},
    [PRESENT_MARK_UNREPORTED] = {"unreported", "Not reported", "unreported", "grey", 0xECECEC, 0x3A3A3A},
};

const PresentWord *present_mark(PresentMark m)
{
    if ((unsigned)m >= PRESENT_MARK_COUNT)
        m = PRESENT_MARK_NONE;
    return &PRESENT_MARKS[m];
}

PresentMark present_rag_mark(Rag r)
{
    switch (r) {
    case RAG_GREEN: return PRESENT_MARK_GREEN;
    case RAG_AMBER: return PRESENT_MARK_AMBER;
    case RAG_RED: return PRESENT_MARK_RED;
    case RAG_NONE: break;
    }
    return PRESENT_MARK_NONE;
}

PresentMark present_status_mark(Status s)
{
    switch (s) {
    case STATUS_GREEN: return PRESENT_MARK_GREEN;
    case STATUS_AMBER: return PRESENT_MARK_AMBER;
    case STATUS_RED: return PRESENT_MARK_RED;
    case STATUS_COMPLETE: return PRESENT_MARK_COMPLETE;
    case STATUS_UNREPORTED:
    case STATUS_COUNT: break;
    }
    return PRESENT_MARK_UNREPORTED;
}

PresentDirection present_direction(const CompareRow *r)
{
    PresentDirection d = {PRESENT_MOVE_NONE, DIR_NONE, "", "", "", "none"};
    if (!r->value.has || !r->previous.has)
        return d;
    int c = fq_cmp(r->value.q, r->previous.q);
    d.move = c > 0 ? PRESENT_MOVE_UP : c < 0 ? PRESENT_MOVE_DOWN : PRESENT_MOVE_SAME;
    d.arrow = c > 0 ? "\xe2\x96\xb2" : c < 0 ? "\xe2\x96\xbc" : ""; /* ▲ ▼ */
    d.moved = c > 0 ? "Up" : c < 0 ? "Down" : "No change";
    d.verdict = c == 0 ? DIR_SAME : r->direction;
    d.judged = d.verdict == DIR_IMPROVING ? "better" : d.verdict == DIR_WORSENING ? "worse" : "";
    d.css = d.verdict == DIR_IMPROVING ? "improving" : d.verdict == DIR_WORSENING ? "worsening" : "same";
    return d;
}

const char *present_polarity_words(Polarity p)
{
    return p == POLARITY_LOWER ? "Lower is better" : p == POLARITY_HIGHER ? "Higher is better" : "Neither";
}

void present_direction_words(Buf *out, const PresentDirection *d, int arrow)
{
    if (d->move == PRESENT_MOVE_NONE)
        return;
    if (arrow && d->arrow[0])
        buf_printf(out, "%s ", d->arrow);
    buf_puts(out, d->moved);
    if (d->judged[0])
        buf_printf(out, ", %s", d->judged);
}

/* ---- compare columns ---- */

#define FIG(m) offsetof(CompareRow, m)

static const PresentColumn PRESENT_COLS[PC_COUNT] = {
    [PC_INDICATOR] = {"indicator", "code", "Code", "Code", PK_TEXT, 0},
    [PC_TITLE] = {"title", NULL, "Indicator", "Indicator", PK_TEXT, 0},
    [PC_AREA] = {"area", NULL, "Area", "Area", PK_TEXT, 0},
    [PC_PERIOD] = {"period", NULL, "Period", "Period", PK_TEXT, 0},
    [PC_VALUE] = {"value", NULL, "{period label}", "Value", PK_FIG, FIG(value)},
    [PC_PREVIOUS] = {"previous", NULL, "{period label ago}", "Same period last year", PK_FIG, FIG(previous)},
    [PC_CHANGE] = {"change", NULL, "Change", "Change", PK_CHANGE, FIG(change)},
    [PC_CHANGE_PCT] = {"change_pct", NULL, "% Change", "% change", PK_PCT, FIG(change_pct)},
    [PC_YTD] = {"ytd", NULL, "YTD", "Year to date", PK_FIG, FIG(ytd)},
    [PC_YTD_PREVIOUS] = {"ytd_previous", NULL, "YTD {year ago}", "Year to date last year", PK_FIG,
                         FIG(ytd_previous)},
    [PC_YTD_CHANGE_PCT] = {"ytd_change_pct", NULL, "YTD % Change", "Year to date % change", PK_PCT,
                           FIG(ytd_change_pct)},
    [PC_TARGET] = {"target", NULL, "{year} Target", "Target for the year", PK_FIG, FIG(target)},
    [PC_TARGET_TO_DATE] = {"target_to_date", NULL, "Target to date", "Target to date", PK_FIG,
                           FIG(target_to_date)},
    [PC_RAG] = {"rag", NULL, "RAG", "Status", PK_RAG, 0},
    [PC_DIRECTION] = {"direction", NULL, "Direction", "Direction of travel", PK_DIR, 0},
    [PC_NOTE] = {"note", NULL, "Note", "Note", PK_TEXT, 0},
    [PC_VARIATION] = {"variation", NULL, "Variation", "Variation (SPC)", PK_SPC, 0},
    [PC_ASSURANCE] = {"assurance", NULL, "Assurance", "Assurance (SPC)", PK_SPC, 0},
    [PC_SPC_MEAN] = {"spc_mean", NULL, "Mean", "SPC mean", PK_LIMIT, FIG(spc_mean)},
    [PC_SPC_LOWER] = {"spc_lower", NULL, "Lower limit", "SPC lower process limit", PK_LIMIT, FIG(spc_lower)},
    [PC_SPC_UPPER] = {"spc_upper", NULL, "Upper limit", "SPC upper process limit", PK_LIMIT, FIG(spc_upper)},
    [PC_SIGNIFICANCE] = {"significance", NULL, "Significance", "Significance of the change", PK_SPC, 0},
    [PC_P_VALUE] = {"p_value", NULL, "p", "p-value", PK_P, 0},
    [PC_PARTNER] = {"partner", NULL, "Lead Partner", "Partner", PK_TEXT, 0},
};

const PresentColumn *present_col(PresentCol c)
{
    if ((unsigned)c >= PC_COUNT)
        PANIC("bad compare column %d", (int)c);
    return &PRESENT_COLS[c];
}

int present_col_parse(const char *s, size_t n)
{
    for (int c = 0; c < PC_COUNT; c++) {
        const PresentColumn *k = &PRESENT_COLS[c];
        if ((strlen(k->name) == n && strncmp(k->name, s, n) == 0) ||
            (k->alias && strlen(k->alias) == n && strncmp(k->alias, s, n) == 0))
            return c;
    }
    return -1;
}

static int present_kind_has_fig(PresentKind k)
{
    return k == PK_FIG || k == PK_CHANGE || k == PK_PCT || k == PK_LIMIT;
}

const Fig *present_col_fig(PresentCol c, const CompareRow *r)
{
    const PresentColumn *k = present_col(c);
    if (!present_kind_has_fig(k->kind))
        return NULL;
    return (const Fig *)((const char *)r + k->fig);
}

int present_kind_is_number(PresentKind k)
{
    return present_kind_has_fig(k) || k == PK_P;
}

PresentFmt present_col_fmt(PresentCol c, const IndicatorDef *def, int paper)
{
    PresentFmt f = {def->decimals, 0, 0, PRESENT_PLAIN};
    switch (present_col(c)->kind) {
    case PK_PCT:
        f.decimals = PRESENT_PCT_DECIMALS;
        f.sign = paper;
        break;
    case PK_CHANGE:
        f.sign = paper;
        break;
    case PK_LIMIT:
        f.decimals = def->decimals + 1;
        if (paper && def->unit == UNIT_PERCENT)
            f.suffix = PRESENT_PERCENT;
        break;
    case PK_P:
        f.decimals = PRESENT_P_DECIMALS;
        break;
    case PK_FIG:
        if (paper && def->unit == UNIT_PERCENT)
            f.suffix = PRESENT_PERCENT;
        break;
    default:
        break;
    }
    return f;
}

PresentSuffix present_col_stored(PresentCol c, const IndicatorDef *def)
{
    PresentKind k = present_col(c)->kind;
    if (k == PK_PCT)
        return PRESENT_PERCENT;
    if (k == PK_CHANGE)
        return def->unit == UNIT_PERCENT ? PRESENT_PP : PRESENT_PLAIN;
    return (k == PK_FIG || k == PK_LIMIT) && def->unit == UNIT_PERCENT ? PRESENT_PERCENT : PRESENT_PLAIN;
}

#define PRESENT_P_SCALE 1000 /* 10^PRESENT_P_DECIMALS */

Fq present_p_value(double p)
{
    double scaled = p * PRESENT_P_SCALE;
    return fq_make((i128)(scaled < 0 ? scaled - 0.5 : scaled + 0.5), PRESENT_P_SCALE);
}
