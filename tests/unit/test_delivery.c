/* test_delivery.c — delivery-plan statuses: names, parsing, and percentages of
 * the reported items by largest remainder, which always add up to exactly 100
 * (the seed's 39 green / 5 amber / 3 unreported gives 89 and 11, not 89 + 12). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "delivery.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_names(void **state)
{
    (void)state;
    static const char *const names[STATUS_COUNT] = {"green", "amber", "red", "complete",
                                                    "unreported"};
    for (int s = 0; s < STATUS_COUNT; s++) {
        Status got;
        assert_string_equal(status_name((Status)s), names[s]);
        assert_int_equal(status_parse(names[s], &got), 0);
        assert_int_equal(got, s);
    }
}

typedef struct ParseCase {
    const char *in;
    int want; /* -1: rejected */
} ParseCase;

static void test_parse(void **state)
{
    (void)state;
    static const ParseCase cases[] = {
        {"GREEN", STATUS_GREEN}, {"Amber", STATUS_AMBER}, {"rEd", STATUS_RED},
        {"Complete", STATUS_COMPLETE}, {"UNREPORTED", STATUS_UNREPORTED},
        {"", -1}, {"grey", -1}, {"green ", -1}, {" green", -1}, {"gree", -1},
        {"greens", -1}, {"G", -1}, {"completed", -1}, {"not reported", -1},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Status got = STATUS_COUNT;
        int rc = status_parse(cases[i].in, &got);
        if (cases[i].want < 0) {
            assert_int_equal(rc, -1);
            assert_int_equal(got, STATUS_COUNT); /* untouched */
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(got, cases[i].want);
        }
    }
    Status s;
    assert_int_equal(status_parse(NULL, &s), -1);
}

typedef struct ComputeCase {
    const char *name;
    int count[STATUS_COUNT];     /* green, amber, red, complete, unreported */
    int percent[STATUS_COUNT];
    int total, reported;
} ComputeCase;

static void test_compute(void **state)
{
    (void)state;
    static const ComputeCase cases[] = {
        {"seed: 39 green, 5 amber, 3 unreported", {39, 5, 0, 0, 3}, {89, 11, 0, 0, 0}, 47, 44},
        {"thirds: the earliest takes the point", {1, 1, 1, 0, 0}, {34, 33, 33, 0, 0}, 3, 3},
        {"thirds later in the list", {0, 1, 1, 1, 0}, {0, 34, 33, 33, 0}, 3, 3},
        {"nothing at all", {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, 0},
        {"nothing reported", {0, 0, 0, 0, 5}, {0, 0, 0, 0, 0}, 5, 0},
        {"one item", {1, 0, 0, 0, 0}, {100, 0, 0, 0, 0}, 1, 1},
        {"one complete, many unreported", {0, 0, 0, 1, 9}, {0, 0, 0, 100, 0}, 10, 1},
        {"halves", {1, 1, 0, 0, 7}, {50, 50, 0, 0, 0}, 9, 2},
        {"two thirds", {2, 1, 0, 0, 0}, {67, 33, 0, 0, 0}, 3, 3},
        {"one third first", {1, 2, 0, 0, 0}, {33, 67, 0, 0, 0}, 3, 3},
        {"quarters", {1, 1, 1, 1, 0}, {25, 25, 25, 25, 0}, 4, 4},
        {"quarters, unreported left out", {1, 1, 1, 1, 1}, {25, 25, 25, 25, 0}, 5, 4},
        {"equal remainders: the larger count wins", {1, 3, 4, 0, 0}, {12, 38, 50, 0, 0}, 8, 8},
        {"equal remainders, larger count later", {3, 1, 4, 0, 0}, {38, 12, 50, 0, 0}, 8, 8},
        {"sevenths", {6, 1, 0, 0, 0}, {86, 14, 0, 0, 0}, 7, 7},
        {"sevenths spread", {1, 2, 2, 2, 0}, {14, 29, 29, 28, 0}, 7, 7},
        {"elevenths", {5, 3, 2, 1, 0}, {46, 27, 18, 9, 0}, 11, 11},
        {"all red", {0, 0, 12, 0, 0}, {0, 0, 100, 0, 0}, 12, 12},
        {"a big count", {1000000, 1, 1, 0, 0}, {100, 0, 0, 0, 0}, 1000002, 1000002},
        {"47 projects, all green", {47, 0, 0, 0, 0}, {100, 0, 0, 0, 0}, 47, 47},
        {"thirteenths", {4, 4, 4, 1, 0}, {31, 31, 31, 7, 0}, 13, 13},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const ComputeCase *c = &cases[i];
        Delivery d;
        memset(&d, 0x55, sizeof d); /* garbage everywhere but the counts */
        memcpy(d.count, c->count, sizeof d.count);
        delivery_compute(&d);
        assert_int_equal(d.total, c->total);
        assert_int_equal(d.reported, c->reported);
        for (int s = 0; s < STATUS_COUNT; s++)
            if (d.percent[s] != c->percent[s])
                fail_msg("%s: %s got %d want %d", c->name, status_name((Status)s), d.percent[s],
                         c->percent[s]);
        assert_int_equal(d.count[STATUS_GREEN], c->count[STATUS_GREEN]); /* counts untouched */
    }
}

/* Every mix of up to 12 items in each status: percents add to exactly 100 when
 * anything is reported (else all 0), each is its exact share rounded down or
 * up, and unreported never gets any. */
static void test_compute_always_100(void **state)
{
    (void)state;
    enum { MAXC = 12 };
    int checked = 0;
    for (int g = 0; g <= MAXC; g++)
        for (int a = 0; a <= MAXC; a++)
            for (int r = 0; r <= MAXC; r++)
                for (int c = 0; c <= MAXC; c += 3)
                    for (int u = 0; u <= 3; u += 3) {
                        Delivery d = {{g, a, r, c, u}, 0, 0, {0}};
                        delivery_compute(&d);
                        int rep = g + a + r + c, sum = 0;
                        assert_int_equal(d.reported, rep);
                        assert_int_equal(d.total, rep + u);
                        assert_int_equal(d.percent[STATUS_UNREPORTED], 0);
                        for (int s = 0; s < STATUS_UNREPORTED; s++) {
                            sum += d.percent[s];
                            if (rep > 0) {
                                int lo = d.count[s] * 100 / rep;
                                assert_true(d.percent[s] == lo || d.percent[s] == lo + 1);
                            }
                        }
                        assert_int_equal(sum, rep > 0 ? 100 : 0);
                        checked++;
                    }
    assert_true(checked > 10000);
}

typedef struct ApportionCase {
    int counts[8];
    int n, points;
    int out[8];
} ApportionCase;

static void test_apportion(void **state)
{
    (void)state;
    static const ApportionCase cases[] = {
        {{1, 1, 1}, 3, 100, {34, 33, 33}},
        {{1, 1, 1, 1, 1, 1}, 6, 100, {17, 17, 17, 17, 16, 16}},
        {{1, 1, 1}, 3, 1000, {334, 333, 333}},
        {{1, 1, 1}, 3, 0, {0, 0, 0}},
        {{1, 1, 1}, 3, 1, {1, 0, 0}},
        {{1, 1, 2}, 3, 1, {0, 0, 1}},
        {{0, 0, 0}, 3, 100, {0, 0, 0}},
        {{0, 5, 0}, 3, 100, {0, 100, 0}},
        {{2, 2, 3, 3}, 4, 100, {20, 20, 30, 30}},
        {{1, 2, 3, 4, 5, 6, 7}, 7, 100, {4, 7, 11, 14, 18, 21, 25}},
        {{7, 6, 5, 4, 3, 2, 1}, 7, 100, {25, 21, 18, 14, 11, 7, 4}},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const ApportionCase *c = &cases[i];
        int out[8];
        memset(out, 0x55, sizeof out);
        delivery_apportion(c->counts, c->n, c->points, out);
        for (int k = 0; k < c->n; k++)
            if (out[k] != c->out[k])
                fail_msg("case %zu: out[%d] = %d want %d", i, k, out[k], c->out[k]);
        assert_int_equal(out[c->n], 0x55555555); /* nothing written past n */
    }
    delivery_apportion(NULL, 0, 100, NULL); /* nothing to share among */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_compute),
        cmocka_unit_test(test_compute_always_100),
        cmocka_unit_test(test_apportion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
