/* benchmark.h — an indicator's figures for the areas of a comparator group
 * (docs/benchmark.md): each area's rate per population with its 95% interval, its rank
 * in the group, the group's own rate and a verdict. Pure (figures layer): no
 * SQL, no I/O, no globals; the caller (cmd_benchmark.c) gives each area's
 * count and population.
 *
 * Rules:
 *   - a count indicator (unit count, aggregate sum): rate = count / population
 *     × per, exact; its interval is the count's (intervals.h: Byar from 10
 *     up, exact Poisson below) divided the same way;
 *   - a ratio indicator (aggregate ratio): rate = numerator / denominator ×
 *     100 (a percentage; the population is not used), with Wilson's score
 *     interval × 100;
 *   - group rate = the sum of the counts (numerators) over the sum of the
 *     populations (denominators) of the areas that have a rate, same scale;
 *   - rank: 1 = best — the lowest rate for polarity `lower`, the highest for
 *     `higher`, and (our choice) the lowest for `none` (ascending, as a table
 *     of rates reads); equal rates share a rank, the next rank skips
 *     ("1, 1, 3");
 *   - verdict: `similar` when the group rate lies inside the area's interval
 *     (limits included); otherwise the area's rate is significantly above
 *     (group rate below the lower limit) or below it: `better`/`worse` by
 *     polarity, `higher`/`lower` when the polarity is `none`.
 * Areas without a rate (no value, no population, zero denominator) get no
 * rank and no verdict, and `why` says what is missing. */
#ifndef KPI_BENCHMARK_H
#define KPI_BENCHMARK_H

#include <stdint.h>

#include "figures.h"
#include "fq.h"

typedef enum BenchKind { BENCH_COUNT, BENCH_RATIO } BenchKind;

typedef enum BenchVerdict {
    BENCH_NO_VERDICT, BENCH_SIMILAR, BENCH_BETTER, BENCH_WORSE, BENCH_HIGHER, BENCH_LOWER
} BenchVerdict;

/* "similar", "better", "worse", "higher", "lower"; "" for none. */
const char *bench_verdict_name(BenchVerdict v);

/* One area's input. */
typedef struct BenchArea {
    int has_value;       /* the indicator has a value for the period */
    Fq count;            /* BENCH_COUNT: the count; BENCH_RATIO: the numerator */
    Fq den;              /* BENCH_RATIO: the denominator */
    int has_population;  /* BENCH_COUNT: a population is known */
    int64_t population;
} BenchArea;

/* One area's result. */
typedef struct BenchResult {
    int has_rate;
    Fq rate;             /* exact, per `per` residents (or percent) */
    int has_interval;
    double lower, upper; /* same scale as rate */
    int rank;            /* 1 = best; 0 without a rate */
    BenchVerdict verdict;
    const char *why;     /* static phrase when has_rate is 0, else NULL */
} BenchResult;

typedef struct BenchGroup {
    int has_rate;
    Fq rate;
    int nrated;          /* areas that have a rate (and so count in the group rate) */
} BenchGroup;

/* Compute every area's result (out[0..n)) and the group's. per: residents a
 * rate is given per (BENCH_COUNT; > 0), ignored for BENCH_RATIO. Returns 0,
 * or -1 when a sum is too large for exact arithmetic (nothing meaningful in
 * out). */
int benchmark_compute(BenchKind kind, Polarity pol, int64_t per, const BenchArea *in, int n,
                      BenchResult *out /* OUT */, BenchGroup *group /* OUT */);

#endif
