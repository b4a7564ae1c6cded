/* test_fq.c — exact fractions: parsing decimal text, arithmetic, comparison,
 * rounding half away from zero and printing. Tables of input and expected output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fq.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Fraction from two int64s, for readable tables. */
static Fq q(int64_t n, int64_t d)
{
    return fq_make(n, d);
}

/* Parse decimal text that the test knows is valid. */
static Fq dec(const char *s)
{
    int64_t micro = 0;
    const char *why = NULL;
    if (fq_parse_micro(s, &micro, &why) != 0)
        fail_msg("bad test decimal %s: %s", s, why);
    return fq_micro(micro);
}

static void assert_fq_eq(Fq got, int64_t num, int64_t den)
{
    assert_true(got.num == num);
    assert_true(got.den == den);
}

/* ---- parsing ---- */

typedef struct ParseOk {
    const char *in;
    int64_t micro;
} ParseOk;

static void test_parse_ok(void **state)
{
    (void)state;
    static const ParseOk cases[] = {
        {"0", 0},
        {"12", 12000000},
        {"-0.25", -250000},
        {"+3.5", 3500000},
        {"-0", 0},
        {"0.5", 500000},
        {".5", 500000},
        {"-.5", -500000},
        {"+.000001", 1},
        {"007", 7000000},
        {"1455", 1455000000},
        {"2.675", 2675000},
        {"0.000001", 1},
        {"-0.000001", -1},
        {"1.500000000", 1500000},  /* zeros beyond the sixth place are exact */
        {"999999999999.999999", FQ_MAX_MICRO},
        {"-999999999999.999999", -FQ_MAX_MICRO},
        {"000000000000000000001", 1000000}, /* leading zeros are no overflow */
        {"123456.789", 123456789000},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        int64_t micro = -42;
        const char *why = NULL;
        int rc = fq_parse_micro(cases[i].in, &micro, &why);
        if (rc != 0)
            fail_msg("%s: rejected: %s", cases[i].in, why);
        if (micro != cases[i].micro)
            fail_msg("%s: got %lld want %lld", cases[i].in, (long long)micro,
                     (long long)cases[i].micro);
    }
}

typedef struct ParseBad {
    const char *in;
    const char *why;
} ParseBad;

static void test_parse_bad(void **state)
{
    (void)state;
    static const ParseBad cases[] = {
        {"", "not a number"},
        {" ", "not a number"},
        {" 7", "not a number"},
        {"7 ", "not a number"},
        {" 7 ", "not a number"},
        {"1e5", "not a number"},
        {"1E5", "not a number"},
        {"1,000", "not a number"},
        {"NaN", "not a number"},
        {"nan", "not a number"},
        {"inf", "not a number"},
        {"-inf", "not a number"},
        {"1.2.3", "not a number"},
        {".", "not a number"},
        {"-", "not a number"},
        {"+", "not a number"},
        {"5.", "not a number"},
        {"-5.", "not a number"},
        {"+-1", "not a number"},
        {"--1", "not a number"},
        {"0x10", "not a number"},
        {"12abc", "not a number"},
        {"£5", "not a number"},
        {"5%", "not a number"},
        {"1.0000001", "too many decimal places (at most 6)"},
        {"0.1234567", "too many decimal places (at most 6)"},
        {"1000000000000", "number too large"},
        {"-1000000000000", "number too large"},
        {"99999999999999999999999999999999999999999", "number too large"},
        {"999999999999999999999999999999999999999999999999.5", "number too large"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        int64_t micro = 42;
        const char *why = NULL;
        int rc = fq_parse_micro(cases[i].in, &micro, &why);
        if (rc != -1)
            fail_msg("\"%s\": accepted as %lld", cases[i].in, (long long)micro);
        assert_non_null(why);
        if (strcmp(why, cases[i].why) != 0)
            fail_msg("\"%s\": why \"%s\" want \"%s\"", cases[i].in, why, cases[i].why);
        assert_int_equal(micro, 42); /* untouched on error */
    }
}

static void test_parse_null(void **state)
{
    (void)state;
    int64_t micro = 0;
    const char *why = NULL;
    assert_int_equal(fq_parse_micro(NULL, &micro, &why), -1);
    assert_string_equal(why, "not a number");
}

/* ---- construction and arithmetic ---- */

static void test_make_normalises(void **state)
{
    (void)state;
    assert_fq_eq(q(2, 4), 1, 2);
    assert_fq_eq(q(-2, 4), -1, 2);
    assert_fq_eq(q(2, -4), -1, 2);
    assert_fq_eq(q(-2, -4), 1, 2);
    assert_fq_eq(q(0, -7), 0, 1);
    assert_fq_eq(q(0, 5), 0, 1);
    assert_fq_eq(fq_micro(250000), 1, 4);
    assert_fq_eq(fq_micro(-1), -1, 1000000);
    assert_fq_eq(fq_int(-3), -3, 1);
    assert_fq_eq(fq_micro(1455000000), 1455, 1);
}

typedef struct Arith {
    int64_t an, ad, bn, bd;
    int64_t sum_n, sum_d, diff_n, diff_d, prod_n, prod_d, quot_n, quot_d;
} Arith;

static void test_arithmetic(void **state)
{
    (void)state;
    static const Arith cases[] = {
        /* a      b       a+b      a-b       a*b      a/b */
        {1, 2, 1, 3, 5, 6, 1, 6, 1, 6, 3, 2},
        {1, 2, -1, 2, 0, 1, 1, 1, -1, 4, -1, 1},
        {-3, 4, 5, 6, 1, 12, -19, 12, -5, 8, -9, 10},
        {0, 1, 7, 3, 7, 3, -7, 3, 0, 1, 0, 1},
        {42, 1413, 1, 1, 485, 471, -457, 471, 14, 471, 14, 471},
        {1, 1000000, 1, 1000000, 1, 500000, 0, 1, 1, 1000000000000, 1, 1},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const Arith *c = &cases[i];
        Fq a = q(c->an, c->ad), b = q(c->bn, c->bd);
        assert_fq_eq(fq_add(a, b), c->sum_n, c->sum_d);
        assert_fq_eq(fq_sub(a, b), c->diff_n, c->diff_d);
        assert_fq_eq(fq_mul(a, b), c->prod_n, c->prod_d);
        assert_fq_eq(fq_div(a, b), c->quot_n, c->quot_d);
    }
}

static void test_neg_abs_sign(void **state)
{
    (void)state;
    assert_fq_eq(fq_neg(q(1, 3)), -1, 3);
    assert_fq_eq(fq_neg(q(0, 1)), 0, 1);
    assert_fq_eq(fq_abs(q(-1, 3)), 1, 3);
    assert_fq_eq(fq_abs(q(1, 3)), 1, 3);
    assert_int_equal(fq_sign(q(-1, 3)), -1);
    assert_int_equal(fq_sign(q(0, 3)), 0);
    assert_int_equal(fq_sign(q(1, 3)), 1);
    assert_true(fq_is_zero(fq_sub(q(1, 3), q(2, 6))));
    assert_false(fq_is_zero(q(1, 1000000)));
}

/* Big but legitimate magnitudes: thousands of maximal values summed, then a
 * percentage change of such sums, stay exact. */
static void test_large_values_exact(void **state)
{
    (void)state;
    enum { N = 5000 };
    Fq sum = fq_int(0);
    for (int i = 0; i < N; i++)
        sum = fq_add(sum, fq_micro(FQ_MAX_MICRO));
    Fq expect = fq_mul(fq_micro(FQ_MAX_MICRO), fq_int(N));
    assert_int_equal(fq_cmp(sum, expect), 0);
    Fq other = fq_add(sum, fq_micro(1));
    Fq pct = fq_mul(fq_div(fq_sub(other, sum), sum), fq_int(100));
    assert_int_equal(fq_sign(pct), 1);
    Fq back = fq_div(fq_mul(pct, sum), fq_int(100));
    assert_int_equal(fq_cmp(back, fq_micro(1)), 0);
}

/* The checked forms agree with the plain ones, and report overflow instead of
 * aborting, leaving *out alone. */
static void test_checked_ops(void **state)
{
    (void)state;
    Fq out = fq_int(7);
    assert_int_equal(fq_add_ok(q(1, 2), q(1, 3), &out), 0);
    assert_fq_eq(out, 5, 6);
    assert_int_equal(fq_sub_ok(q(1, 2), q(1, 3), &out), 0);
    assert_fq_eq(out, 1, 6);
    assert_int_equal(fq_mul_ok(q(-3, 4), q(5, 6), &out), 0);
    assert_fq_eq(out, -5, 8);
    assert_int_equal(fq_div_ok(q(-3, 4), q(5, 6), &out), 0);
    assert_fq_eq(out, -9, 10);
    assert_int_equal(fq_div_ok(q(1, 2), q(-1, 4), &out), 0);
    assert_fq_eq(out, -2, 1);

    i128 big = (i128)1 << 126;
    Fq huge = fq_make(big, 1);
    Fq tiny = fq_make(1, big - 1); /* odd denominator: nothing cancels */
    out = fq_int(7);
    assert_int_equal(fq_add_ok(huge, huge, &out), -1);
    assert_int_equal(fq_sub_ok(fq_neg(huge), huge, &out), -1);
    assert_int_equal(fq_mul_ok(huge, fq_int(4), &out), -1);
    assert_int_equal(fq_div_ok(huge, q(1, 4), &out), -1);
    assert_int_equal(fq_mul_ok(tiny, tiny, &out), -1);        /* denominators multiply */
    assert_int_equal(fq_add_ok(tiny, q(1, 5), &out), -1);   /* 2^126 - 1 is not a multiple of 5 */
    assert_fq_eq(out, 7, 1);                                  /* untouched */
    /* Near the limit but fitting: still exact. */
    assert_int_equal(fq_add_ok(huge, fq_neg(huge), &out), 0);
    assert_fq_eq(out, 0, 1);
    assert_int_equal(fq_mul_ok(huge, q(1, 2), &out), 0);
    assert_true(out.num == big / 2 && out.den == 1);
    assert_int_equal(fq_cmp(tiny, fq_int(0)), 1);             /* comparison never overflows */
    assert_int_equal(fq_cmp(fq_make(big - 1, big), fq_make(big - 2, big - 1)), 1);
}

typedef struct Cmp {
    int64_t an, ad, bn, bd;
    int want;
} Cmp;

static void test_cmp(void **state)
{
    (void)state;
    static const Cmp cases[] = {
        {1, 2, 1, 2, 0},
        {1, 2, 2, 4, 0},
        {1, 3, 1, 2, -1},
        {1, 2, 1, 3, 1},
        {-1, 2, 1, 3, -1},
        {-1, 2, -1, 3, -1},
        {-1, 3, -1, 2, 1},
        {0, 1, 0, 1, 0},
        {0, 1, -1, 1000000, 1},
        {7, 1, 7, 1, 0},
        {7, 1, 13, 2, 1},
        {999999, 1000000, 1, 1, -1},
        {1000001, 1000000, 1, 1, 1},
        {286, 1, 2856, 10, 1},        /* 286 vs 285.6 */
        {2856, 10, 286, 1, -1},
        {355, 113, 22, 7, -1},        /* close fractions */
        {22, 7, 355, 113, 1},
        {-355, 113, -22, 7, 1},
        {INT64_MAX, INT64_MAX - 1, INT64_MAX - 1, INT64_MAX - 2, -1},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const Cmp *c = &cases[i];
        int got = fq_cmp(q(c->an, c->ad), q(c->bn, c->bd));
        if (got != c->want)
            fail_msg("case %zu: %lld/%lld vs %lld/%lld: got %d want %d", i, (long long)c->an,
                     (long long)c->ad, (long long)c->bn, (long long)c->bd, got, c->want);
        assert_int_equal(fq_cmp(q(c->bn, c->bd), q(c->an, c->ad)), -c->want);
    }
}

/* ---- rounding and printing ---- */

typedef struct Fmt {
    const char *in;  /* exact decimal */
    int decimals;
    const char *out;
} Fmt;

static void test_format_decimal(void **state)
{
    (void)state;
    static const Fmt cases[] = {
        {"0.25", 1, "0.3"},
        {"-0.25", 1, "-0.3"},
        {"0.35", 1, "0.4"},
        {"-0.35", 1, "-0.4"},
        {"0.24", 1, "0.2"},
        {"-0.24", 1, "-0.2"},
        {"2.675", 2, "2.68"},     /* exact decimal: no binary-float surprise */
        {"-2.675", 2, "-2.68"},
        {"1.005", 2, "1.01"},
        {"0.05", 1, "0.1"},
        {"-0.05", 1, "-0.1"},
        {"0.049999", 1, "0.0"},
        {"-0.04", 1, "0.0"},      /* rounds to zero: no minus sign */
        {"-0.000001", 1, "0.0"},
        {"-0.4", 0, "0"},
        {"-0.5", 0, "-1"},
        {"0.5", 0, "1"},
        {"1.5", 0, "2"},
        {"2.5", 0, "3"},          /* not banker's rounding */
        {"-2.5", 0, "-3"},
        {"1455", 0, "1455"},
        {"12", 1, "12.0"},
        {"12", 3, "12.000"},
        {"-12", 2, "-12.00"},
        {"0", 0, "0"},
        {"0", 2, "0.00"},
        {"-0", 1, "0.0"},
        {"9.95", 1, "10.0"},
        {"-9.95", 1, "-10.0"},
        {"99.5", 0, "100"},
        {"0.000001", 6, "0.000001"},
        {"999999999999.999999", 0, "1000000000000"},
        {"999999999999.999999", 6, "999999999999.999999"},
        {"-999999999999.999999", 2, "-1000000000000.00"},
        {"3.14159", 4, "3.1416"},
        {"3.14159", -1, "3"},     /* negative places clamp to 0 */
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        int64_t micro;
        const char *why;
        if (fq_parse_micro(cases[i].in, &micro, &why) != 0)
            fail_msg("bad test decimal %s: %s", cases[i].in, why);
        Buf b = BUF_INIT;
        fq_format(&b, fq_micro(micro), cases[i].decimals);
        if (strcmp(buf_cstr(&b), cases[i].out) != 0)
            fail_msg("%s at %d: got %s want %s", cases[i].in, cases[i].decimals, buf_cstr(&b),
                     cases[i].out);
        buf_release(&b);
    }
}

typedef struct FmtQ {
    int64_t num, den;
    int decimals;
    const char *out;
} FmtQ;

static void test_format_fraction(void **state)
{
    (void)state;
    static const FmtQ cases[] = {
        {1, 3, 1, "0.3"},
        {2, 3, 1, "0.7"},
        {-2, 3, 1, "-0.7"},
        {200, 3, 1, "66.7"},          /* 1/2 and 99/100 as a ratio of sums */
        {4200, 1413, 1, "3.0"},       /* All Crime Q2: 42/1413*100 = 2.97 */
        {-13800, 3018, 1, "-4.6"},    /* All Crime YTD */
        {-300, 4, 1, "-75.0"},
        {1, 20, 1, "0.1"},            /* 0.05 exactly */
        {-1, 20, 1, "-0.1"},
        {1, 40, 2, "0.03"},           /* 0.025 */
        {1, 7, 12, "0.142857142857"},
        {1, 7, 20, "0.142857142857"}, /* more than 12 places clamp to 12 */
        {5, 10000000, 6, "0.000001"}, /* 0.0000005 rounds up */
        {-5, 10000000, 6, "-0.000001"},
        {4, 10000000, 6, "0.000000"},
        {-4, 10000000, 6, "0.000000"},
        {INT64_MAX, 1, 0, "9223372036854775807"},
        {INT64_MIN + 1, 1, 2, "-9223372036854775807.00"},
        {INT64_MAX, 2, 0, "4611686018427387904"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        fq_format(&b, q(cases[i].num, cases[i].den), cases[i].decimals);
        if (strcmp(buf_cstr(&b), cases[i].out) != 0)
            fail_msg("%lld/%lld at %d: got %s want %s", (long long)cases[i].num,
                     (long long)cases[i].den, cases[i].decimals, buf_cstr(&b), cases[i].out);
        buf_release(&b);
    }
}

static void test_format_appends(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "x=");
    fq_format(&b, q(1, 4), 1);
    buf_puts(&b, ", y=");
    fq_format_micro(&b, 9125000);
    assert_string_equal(buf_cstr(&b), "x=0.3, y=9.125");
    buf_release(&b);
}

typedef struct RoundCase {
    int64_t num, den;
    int decimals;
    int64_t rnum, rden;
} RoundCase;

static void test_round(void **state)
{
    (void)state;
    static const RoundCase cases[] = {
        {1, 4, 1, 3, 10},
        {-1, 4, 1, -3, 10},
        {2675, 1000, 2, 67, 25},   /* 2.68 */
        {-2675, 1000, 2, -67, 25},
        {1, 3, 2, 33, 100},
        {-1, 20, 1, -1, 10},
        {-1, 40, 1, 0, 1},         /* -0.025 -> 0.0, zero without sign */
        {5, 2, 0, 3, 1},
        {-5, 2, 0, -3, 1},
        {7, 1, 3, 7, 1},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Fq r = fq_round(q(cases[i].num, cases[i].den), cases[i].decimals);
        assert_fq_eq(r, cases[i].rnum, cases[i].rden);
    }
    /* Rounding applies once: rounding a rounded value is a no-op. */
    Fq once = fq_round(q(1449, 1000), 1);
    assert_fq_eq(fq_round(once, 1), 7, 5);
    /* ... and 1.449 at one place is 1.4, not 1.45 -> 1.5 */
    assert_fq_eq(once, 7, 5);
}

typedef struct FmtMicro {
    int64_t micro;
    const char *out;
} FmtMicro;

static void test_format_micro(void **state)
{
    (void)state;
    static const FmtMicro cases[] = {
        {0, "0"},
        {60000000, "60"},
        {9125000, "9.125"},
        {-9125000, "-9.125"},
        {1, "0.000001"},
        {-1, "-0.000001"},
        {500000, "0.5"},
        {-500000, "-0.5"},
        {10, "0.00001"},
        {100000, "0.1"},
        {1455000000, "1455"},
        {FQ_MAX_MICRO, "999999999999.999999"},
        {-FQ_MAX_MICRO, "-999999999999.999999"},
        {INT64_MIN, "-9223372036854.775808"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        fq_format_micro(&b, cases[i].micro);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_release(&b);
    }
}

/* Every micro value printed in shortest form parses back to itself. */
static void test_micro_round_trip(void **state)
{
    (void)state;
    static const int64_t cases[] = {0, 1, -1, 7, 10, 123456, 1000000, 1000001, -2675000,
                                    FQ_MAX_MICRO, -FQ_MAX_MICRO, 500000000000};
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        int64_t back = 0;
        const char *why = NULL;
        fq_format_micro(&b, cases[i]);
        assert_int_equal(fq_parse_micro(buf_cstr(&b), &back, &why), 0);
        assert_true(back == cases[i]);
        buf_release(&b);
    }
}

static void test_to_double(void **state)
{
    (void)state;
    assert_true(fq_to_double(q(1, 4)) == 0.25);
    assert_true(fq_to_double(q(-3, 2)) == -1.5);
    assert_true(fq_to_double(dec("2.675")) > 2.674 && fq_to_double(dec("2.675")) < 2.676);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_null),
        cmocka_unit_test(test_make_normalises),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_neg_abs_sign),
        cmocka_unit_test(test_large_values_exact),
        cmocka_unit_test(test_checked_ops),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_format_decimal),
        cmocka_unit_test(test_format_fraction),
        cmocka_unit_test(test_format_appends),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_format_micro),
        cmocka_unit_test(test_micro_round_trip),
        cmocka_unit_test(test_to_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
