/* figures.h — the comparisons of `kpi compare`, computed purely from values in
 * memory: aggregation over a span of months with coverage, same period last year,
 * year to date, change and % change, target to date, RAG and direction of travel.
 * No SQL, no I/O, no globals. docs/figures.md is the specification. */
#ifndef KPI_FIGURES_H
#define KPI_FIGURES_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "fq.h"
#include "period.h"

typedef enum Unit { UNIT_COUNT, UNIT_PERCENT, UNIT_NUMBER, UNIT_RATE, UNIT_CURRENCY } Unit;
typedef enum Polarity { POLARITY_NONE, POLARITY_LOWER, POLARITY_HIGHER } Polarity;
typedef enum Aggregate { AGG_SUM, AGG_RATIO, AGG_MEAN, AGG_LAST } Aggregate;
typedef enum Rag { RAG_NONE, RAG_GREEN, RAG_AMBER, RAG_RED } Rag;
typedef enum Direction { DIR_NONE, DIR_IMPROVING, DIR_WORSENING, DIR_SAME } Direction;

/* Names as printed and parsed ("count", "lower", "ratio", "green", "improving"...). */
const char *unit_name(Unit u);
/* The words a chart's y axis takes for a unit ("Number", "%", "Rate", "£"). */
const char *unit_axis_title(Unit u);
const char *polarity_name(Polarity p);
const char *aggregate_name(Aggregate a);
const char *rag_name(Rag r);      /* "none", "green", "amber", "red", from present.c's table of words */
const char *direction_name(Direction d);
int unit_parse(const char *s, Unit *out);           /* 0 or -1 */
int polarity_parse(const char *s, Polarity *out);
int aggregate_parse(const char *s, Aggregate *out);

/* What the figures need to know about an indicator. */
typedef struct IndicatorDef {
    Unit unit;
    Polarity polarity;
    Aggregate aggregate;
    int decimals;       /* places printed for value, previous, change, ytd, targets */
} IndicatorDef;

/* One stored value of one indicator in one area. For AGG_RATIO, num and den
 * are given (has_ratio = 1) and micro is num/den*100 (informational). A ratio
 * value stored without has_ratio counts as num = micro, den = 100 (a percentage
 * out of 100), so such values alone aggregate to the mean of their percentages. */
typedef struct Value {
    Period period;
    int64_t micro;      /* value in micro-units */
    int has_ratio;
    int64_t num_micro;
    int64_t den_micro;
} Value;

/* A target for one financial year. */
typedef struct Target {
    int fy;                   /* starting calendar year of the financial year */
    int64_t target_micro;
    int64_t tolerance_micro;  /* amber band, percent of the target */
} Target;

/* An optional exact figure. */
typedef struct Fig {
    int has;
    Fq q;
} Fig;

/* Statistical process control and significance (spc.h computes them; the
 * names as printed are spc_variation_name and friends). The zero of each is
 * "not computed": its column is empty. */
typedef enum SpcVariation {
    SPC_VAR_NONE, SPC_VAR_COMMON, SPC_VAR_IMPROVEMENT_HIGH, SPC_VAR_CONCERN_LOW, SPC_VAR_CONCERN_HIGH,
    SPC_VAR_IMPROVEMENT_LOW, SPC_VAR_NEUTRAL_HIGH, SPC_VAR_NEUTRAL_LOW
} SpcVariation;
typedef enum SpcAssurance { SPC_ASSURE_NONE, SPC_ASSURE_PASS, SPC_ASSURE_FAIL, SPC_ASSURE_HIT_AND_MISS } SpcAssurance;
typedef enum SpcRule { SPC_RULE_NONE, SPC_RULE_OUTSIDE, SPC_RULE_TREND, SPC_RULE_TWO_IN_THREE, SPC_RULE_SHIFT } SpcRule;
typedef enum Significance { SIG_NONE_COMPUTED, SIG_NONE, SIG_INCREASE, SIG_DECREASE } Significance;

/* The four spans of months a compare row aggregates. */
typedef enum FigSpan {
    FIG_SPAN_VALUE, FIG_SPAN_PREVIOUS, FIG_SPAN_YTD, FIG_SPAN_YTD_PREVIOUS, FIG_NSPANS
} FigSpan;
#define FIG_SPAN_MAX_MONTHS 12 /* a span is at most a year */

typedef struct CompareRow {
    Fig value, previous, change, change_pct;
    Fig ytd, ytd_previous, ytd_change_pct;
    Fig target, target_to_date;
    Rag rag;
    Direction direction;
    Buf gap[FIG_NSPANS]; /* the months each span lacks, in words (period_format_months_gaps:
                          * "October to December 2011", "2010/11"), empty when it is covered */
    int gap_months[FIG_NSPANS][FIG_SPAN_MAX_MONTHS]; /* the same months, absolute, ascending */
    int ngap_months[FIG_NSPANS];
    Buf note;           /* "no figure for July to September 2010" or empty; free with compare_row_release.
                         * The missing months of all four spans, in words (period_format_months_gaps).
                         * Several notes are joined by "; ": "no figure for ...",
                         * "denominator is zero", "change too large to compute exactly"
                         * (differences of ratios of huge sums beyond 128 bits) */
    /* Filled by spc_compare (spc.h); figures_compare leaves them empty. */
    Buf spc_note;       /* what SPC and the significance test leave out ("fewer than 12 points",
                         * "SPC leaves out 2020-06 (no figure)"), kept apart from `note` so that a
                         * paper that shows no SPC column says nothing of it; compare_row_notes
                         * joins both for the outputs that show everything */
    SpcVariation variation;
    SpcAssurance assurance;
    SpcRule spc_rule;   /* the special cause behind variation, SPC_RULE_NONE when common */
    int spc_run;        /* points in a row ending with the latest on one side of the mean:
                         * > 0 above, < 0 below, 0 on the mean or no SPC */
    PeriodKind spc_frequency; /* what one point of the series is (month, quarter, year) */
    Fig spc_mean, spc_lower, spc_upper;
    Significance significance;
    int has_p;
    double p_value;     /* two-sided, for has_p; never an exact figure, printed with 3 decimals */
} CompareRow;

/* Aggregate the values of one indicator-area over months [first, first+nmonths).
 * Values are tiled greedily from the first month: at each month the longest
 * value that starts there and fits inside the span is taken; a month no value
 * covers is missing. Finer values are never counted twice with coarser ones.
 * Returns 1 with *out set when the span is fully covered (and, for ratios, the
 * denominators do not sum to zero); 0 otherwise. Missing months are appended
 * to *missing (absolute month numbers, ascending) when missing != NULL;
 * *nmissing counts them. `values` need not be sorted. */
int figures_aggregate(const IndicatorDef *def, const Value *values, int nvalues,
                      int first, int nmonths, Fq *out /* OUT */,
                      int *missing /* OUT, room for nmonths, may be NULL */,
                      int *nmissing /* OUT, may be NULL */);

/* Compute every column of a compare row for `period`.
 * targets may be NULL when ntargets is 0. row must be zeroed or freshly
 * initialised (a row filled by an earlier call may be reused: its note's memory
 * is kept, everything else is cleared); caller frees with compare_row_release. */
void figures_compare(const IndicatorDef *def, const Value *values, int nvalues,
                     const Target *targets, int ntargets, Period period, int fy_start,
                     CompareRow *row /* OUT */);
void compare_row_release(CompareRow *row);
/* Append a row's note and its SPC note, joined by "; " (the `note` column of
 * `kpi compare`, the API, the Figures sheet, the dashboard). */
void compare_row_notes(const CompareRow *row, Buf *out);

/* Append `what` to a compare row's note, joined to what is there by "; ". */
void figures_note_add(Buf *note, const char *what);

/* RAG of `actual` against `target_to_date` with tolerance percent `tol`: green
 * on or better than it, amber within a band of |target_to_date| * tol / 100 on
 * the worse side (the edge itself is amber), red beyond; RAG_NONE without a
 * polarity. */
Rag figures_rag(Polarity pol, Fq actual, Fq target_to_date, Fq tol);
Direction figures_direction(Polarity pol, Fq value, Fq previous);

/* Is s a valid indicator or project code (letters, digits, '.', '-', '_')? */
int figures_code_valid(const char *s);

/* Split a composite indicator's formula "a + b + c" into codes. Returns the
 * number of parts, or -1 (err set) when it is not a sum of codes. *parts holds
 * pointers into *storage (caller frees both with free()). */
int figures_formula_parts(const char *formula, char ***parts, char **storage, Err *err);

#endif
