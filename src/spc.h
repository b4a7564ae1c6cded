/* spc.h — statistical process control as NHS England's "Making Data Count"
 * draws it (XmR charts: the variation and assurance of an indicator), and the
 * significance of a change between two counts. docs/spc.md is the specification;
 * docs/spc.md says it in plain English. Pure: no SQL, no I/O, no globals.
 *
 * Every limit is an exact fraction (fq.h) until it is printed: mean of the
 * baseline points, moving ranges |y[i] - y[i-1]|, their mean (AMR), process
 * limits mean ± 2.66·AMR, near limits mean ± (2/3 · 2.66)·AMR. Only the
 * p-value of the significance test is a double (stats.h).
 *
 * Nothing here can PANIC on input. Ratio points over many different
 * denominators can make exact sums pass 128 bits: then each point is rounded
 * to 9 decimal places first (far below any printed place) and the limits are
 * exact fractions of those; should even that not fit, no SPC and a note. */
#ifndef KPI_SPC_H
#define KPI_SPC_H

#include "figures.h"

#define SPC_MIN_POINTS 12   /* fewer points in the segment: no SPC */
#define SPC_RUN_POINTS 7    /* a trend or a shift is this many points */
#define SPC_P_SIGNIFICANT 0.05

typedef enum SpcSide { SPC_SIDE_NONE, SPC_SIDE_HIGH, SPC_SIDE_LOW } SpcSide;

/* Names as printed: "common", "improvement-high", ...; "pass", "fail",
 * "hit-and-miss"; "none", "increase", "decrease"; "outside", "trend",
 * "two in three", "shift". The "not computed" value of each is "". */
const char *spc_variation_name(SpcVariation v);
const char *spc_assurance_name(SpcAssurance a);
const char *spc_significance_name(Significance s);
const char *spc_rule_name(SpcRule r);

/* The limits of one baseline. */
typedef struct SpcLimits {
    Fq mean, amr;
    Fq lower, upper;           /* process limits: mean ∓ 2.66·AMR */
    Fq near_lower, near_upper; /* mean ∓ (2/3 · 2.66)·AMR */
} SpcLimits;

/* The limits of the baseline y[0..n), n >= 2 (fewer is a bug: PANIC).
 * Returns 0, or -1 when an exact figure does not fit in 128 bits (*out
 * untouched). */
int spc_limits(const Fq *y, int n, SpcLimits *out /* OUT */);

/* The special cause of the latest point y[n-1] of a segment y[0..n) (n >= 1),
 * the first that matches in this order:
 *   outside       above the upper process limit (high) / below the lower (low);
 *   trend         ends a run of >= 7 points each strictly above (high) /
 *                 below (low) the one before;
 *   two in three  the last 3 points hold >= 2 strictly above the upper near
 *                 limit, the latest among them (high) / below the lower (low);
 *   shift         ends a run of >= 7 points strictly above (high) / below (low)
 *                 the mean; a point on the mean breaks a run.
 * SPC_RULE_NONE and SPC_SIDE_NONE when none matches. */
SpcRule spc_rule(const Fq *y, int n, const SpcLimits *lim, SpcSide *side /* OUT */);

/* Points in a row ending with y[n-1] strictly above the mean (> 0) or below
 * it (< 0); 0 when y[n-1] is on the mean. */
int spc_run(const Fq *y, int n, Fq mean);

/* Variation of a special cause on `side` under a polarity: common without one;
 * higher: high is improvement-high, low concern-low; lower: high is
 * concern-high, low improvement-low; none: neutral-high / neutral-low. */
SpcVariation spc_variation(SpcSide side, Polarity pol);

/* Assurance of a target per point against the process limits. higher: above
 * the upper limit fail, below the lower pass; lower: below the lower limit
 * fail, above the upper pass; otherwise (a target on a limit too)
 * hit-and-miss. SPC_ASSURE_NONE without a polarity. */
SpcAssurance spc_assurance(Polarity pol, Fq target, const SpcLimits *lim);

/* One point of a series. */
typedef struct SpcPoint {
    Period period;
    Fq y;
} SpcPoint;

/* The series of an indicator reported by `freq` (month, quarter or financial
 * year) for the compared `period`: each period of that frequency, from the one
 * holding the earliest value to the last one inside `period` that has a value,
 * aggregated by the indicator's rule (a ratio indicator gives each period's
 * ratio). A period without a figure there is left out and listed in *missing.
 * Returns the number of points (0 when no period inside `period` has one);
 * *points and *missing are allocated (free both, even when 0 is returned). */
int spc_series(const IndicatorDef *def, PeriodKind freq, const Value *values, int nvalues, Period period,
               int fy_start, SpcPoint **points /* OUT */, Period **missing /* OUT */, int *nmissing /* OUT */);

/* What an indicator adds for SPC beyond its definition. */
typedef struct SpcSettings {
    PeriodKind frequency;  /* the indicator's own frequency */
    int baseline;          /* spc_baseline: limits on the first N points of the segment; 0 = all */
    const Period *rebases; /* periods that start a new segment, any order; may be NULL when 0 */
    int nrebases;
} SpcSettings;

/* What an SPC chart draws, and what spc_compare judges: the latest segment
 * of the series with its limits. */
typedef struct SpcChart {
    SpcPoint *points;       /* the judged segment, in time order (owned) */
    int npoints;
    SpcVariation *marks;    /* when asked for: per point, the variation of a special-cause pattern it is
                             * part of (all 7 points of a shift, the points of a trend, the two beyond a
                             * near limit, the point outside), SPC_VAR_COMMON otherwise (owned) */
    SpcLimits limits;       /* for SPC_CHART_OK */
    int nbaseline;          /* the points the limits come from */
    int has_target;
    Fq target;              /* per point, for the latest point's financial year */
    int rebased;            /* the segment starts at `rebase` */
    Period rebase;
    Period *missing;        /* periods left out inside the segment (owned) */
    int nmissing;
} SpcChart;

typedef enum SpcChartStatus {
    SPC_CHART_OK,           /* points, limits (and marks) */
    SPC_CHART_EMPTY,        /* no point inside the compared period: nothing to draw */
    SPC_CHART_FEW,          /* points, fewer than 12 in the segment: no limits */
    SPC_CHART_TOO_LARGE     /* points, but limits beyond exact arithmetic (a note says so) */
} SpcChartStatus;

/* The latest segment of the series (spc_series) for `period`, its limits
 * (spc_baseline honoured, rebases read at the indicator's frequency), the
 * target per point, and (marks != 0) each point's special-cause marking, the
 * rules judged for each point as the latest of the segment up to it. *out is
 * always set; free it with spc_chart_release whatever is returned. */
SpcChartStatus spc_chart(const IndicatorDef *def, const SpcSettings *set, const Value *values, int nvalues,
                         const Target *targets, int ntargets, Period period, int fy_start, int marks,
                         SpcChart *out /* OUT */);
void spc_chart_release(SpcChart *c);

/* The SPC and significance columns of a compare row that figures_compare has
 * filled for `period` from the same values and targets: variation,
 * assurance, spc_mean/lower/upper, spc_rule, spc_run, significance and p_value.
 * Only the latest segment (from the latest rebase at or before the latest
 * point) is judged. Notes are appended to row->note: "fewer than 12 points"
 * (no SPC), the periods the series leaves out, a baseline not yet complete,
 * figures too large for exact arithmetic. Significance: for count indicators
 * with aggregate sum, value against previous when both are present, whole and
 * not both zero. */
void spc_compare(const IndicatorDef *def, const SpcSettings *set, const Value *values, int nvalues,
                 const Target *targets, int ntargets, Period period, int fy_start, CompareRow *row /* IN/OUT */);
/* spc_compare from a chart spc_chart made already (with or without marks) for
 * the same values, settings and period, and the status it returned: a report
 * that draws the chart judges it once. The chart stays the caller's. */
void spc_compare_chart(const IndicatorDef *def, const SpcSettings *set, SpcChartStatus status, const SpcChart *ch,
                       int fy_start, CompareRow *row /* IN/OUT */);

/* The icons' meanings in words: "Common cause variation: no significant
 * change", "The process is expected to miss the target every time", ...;
 * "" for SPC_VAR_NONE / SPC_ASSURE_NONE. */
const char *spc_variation_words(SpcVariation v);
const char *spc_assurance_words(SpcAssurance a);
/* The same in a few words, for a table cell in every output (paper, web):
 * "Concern (high)", "Hit and miss", "Significant increase"; "" when not computed. */
const char *spc_variation_short(SpcVariation v);
const char *spc_assurance_short(SpcAssurance a);
const char *spc_significance_short(Significance s);

#endif
