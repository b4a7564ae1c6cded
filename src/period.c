/* period.c — the financial-year calendar: parsing periods in the forms people
 * write them, printing them canonically, and the arithmetic the figures need
 * (same period last year, year to date, months elapsed, the dates of a span).
 * Months are absolute numbers, year * 12 + (month - 1); see period.h. */
#include "period.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"

#define MONTHS_PER_YEAR 12
#define MONTHS_PER_QUARTER 3
#define QUARTERS_PER_YEAR 4
#define YEAR_MIN 1900              /* earliest calendar year a period may touch */
#define YEAR_MAX 9999              /* latest calendar year a period may touch */
#define YEAR_DIGITS 4              /* "2011" */
#define SHORT_YEAR_DIGITS 2        /* the "12" of "2011/12" */
#define CENTURY 100
#define FY_START_JANUARY 1         /* a financial year that is the calendar year */

static const char *const MONTH_NAMES[MONTHS_PER_YEAR] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
};

static const char *const QUARTER_WORDS[QUARTERS_PER_YEAR] = {"one", "two", "three", "four"};

/* Reasons period_parse gives; static so callers may keep the pointer. */
static const char WHY_SYNTAX[] = "not a period (expected e.g. 2011-07, 2011/12 Q2 or 2011/12)";
static const char WHY_SYNTAX_JAN[] = "not a period (expected e.g. 2011-07, 2011 Q2 or 2011)";
static const char WHY_MONTH[] = "month must be 01 to 12";
static const char WHY_QUARTER[] = "quarter must be Q1 to Q4";
static const char WHY_NEXT_YEAR[] = "the second year must be the year after the first (e.g. 2011/12)";
static const char WHY_ONE_YEAR[] =
    "a financial year starting in January is written as one year (e.g. 2011)";
static const char WHY_TWO_YEARS[] = "a financial year is written as two years (e.g. 2011/12)";
static const char WHY_RANGE[] = "year out of range (1900 to 9999)";
static const char WHY_FY_START[] = "financial year start must be a month from 1 to 12";

/* floor(a / b) and the matching remainder for b > 0, so that months before
 * year 0 (never valid, but reachable by arithmetic) still behave. */
static int floor_div(int a, int b)
{
    int q = a / b;
    if (a % b != 0 && a < 0)
        q--;
    return q;
}

static int floor_mod(int a, int b)
{
    return a - floor_div(a, b) * b;
}

static int month_year(int m)
{
    return floor_div(m, MONTHS_PER_YEAR);
}

static int month_of_year(int m) /* 1..12 */
{
    return floor_mod(m, MONTHS_PER_YEAR) + 1;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int mon)
{
    static const int DAYS[MONTHS_PER_YEAR] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon == 2 && is_leap(y))
        return 29;
    return DAYS[mon - 1];
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Count the run of digits at s[i..end) and put its value in *val (only
 * meaningful when the run is short, which every caller checks). */
static int digit_run(const char *s, size_t i, size_t end, int *val)
{
    int n = 0, v = 0;
    while (i < end && is_digit(s[i])) {
        if (n < YEAR_DIGITS + 1)
            v = v * 10 + (s[i] - '0');
        n++;
        i++;
    }
    *val = v;
    return n;
}

/* "Q2" at s[*i]: 1 with *q set (any digit; the range is checked later), else 0. */
static int take_quarter(const char *s, size_t *i, size_t end, int *q)
{
    if (*i + 1 < end && lower(s[*i]) == 'q' && is_digit(s[*i + 1])) {
        *q = s[*i + 1] - '0';
        *i += 2;
        return 1;
    }
    return 0;
}

static int valid_fy_start(int fy_start)
{
    return fy_start >= 1 && fy_start <= MONTHS_PER_YEAR;
}

/* Accepted shapes, case-insensitive, surrounding blanks ignored:
 *   YYYY-MM                            a month
 *   [FY[ ]]YEAR                        a financial year
 *   [FY[ ]]YEAR( +|-)Qn   Qn +[FY[ ]]YEAR   a quarter
 * where YEAR is YYYY/YY, YYYY/YYYY, YYYY-YY or YYYY-YYYY for a financial year
 * that spans two calendar years ("YYYY-YY" alone is a month, so the hyphen form
 * needs FY or a quarter), and plain YYYY when the year starts in January. */
int period_parse(const char *s, int fy_start, Period *out, const char **why)
{
    const char *syntax = fy_start == FY_START_JANUARY ? WHY_SYNTAX_JAN : WHY_SYNTAX;
    size_t i, end;
    int q = 0, hasq = 0, qfirst = 0, hasfy = 0, y1, y2 = 0, n, y2len = 0;
    char ysep = 0;

    if (!valid_fy_start(fy_start)) {
        *why = WHY_FY_START;
        return -1;
    }
    if (!s)
        goto bad_syntax;
    i = 0;
    end = strlen(s);
    while (i < end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;

    if (take_quarter(s, &i, end, &q)) {
        hasq = 1;
        if (i >= end || s[i] != ' ')
            goto bad_syntax;
        while (i < end && s[i] == ' ')
            i++;
        qfirst = 1;
    }
    if (i + 1 < end && lower(s[i]) == 'f' && lower(s[i + 1]) == 'y') {
        i += 2;
        hasfy = 1;
        if (i < end && s[i] == ' ')
            i++;
    }
    if (digit_run(s, i, end, &y1) != YEAR_DIGITS)
        goto bad_syntax;
    i += YEAR_DIGITS;
    if (i + 1 < end && (s[i] == '/' || s[i] == '-') && is_digit(s[i + 1])) {
        ysep = s[i++];
        n = digit_run(s, i, end, &y2);
        if (n != SHORT_YEAR_DIGITS && n != YEAR_DIGITS)
            goto bad_syntax;
        y2len = n;
        i += (size_t)n;
    }
    if (!qfirst && i < end) {
        if (s[i] == ' ') {
            while (i < end && s[i] == ' ')
                i++;
        } else if (s[i] == '-') {
            i++;
        } else {
            goto bad_syntax;
        }
        if (!take_quarter(s, &i, end, &q))
            goto bad_syntax;
        hasq = 1;
    }
    if (i != end)
        goto bad_syntax;

    if (ysep == '-' && y2len == SHORT_YEAR_DIGITS && !hasfy && !hasq) {
        if (y2 < 1 || y2 > MONTHS_PER_YEAR) {
            *why = WHY_MONTH;
            return -1;
        }
        if (y1 < YEAR_MIN) {
            *why = WHY_RANGE;
            return -1;
        }
        out->kind = PERIOD_MONTH;
        out->first = y1 * MONTHS_PER_YEAR + y2 - 1;
        return 0;
    }
    if (hasq && (q < 1 || q > QUARTERS_PER_YEAR)) {
        *why = WHY_QUARTER;
        return -1;
    }
    if (y2len) {
        int next = y1 + 1;
        if (fy_start == FY_START_JANUARY) {
            *why = WHY_ONE_YEAR;
            return -1;
        }
        if (y2 != (y2len == SHORT_YEAR_DIGITS ? next % CENTURY : next)) {
            *why = WHY_NEXT_YEAR;
            return -1;
        }
    } else if (fy_start != FY_START_JANUARY) {
        *why = WHY_TWO_YEARS;
        return -1;
    }
    int first = period_fy_first(y1, fy_start);
    if (y1 < YEAR_MIN || month_year(first + MONTHS_PER_YEAR - 1) > YEAR_MAX) {
        *why = WHY_RANGE;
        return -1;
    }
    if (hasq) {
        out->kind = PERIOD_QUARTER;
        out->first = first + (q - 1) * MONTHS_PER_QUARTER;
    } else {
        out->kind = PERIOD_YEAR;
        out->first = first;
    }
    return 0;

bad_syntax:
    *why = syntax;
    return -1;
}

/* "2011/12" or, for a January start, "2011". */
static void format_fy(Buf *b, int fy, int fy_start)
{
    if (fy_start == FY_START_JANUARY)
        buf_printf(b, "%04d", fy);
    else
        buf_printf(b, "%04d/%02d", fy, floor_mod(fy + 1, CENTURY));
}

void period_format_month(Buf *b, int month_abs)
{
    buf_printf(b, "%04d-%02d", month_year(month_abs), month_of_year(month_abs));
}

void period_format(Buf *b, Period p, int fy_start)
{
    switch (p.kind) {
    case PERIOD_MONTH:
        period_format_month(b, p.first);
        return;
    case PERIOD_QUARTER:
        format_fy(b, period_fy(p.first, fy_start), fy_start);
        buf_printf(b, " Q%d", period_quarter_no(p, fy_start));
        return;
    case PERIOD_YEAR:
        format_fy(b, period_fy(p.first, fy_start), fy_start);
        return;
    }
    PANIC("bad period kind %d", (int)p.kind);
}

int period_months(Period p)
{
    switch (p.kind) {
    case PERIOD_MONTH:
    case PERIOD_QUARTER:
    case PERIOD_YEAR:
        return (int)p.kind;
    }
    PANIC("bad period kind %d", (int)p.kind);
}

int period_last(Period p)
{
    return p.first + period_months(p) - 1;
}

int period_fy(int month_abs, int fy_start)
{
    if (!valid_fy_start(fy_start))
        PANIC("bad financial year start %d", fy_start);
    int y = month_year(month_abs);
    return month_of_year(month_abs) >= fy_start ? y : y - 1;
}

int period_fy_first(int fy, int fy_start)
{
    if (!valid_fy_start(fy_start))
        PANIC("bad financial year start %d", fy_start);
    return fy * MONTHS_PER_YEAR + fy_start - 1;
}

/* Which quarter of its financial year p starts in (1-4). */
int period_quarter_no(Period p, int fy_start)
{
    int fy_first = period_fy_first(period_fy(p.first, fy_start), fy_start);
    return (p.first - fy_first) / MONTHS_PER_QUARTER + 1;
}

Period period_year_ago(Period p)
{
    Period r = {p.kind, p.first - MONTHS_PER_YEAR};
    return r;
}

/* The year to date runs from the start of the financial year holding p's last
 * month, so it is 1..12 months long even for a period that does not line up
 * with the financial year. */
void period_ytd(Period p, int fy_start, int *first, int *nmonths)
{
    int last = period_last(p);
    *first = period_fy_first(period_fy(last, fy_start), fy_start);
    *nmonths = last - *first + 1;
}

int period_months_elapsed(Period p, int fy_start)
{
    int first, n;
    period_ytd(p, fy_start, &first, &n);
    return n;
}

int period_equal(Period a, Period b)
{
    return a.kind == b.kind && a.first == b.first;
}

void period_format_span(Buf *b, Period p)
{
    int first = p.first, last = period_last(p);
    int y1 = month_year(first), m1 = month_of_year(first);
    int y2 = month_year(last), m2 = month_of_year(last);
    if (y1 == y2)
        buf_printf(b, "1 %s to %d %s %d", MONTH_NAMES[m1 - 1], days_in_month(y2, m2),
                   MONTH_NAMES[m2 - 1], y2);
    else
        buf_printf(b, "1 %s %d to %d %s %d", MONTH_NAMES[m1 - 1], y1, days_in_month(y2, m2),
                   MONTH_NAMES[m2 - 1], y2);
}

void period_format_words(Buf *b, Period p, int fy_start)
{
    switch (p.kind) {
    case PERIOD_MONTH:
        buf_printf(b, "%s %d", MONTH_NAMES[month_of_year(p.first) - 1], month_year(p.first));
        return;
    case PERIOD_QUARTER:
        buf_printf(b, "quarter %s", QUARTER_WORDS[period_quarter_no(p, fy_start) - 1]);
        return;
    case PERIOD_YEAR:
        period_format(b, p, fy_start);
        return;
    }
    PANIC("bad period kind %d", (int)p.kind);
}

void period_format_name(Buf *b, Period p, int fy_start)
{
    if (p.kind == PERIOD_QUARTER) {
        Period y = {PERIOD_YEAR, period_fy_first(period_fy(p.first, fy_start), fy_start)};
        buf_printf(b, "Q%d ", period_quarter_no(p, fy_start));
        period_format(b, y, fy_start);
    } else if (p.kind == PERIOD_MONTH) {
        period_format_words(b, p, fy_start);
    } else {
        period_format(b, p, fy_start);
    }
}

void period_format_months_words(Buf *b, int first, int n)
{
    int last = first + (n > 0 ? n : 1) - 1;
    int y1 = month_year(first), y2 = month_year(last);
    const char *m1 = MONTH_NAMES[month_of_year(first) - 1], *m2 = MONTH_NAMES[month_of_year(last) - 1];
    if (first == last)
        buf_printf(b, "%s %d", m1, y1);
    else if (y1 == y2)
        buf_printf(b, "%s to %s %d", m1, m2, y2);
    else
        buf_printf(b, "%s %d to %s %d", m1, y1, m2, y2);
}

static int cmp_month(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* One run [first, first + n) inside one financial year: the year's name when
 * it is the whole year, else its months. */
static void format_run(Buf *b, int first, int n, int fy_start)
{
    if (n == MONTHS_PER_YEAR) {
        Period y = {PERIOD_YEAR, first};
        period_format(b, y, fy_start);
    } else {
        period_format_months_words(b, first, n);
    }
}

void period_format_months_gaps(Buf *b, int *months, int n, int fy_start)
{
    if (n <= 0)
        return;
    qsort(months, (size_t)n, sizeof months[0], cmp_month);
    /* count the runs first, to put " and " before the last */
    int runs = 0, done = 0;
    for (int pass = 0; pass < 2; pass++) {
        int i = 0;
        while (i < n) {
            int first = months[i], len = 1;
            int fy_end = period_fy_first(period_fy(first, fy_start), fy_start) + MONTHS_PER_YEAR;
            i++;
            while (i < n && (months[i] == first + len - 1 || (months[i] == first + len && first + len < fy_end))) {
                if (months[i] == first + len)
                    len++;
                i++;
            }
            if (pass == 0) {
                runs++;
                continue;
            }
            if (done > 0)
                buf_puts(b, done == runs - 1 ? " and " : ", ");
            format_run(b, first, len, fy_start);
            done++;
        }
    }
}
