/* period.h — the financial-year calendar and period parsing/printing.
 * A period is a span of whole calendar months: a month, a financial quarter or a
 * financial year. Months are numbered absolutely: m = year * 12 + (month - 1).
 * fy_start is the first calendar month (1-12) of the financial year (default 4).
 * A financial year is named by the calendar year it starts in: with an April
 * start, 2011/12 runs 2011-04..2012-03; with a January start it is written "2011". */
#ifndef KPI_PERIOD_H
#define KPI_PERIOD_H

#include "buf.h"

typedef enum PeriodKind { PERIOD_MONTH = 1, PERIOD_QUARTER = 3, PERIOD_YEAR = 12 } PeriodKind;

typedef struct Period {
    PeriodKind kind;
    int first;   /* absolute month number of the first month */
} Period;

#define PERIOD_FY_START_DEFAULT 4

/* Parse "2011-07", "2011/12 Q2", "Q2 2011/12", "2011/12-Q2", "2011-12 Q2", "2011/12",
 * "FY2011/12", and with fy_start == 1 "2011", "2011 Q2", "FY2011".
 * "2011-12" alone is the month December 2011. Case-insensitive (q2, fy); the
 * second year may be written in full ("2011/2012"); surrounding blanks are
 * ignored. Years 1900-9999. Returns 0, or -1 with *why a static phrase. */
int period_parse(const char *s, int fy_start, Period *out, const char **why);
/* Canonical form: "2011-07", "2011/12 Q2", "2011/12" (or "2011 Q2", "2011" for a January start). */
void period_format(Buf *b, Period p, int fy_start);
void period_format_month(Buf *b, int month_abs);       /* "2011-07" */

int period_months(Period p);                   /* 1, 3 or 12 */
int period_last(Period p);                     /* absolute month of the last month */
int period_fy(int month_abs, int fy_start);    /* starting calendar year of the financial year holding the month */
int period_fy_first(int fy, int fy_start);     /* absolute first month of financial year fy */
int period_quarter_no(Period p, int fy_start); /* 1-4 for a quarter of the financial year */
Period period_year_ago(Period p);              /* the same period one year earlier */
/* Year to date: from the start of the financial year holding p's last month to
 * p's last month. Returned as first month and number of months (1..12). */
void period_ytd(Period p, int fy_start, int *first, int *nmonths);
/* Months of the financial year elapsed at the end of p (1..12). */
int period_months_elapsed(Period p, int fy_start);
int period_equal(Period a, Period b);
/* "1 July to 30 September 2011" (dates of the span, leap years honoured). */
void period_format_span(Buf *b, Period p);
/* "quarter two" for quarters, "July 2011" for months, "2011/12" for years. */
void period_format_words(Buf *b, Period p, int fy_start);
/* A period named in words as a reader says it: "July 2011" for a month,
 * "Q2 2011/12" for a quarter (the quarter of its financial year), "2011/12"
 * for a year (as period_format). */
void period_format_name(Buf *b, Period p, int fy_start);
/* The months [first, first + n) in words, n >= 1: "July 2011", "July to
 * September 2011", "November 2010 to February 2011". */
void period_format_months_words(Buf *b, int first, int n);
/* Months (absolute numbers, any order, repeats allowed; sorted in place) named
 * in words as whole runs, runs split where a financial year begins: a whole
 * financial year is named as the year ("2010/11"), any other run by its months
 * ("October to December 2010"). Runs are joined by ", " and the last by " and ":
 * "April to September 2010 and October to December 2011". Nothing for n == 0. */
void period_format_months_gaps(Buf *b, int *months, int n, int fy_start);

#endif
