/* present.h — the presentation layer: how every output shows a figure. One
 * table of compare columns (name, heading, kind, where the figure is), one
 * formatter of a figure (decimals, sign, %, percentage points, thousands,
 * currency), and one table of the words, CSS classes and colours of a RAG
 * status, a project status and a direction of travel. The CLI (CSV, JSON,
 * table), the API, the web pages, the report directives and the renderers
 * read these instead of writing their own. Pure: no I/O, no globals that
 * change. Layer: figures. */
#ifndef KPI_PRESENT_H
#define KPI_PRESENT_H

#include <stddef.h>

#include "buf.h"
#include "delivery.h"
#include "figures.h"
#include "fq.h"
#include "period.h"

/* ---- the figure formatter ---- */

typedef enum PresentSuffix {
    PRESENT_PLAIN,    /* "1455" */
    PRESENT_PERCENT,  /* "77.4%" */
    PRESENT_PP,       /* "+1.2 pp" (percentage points: a change of a percentage) */
    PRESENT_CURRENCY  /* "£1,234.50" (the sign before the pound sign: "-£3.00") */
} PresentSuffix;

typedef struct PresentFmt {
    int decimals;         /* places, clamped to 0..12; rounded half away from zero, once (fq_round) */
    int sign;             /* 1: a '+' before a figure that is above zero once rounded */
    int thousands;        /* 1: whole part grouped by threes with ',' ("12,345") */
    PresentSuffix suffix;
} PresentFmt;

/* Append q as fmt says. A figure that rounds to zero has no sign ("0.0",
 * never "-0.0" or "+0.0"). */
void present_figure(Buf *out, Fq q, const PresentFmt *fmt);

/* A month in words: "July 2011" (month_abs as in period.h). */
void present_month(Buf *out, int month_abs);
/* A day in words: "20 October 2011" (month 1..12). */
void present_date(Buf *out, int year, int month, int day);
/* How often an indicator is reported, in words: "Monthly", "Quarterly", "Yearly". */
const char *present_frequency_word(PeriodKind k);
/* The same as CSV files and the store write it: "month", "quarter", "year". */
const char *present_frequency_name(PeriodKind k);
/* Parse a frequency name (any case) into *out; 0, or -1 when s names none. */
int present_frequency_parse(const char *s, PeriodKind *out);

/* ---- words for statuses and directions ---- */

/* A RAG status of a figure or a project's delivery status. The order is
 * DocRag's (doc.h asserts it). */
typedef enum PresentMark {
    PRESENT_MARK_NONE, PRESENT_MARK_GREEN, PRESENT_MARK_AMBER, PRESENT_MARK_RED, PRESENT_MARK_COMPLETE,
    PRESENT_MARK_UNREPORTED, PRESENT_MARK_COUNT
} PresentMark;

typedef struct PresentWord {
    const char *name;   /* as CSV, JSON and the CLI print it and importers read it: "green", "none" */
    const char *word;   /* as people read it, on every paper and web page: "Green", "Not reported" */
    const char *css;    /* class of the paper's HTML ("rag-" + css) and of the web's cards */
    const char *tag;    /* colour of the web's GOV.UK tag: "green", "yellow", "grey" */
    unsigned fill, ink; /* the paper's colours, 0xRRGGBB (the HTML's stylesheet has the same) */
} PresentWord;

/* The entry of a mark; an out-of-range mark gives the entry of none. */
const PresentWord *present_mark(PresentMark m);
PresentMark present_rag_mark(Rag r);
PresentMark present_status_mark(Status s);

/* Direction of travel: what happened to the figure (up, down, no change)
 * and, where the indicator has a polarity, whether that is better or worse.
 * The arrow always follows the number: ▲ when the figure rose, ▼ when it
 * fell, whatever that means for the partnership. */
typedef enum PresentMove { PRESENT_MOVE_NONE, PRESENT_MOVE_UP, PRESENT_MOVE_DOWN, PRESENT_MOVE_SAME } PresentMove;

typedef struct PresentDirection {
    PresentMove move;
    Direction verdict;    /* DIR_IMPROVING (better), DIR_WORSENING (worse), DIR_SAME, DIR_NONE (no polarity) */
    const char *arrow;    /* "▲", "▼" or "" */
    const char *moved;    /* "Up", "Down", "No change", "" (no comparison) */
    const char *judged;   /* "better", "worse" or "" */
    const char *css;      /* "improving", "worsening", "same", "none" */
} PresentDirection;

/* The direction of a compare row: its change (value - previous) and its
 * direction (figures_direction). */
PresentDirection present_direction(const CompareRow *r);
/* Append the direction in words: "▲ Up, better", "▼ Down, worse", "▲ Up"
 * (no polarity), "No change"; nothing when there is no comparison. With
 * arrow 0 the arrow is left out ("Up, better"). */
void present_direction_words(Buf *out, const PresentDirection *d, int arrow);
/* Which way is better, in words: "Lower is better", "Higher is better", "Neither". */
const char *present_polarity_words(Polarity p);
/* What is shown where there is no comparison ("No comparison"). */
#define PRESENT_NO_COMPARISON "No comparison"

/* ---- compare columns ---- */

/* Every column of a compare row. The first PRESENT_CONTRACT_NCOLS are the
 * contract's columns of `kpi compare` and the API in their order; the rest
 * only papers show. */
typedef enum PresentCol {
    PC_INDICATOR, PC_TITLE, PC_AREA, PC_PERIOD, PC_VALUE, PC_PREVIOUS, PC_CHANGE, PC_CHANGE_PCT, PC_YTD,
    PC_YTD_PREVIOUS, PC_YTD_CHANGE_PCT, PC_TARGET, PC_TARGET_TO_DATE, PC_RAG, PC_DIRECTION, PC_NOTE,
    PC_VARIATION, PC_ASSURANCE, PC_SPC_MEAN, PC_SPC_LOWER, PC_SPC_UPPER, PC_SIGNIFICANCE, PC_P_VALUE,
    PC_PARTNER,
    PC_COUNT
} PresentCol;

#define PRESENT_CONTRACT_NCOLS (PC_PARTNER)

typedef enum PresentKind {
    PK_TEXT,    /* words from the indicator or the row: code, title, area, period, partner, note */
    PK_FIG,     /* a figure in the indicator's unit and decimals */
    PK_CHANGE,  /* a difference in the indicator's decimals (percentage points for a percentage) */
    PK_PCT,     /* a percentage change, PRESENT_PCT_DECIMALS places */
    PK_LIMIT,   /* an SPC mean or limit: the indicator's decimals and one more */
    PK_RAG,     /* a RAG status (present_mark) */
    PK_DIR,     /* a direction of travel (present_direction) */
    PK_SPC,     /* SPC words: variation, assurance, significance */
    PK_P        /* a p-value, PRESENT_P_DECIMALS places (a double, never an exact figure) */
} PresentKind;

#define PRESENT_PCT_DECIMALS 1 /* percentages of change print with one decimal */
#define PRESENT_P_DECIMALS 3   /* a p-value prints with three */

typedef struct PresentColumn {
    const char *name;     /* contract name ("change_pct"); a template's columns= uses it too */
    const char *alias;    /* another name a template accepts ("code" for indicator), or NULL */
    const char *heading;  /* a paper's default heading; may hold template placeholders */
    const char *label;    /* the web's label for the figure ("Same period last year") */
    PresentKind kind;
    size_t fig;           /* offsetof the Fig in CompareRow, for PK_FIG/CHANGE/PCT/LIMIT; else 0 */
} PresentColumn;

/* The entry of column c (0 <= c < PC_COUNT; PANIC otherwise). */
const PresentColumn *present_col(PresentCol c);
/* The column a name (or alias) names, n bytes of s; -1 when none. */
int present_col_parse(const char *s, size_t n);
/* The figure of column c in a row; NULL for a column that holds no figure. */
const Fig *present_col_fig(PresentCol c, const CompareRow *r);
/* 1 for the kinds that hold numbers (JSON numbers, right-aligned). */
int present_kind_is_number(PresentKind k);

/* How column c's figure is printed for an indicator: decimals (the
 * indicator's; PRESENT_PCT_DECIMALS for % change; one more for SPC limits)
 * and the paper's suffix (% for a percentage figure, none for changes and %
 * change, whose heading says it). paper = 0 gives the contract's plain form
 * (no sign, no suffix); paper = 1 signs changes. */
PresentFmt present_col_fmt(PresentCol c, const IndicatorDef *def, int paper);
/* What column c's figure is, for formats that store numbers (the workbook):
 * PRESENT_PERCENT for a % change or a percentage figure (stored as a
 * fraction), PRESENT_PP for a change of a percentage, else PRESENT_PLAIN. */
PresentSuffix present_col_stored(PresentCol c, const IndicatorDef *def);
/* A p-value rounded to PRESENT_P_DECIMALS places, as an exact figure. */
Fq present_p_value(double p);

#endif
