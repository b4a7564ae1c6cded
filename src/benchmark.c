/* benchmark.c — rates, intervals, ranks and verdicts of a comparator group
 * (see benchmark.h). */
#include "benchmark.h"

#include <string.h>

#include "intervals.h"

const char *bench_verdict_name(BenchVerdict v)
{
    switch (v) {
    case BENCH_SIMILAR: return "similar";
    case BENCH_BETTER: return "better";
    case BENCH_WORSE: return "worse";
    case BENCH_HIGHER: return "higher";
    case BENCH_LOWER: return "lower";
    default: return "";
    }
}

/* Is a better than b by polarity (ascending for none)? */
static int bench_better(Polarity pol, Fq a, Fq b)
{
    int c = fq_cmp(a, b);
    return pol == POLARITY_HIGHER ? c > 0 : c < 0;
}

int benchmark_compute(BenchKind kind, Polarity pol, int64_t per, const BenchArea *in, int n, BenchResult *out,
                      BenchGroup *group)
{
    Fq sum_num = fq_int(0), sum_den = fq_int(0);
    Fq scale = kind == BENCH_RATIO ? fq_int(100) : fq_int(per > 0 ? per : 1);
    memset(group, 0, sizeof *group);
    for (int i = 0; i < n; i++) {
        const BenchArea *a = &in[i];
        BenchResult *r = &out[i];
        memset(r, 0, sizeof *r);
        Fq den;
        if (!a->has_value) {
            r->why = "no value for the period";
            continue;
        }
        if (kind == BENCH_COUNT) {
            if (!a->has_population) {
                r->why = "no population for the period's year or any earlier year";
                continue;
            }
            if (a->population <= 0) {
                r->why = "the population is not more than 0";
                continue;
            }
            if (fq_sign(a->count) < 0) {
                r->why = "a count below 0";
                continue;
            }
            den = fq_int(a->population);
        } else {
            if (fq_sign(a->den) <= 0) {
                r->why = "the denominator is 0";
                continue;
            }
            if (fq_sign(a->count) < 0 || fq_cmp(a->count, a->den) > 0) {
                r->why = "the numerator is not between 0 and the denominator";
                continue;
            }
            den = a->den;
        }
        Fq scaled;
        if (fq_mul_ok(a->count, scale, &scaled) < 0 || fq_div_ok(scaled, den, &r->rate) < 0 ||
            fq_add_ok(sum_num, a->count, &sum_num) < 0 || fq_add_ok(sum_den, den, &sum_den) < 0)
            return -1;
        r->has_rate = 1;
        group->nrated++;
        double lo, hi, o = fq_to_double(a->count), d = fq_to_double(den), k = fq_to_double(scale);
        int ok = kind == BENCH_COUNT ? interval_count(o, &lo, &hi) : interval_wilson(o, d, &lo, &hi);
        if (ok == 0) {
            r->has_interval = 1;
            r->lower = kind == BENCH_COUNT ? lo / d * k : lo * k;
            r->upper = kind == BENCH_COUNT ? hi / d * k : hi * k;
        }
    }
    if (group->nrated > 0) {
        Fq scaled;
        if (fq_mul_ok(sum_num, scale, &scaled) < 0 || fq_div_ok(scaled, sum_den, &group->rate) < 0)
            return -1;
        group->has_rate = 1;
    }
    double g = group->has_rate ? fq_to_double(group->rate) : 0.0;
    for (int i = 0; i < n; i++) {
        BenchResult *r = &out[i];
        if (!r->has_rate)
            continue;
        r->rank = 1;
        for (int j = 0; j < n; j++) {
            if (j != i && out[j].has_rate && bench_better(pol, out[j].rate, r->rate))
                r->rank++;
        }
        if (!r->has_interval || !group->has_rate)
            continue;
        if (g >= r->lower && g <= r->upper)
            r->verdict = BENCH_SIMILAR;
        else if (g < r->lower) /* the area is significantly above the group */
            r->verdict = pol == POLARITY_HIGHER ? BENCH_BETTER : pol == POLARITY_LOWER ? BENCH_WORSE : BENCH_HIGHER;
        else
            r->verdict = pol == POLARITY_HIGHER ? BENCH_WORSE : pol == POLARITY_LOWER ? BENCH_BETTER : BENCH_LOWER;
    }
    return 0;
}
