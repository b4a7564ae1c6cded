/* test_intervals.c — confidence intervals against published reference values.
 *
 * Sources of the expected values:
 * - exact Poisson limits for O = 0..10: the standard table of 95% limits for a
 *   Poisson count (as printed in Public Health England's "Technical Guide:
 *   Confidence Intervals", 2018, and statistical tables generally: 0 -> 0 to
 *   3.689, 1 -> 0.0253 to 5.572, 9 -> 4.115 to 17.085), to 6 decimals as
 *   recomputed by direct summation of the Poisson probabilities;
 * - Byar's limits for 65 and 1045: the examples of PHEindicatormethods'
 *   byars_lower / byars_upper (R package of the same methods), evaluated
 *   from the published formula; 10^7 is checked against the normal
 *   approximation O +- z sqrt(O), which Byar's method approaches;
 * - Wilson's interval for 65 of 100 (PHEindicatormethods' wilson_lower /
 *   wilson_upper example), for 0 and n of n, and for a rare event. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "intervals.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct IvCase {
    double a, b;          /* the count (and, for Wilson, the denominator) */
    double lower, upper;  /* expected */
    double tol;
} IvCase;

static void test_exact_poisson(void **state)
{
    (void)state;
    static const IvCase cases[] = {
        {0, 0, 0.000000, 3.688879, 1e-6},  {1, 0, 0.025318, 5.571643, 1e-6},
        {2, 0, 0.242209, 7.224688, 1e-6},  {5, 0, 1.623486, 11.668332, 1e-6},
        {9, 0, 4.115373, 17.084803, 1e-6}, {10, 0, 4.795389, 18.390356, 1e-6},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        double lo = -1, up = -1;
        assert_int_equal(interval_poisson_exact(cases[i].a, &lo, &up), 0);
        if (fabs(lo - cases[i].lower) > cases[i].tol || fabs(up - cases[i].upper) > cases[i].tol)
            fail_msg("exact Poisson %g: got %.6f to %.6f, want %.6f to %.6f", cases[i].a, lo, up,
                     cases[i].lower, cases[i].upper);
    }
    double lo, up;
    assert_int_equal(interval_poisson_exact(-1, &lo, &up), -1);
    assert_int_equal(interval_poisson_exact(NAN, &lo, &up), -1);
}

static void test_count_switches_at_ten(void **state)
{
    (void)state;
    double lo, up;
    /* below 10: exact */
    assert_int_equal(interval_count(9, &lo, &up), 0);
    assert_true(fabs(lo - 4.115373) < 1e-6 && fabs(up - 17.084803) < 1e-6);
    /* from 10: Byar's (4.787450 to 18.391459, not the exact 4.795389 to 18.390356) */
    assert_int_equal(interval_count(10, &lo, &up), 0);
    assert_true(fabs(lo - 4.787450) < 1e-6);
    assert_true(fabs(up - 18.391459) < 1e-6);
    assert_int_equal(interval_count(0, &lo, &up), 0);
    assert_true(lo == 0.0 && fabs(up - 3.688879) < 1e-6);
    assert_int_equal(interval_count(-3, &lo, &up), -1);
    assert_int_equal(interval_count(INFINITY, &lo, &up), -1);
}

static void test_byar(void **state)
{
    (void)state;
    static const IvCase cases[] = {
        {65, 0, 50.163188, 82.849139, 1e-5},
        {1045, 0, 982.593201, 1110.331214, 1e-5},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        double lo, up;
        assert_int_equal(interval_count(cases[i].a, &lo, &up), 0);
        if (fabs(lo - cases[i].lower) > cases[i].tol || fabs(up - cases[i].upper) > cases[i].tol)
            fail_msg("Byar %g: got %.6f to %.6f", cases[i].a, lo, up);
    }
    /* 10^7: within one event of O -+ z sqrt(O) (+1 on the upper side) */
    double lo, up, o = 1e7;
    assert_int_equal(interval_count(o, &lo, &up), 0);
    assert_true(fabs(lo - (o - INTERVALS_Z * sqrt(o))) < 1.0);
    assert_true(fabs(up - (o + 1 + INTERVALS_Z * sqrt(o + 1))) < 1.0);
    assert_true(fabs(lo - 9993802.996831) < 1e-3);
}

static void test_wilson(void **state)
{
    (void)state;
    static const IvCase cases[] = {
        {65, 100, 0.552544, 0.736358, 1e-6}, {0, 10, 0.0, 0.277533, 1e-6},
        {10, 10, 0.722467, 1.0, 1e-6},       {1, 1000, 0.000177, 0.005643, 1e-6},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        double lo, up;
        assert_int_equal(interval_wilson(cases[i].a, cases[i].b, &lo, &up), 0);
        if (fabs(lo - cases[i].lower) > cases[i].tol || fabs(up - cases[i].upper) > cases[i].tol)
            fail_msg("Wilson %g/%g: got %.6f to %.6f", cases[i].a, cases[i].b, lo, up);
    }
    double lo, up;
    assert_int_equal(interval_wilson(5, 0, &lo, &up), -1);
    assert_int_equal(interval_wilson(6, 5, &lo, &up), -1);
    assert_int_equal(interval_wilson(-1, 5, &lo, &up), -1);
}

static void test_poisson_cdf(void **state)
{
    (void)state;
    /* P(X <= 0) = e^-mu; P(X <= 2 | 1) = 2.5 e^-1; a large mean on both branches */
    assert_true(fabs(interval_poisson_cdf(0, 2.0) - exp(-2.0)) < 1e-14);
    assert_true(fabs(interval_poisson_cdf(2, 1.0) - 2.5 * exp(-1.0)) < 1e-14);
    assert_true(fabs(interval_poisson_cdf(100, 100.0) - 0.526562) < 1e-6);
    assert_true(interval_poisson_cdf(5, 0.0) == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_poisson), cmocka_unit_test(test_count_switches_at_ten),
        cmocka_unit_test(test_byar),          cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_poisson_cdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
