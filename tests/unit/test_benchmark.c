/* test_benchmark.c — rates, intervals, ranks and verdicts of a comparator
 * group (benchmark.h). Expected intervals are Byar's formula, the exact
 * Poisson table (5 -> 1.623486 to 11.668332, as in test_intervals.c) and
 * Wilson's formula as docs/benchmark.md writes it, evaluated independently in Python
 * and divided like the rate. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "benchmark.h"

/* A count area: count, population (pop < 0: none); has = 0: no value. */
static BenchArea count_area(int has, int64_t count, int64_t pop)
{
    BenchArea a;
    memset(&a, 0, sizeof a);
    a.has_value = has;
    a.count = fq_int(count);
    a.has_population = pop >= 0;
    a.population = pop;
    return a;
}

static void assert_near(double got, double want)
{
    if (fabs(got - want) > 1e-6)
        fail_msg("got %.9f, wanted %.9f", got, want);
}

static void assert_rate(const BenchResult *r, int64_t num, int64_t den)
{
    assert_true(r->has_rate);
    assert_int_equal(fq_cmp(r->rate, fq_make(num, den)), 0);
}

/* The group: A 100/50,000; B 300/100,000; C 5/10,000; D no value; E 150/50,000. */
static void five_areas(BenchArea in[5])
{
    in[0] = count_area(1, 100, 50000);
    in[1] = count_area(1, 300, 100000);
    in[2] = count_area(1, 5, 10000);
    in[3] = count_area(0, 0, 20000);
    in[4] = count_area(1, 150, 50000);
}

static void test_counts_lower(void **state)
{
    (void)state;
    BenchArea in[5];
    BenchResult out[5];
    BenchGroup g;
    five_areas(in);
    assert_int_equal(benchmark_compute(BENCH_COUNT, POLARITY_LOWER, 1000, in, 5, out, &g), 0);
    /* rates per 1,000, exact */
    assert_rate(&out[0], 2, 1);
    assert_rate(&out[1], 3, 1);
    assert_rate(&out[2], 1, 2);
    assert_rate(&out[4], 3, 1);
    /* group: (100 + 300 + 5 + 150) / 210,000 x 1,000 (D has no value, so no part) */
    assert_true(g.has_rate);
    assert_int_equal(g.nrated, 4);
    assert_int_equal(fq_cmp(g.rate, fq_make(555000, 210000)), 0);
    /* intervals: Byar for 100, 300, 150; exact Poisson for 5 */
    assert_near(out[0].lower, 1.6272421071158019);
    assert_near(out[0].upper, 2.432558755101408);
    assert_near(out[1].lower, 2.670082717726944);
    assert_near(out[1].upper, 3.3594188092144783);
    assert_near(out[4].lower, 2.539093466934131);
    assert_near(out[4].upper, 3.5203631698463616);
    assert_near(out[2].lower, 0.1623486);
    assert_near(out[2].upper, 1.1668332);
    /* ranks: lowest best; B and E tie at 3 */
    assert_int_equal(out[2].rank, 1);
    assert_int_equal(out[0].rank, 2);
    assert_int_equal(out[1].rank, 3);
    assert_int_equal(out[4].rank, 3);
    assert_int_equal(out[3].rank, 0);
    /* verdicts: group 2.6429 above A's and C's intervals, below B's, inside E's */
    assert_int_equal(out[0].verdict, BENCH_BETTER);
    assert_int_equal(out[2].verdict, BENCH_BETTER);
    assert_int_equal(out[1].verdict, BENCH_WORSE);
    assert_int_equal(out[4].verdict, BENCH_SIMILAR);
    assert_int_equal(out[3].verdict, BENCH_NO_VERDICT);
    assert_false(out[3].has_rate);
    assert_string_equal(out[3].why, "no value for the period");
    assert_string_equal(bench_verdict_name(out[1].verdict), "worse");
}

static void test_counts_higher_and_none(void **state)
{
    (void)state;
    BenchArea in[5];
    BenchResult out[5];
    BenchGroup g;
    five_areas(in);
    assert_int_equal(benchmark_compute(BENCH_COUNT, POLARITY_HIGHER, 1000, in, 5, out, &g), 0);
    assert_int_equal(out[1].rank, 1);
    assert_int_equal(out[4].rank, 1);
    assert_int_equal(out[0].rank, 3);
    assert_int_equal(out[2].rank, 4);
    assert_int_equal(out[0].verdict, BENCH_WORSE);
    assert_int_equal(out[1].verdict, BENCH_BETTER);
    assert_int_equal(out[4].verdict, BENCH_SIMILAR);

    /* polarity none: ranked ascending (our choice), verdicts higher/lower */
    assert_int_equal(benchmark_compute(BENCH_COUNT, POLARITY_NONE, 1000, in, 5, out, &g), 0);
    assert_int_equal(out[2].rank, 1);
    assert_int_equal(out[1].rank, 3);
    assert_int_equal(out[0].verdict, BENCH_LOWER);
    assert_int_equal(out[1].verdict, BENCH_HIGHER);
    assert_string_equal(bench_verdict_name(out[1].verdict), "higher");
    assert_string_equal(bench_verdict_name(out[4].verdict), "similar");
}

static void test_per_scales(void **state)
{
    (void)state;
    BenchArea in[1] = {count_area(1, 100, 50000)};
    BenchResult out[1];
    BenchGroup g;
    assert_int_equal(benchmark_compute(BENCH_COUNT, POLARITY_LOWER, 100000, in, 1, out, &g), 0);
    assert_rate(&out[0], 200, 1);
    assert_near(out[0].lower, 162.72421071158019);
    /* one area alone: the group is the area, so similar */
    assert_int_equal(out[0].verdict, BENCH_SIMILAR);
    assert_int_equal(out[0].rank, 1);
}

static void test_missing_population(void **state)
{
    (void)state;
    BenchArea in[3] = {count_area(1, 10, -1), count_area(1, 10, 0), count_area(1, 0, 1000)};
    BenchResult out[3];
    BenchGroup g;
    assert_int_equal(benchmark_compute(BENCH_COUNT, POLARITY_LOWER, 1000, in, 3, out, &g), 0);
    assert_false(out[0].has_rate);
    assert_non_null(strstr(out[0].why, "no population"));
    assert_false(out[1].has_rate);
    /* a count of 0 has a rate of 0 and the exact interval 0 to 3.688879 */
    assert_rate(&out[2], 0, 1);
    assert_near(out[2].lower, 0.0);
    assert_near(out[2].upper, 3.688879);
    assert_int_equal(g.nrated, 1);
    assert_int_equal(fq_sign(g.rate), 0);
    assert_int_equal(out[2].verdict, BENCH_SIMILAR);
}

static void test_ratio_wilson(void **state)
{
    (void)state;
    BenchArea in[2];
    BenchResult out[2];
    BenchGroup g;
    memset(in, 0, sizeof in);
    in[0].has_value = in[1].has_value = 1;
    in[0].count = fq_int(65);
    in[0].den = fq_int(100);
    in[1].count = fq_int(30);
    in[1].den = fq_int(100);
    assert_int_equal(benchmark_compute(BENCH_RATIO, POLARITY_HIGHER, 1000, in, 2, out, &g), 0);
    assert_rate(&out[0], 65, 1);
    assert_near(out[0].lower, 55.254443218390435);
    assert_near(out[0].upper, 73.63575181853967);
    assert_near(out[1].lower, 21.89488523851571);
    assert_near(out[1].upper, 39.58485471224414);
    assert_int_equal(fq_cmp(g.rate, fq_make(95, 2)), 0); /* 47.5% */
    assert_int_equal(out[0].rank, 1);
    assert_int_equal(out[0].verdict, BENCH_BETTER);
    assert_int_equal(out[1].verdict, BENCH_WORSE);
    /* a zero denominator: no rate */
    in[1].den = fq_int(0);
    in[1].count = fq_int(0);
    assert_int_equal(benchmark_compute(BENCH_RATIO, POLARITY_HIGHER, 1000, in, 2, out, &g), 0);
    assert_false(out[1].has_rate);
    assert_string_equal(out[1].why, "the denominator is 0");
    assert_int_equal(out[0].verdict, BENCH_SIMILAR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_lower),     cmocka_unit_test(test_counts_higher_and_none),
        cmocka_unit_test(test_per_scales),       cmocka_unit_test(test_missing_population),
        cmocka_unit_test(test_ratio_wilson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
