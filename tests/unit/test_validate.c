/* test_validate.c — the input rules of every figure (validate.h): numbers as
 * partners type them, counts, percentages, sizes that do not fit, an
 * indicator's own min/max, GSS codes and the "did you mean" for areas.
 * Tables of input and the message (or stored micro-units) expected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fq.h"
#include "validate.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- numbers as typed ---- */

typedef struct NumberCase {
    const char *in;
    int64_t micro;     /* when msg is NULL */
    const char *msg;   /* a part of the message, NULL when accepted */
} NumberCase;

static void test_numbers(void **state)
{
    (void)state;
    static const NumberCase cases[] = {
        {"1500", 1500000000, NULL},
        {"-3", -3000000, NULL},
        {"0.000001", 1, NULL},
        {"999999999999.999999", 999999999999999999LL, NULL},
        {"1,500", 0, "value '1,500': remove the thousands separator (write 1500)"},
        {"12,345,678.5", 0, "remove the thousands separator (write 12345678.5)"},
        {"-1,500", 0, "remove the thousands separator (write -1500)"},
        {"2,5", 0, "write the decimal point as a full stop (2.5)"},
        {"45%", 0, "value '45%': write 45 without the % sign"},
        {"12.5 %", 0, "write 12.5 without the % sign"},
        {"\xc2\xa3" "3", 0, "without the currency sign (3)"},
        {"$1,200", 0, "without the currency sign (1200)"},
        {"1 500", 0, "remove the spaces (write 1500)"},
        {"1e5", 0, "without an exponent"},
        {"\xe2\x88\x92" "3", 0, "plain hyphen (-3)"},
        {"1O", 0, "value '1O': not a number"},
        {"", 0, "not a number"},
        {"1,50", 0, "write the decimal point as a full stop (1.50)"},
        {"1,2,3", 0, "value '1,2,3': not a number"},
        {"1000000000000", 0, "is too large: a figure is at most 999999999999.999999"},
        {"1.1234567", 0, "too many decimal places"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Err err = ERR_INIT;
        int64_t m = 0;
        int rc = validate_number(cases[i].in, "value", &m, &err);
        if (!cases[i].msg) {
            if (rc != 0)
                fail_msg("'%s' refused: %s", cases[i].in, err_msg(&err));
            assert_true(m == cases[i].micro);
        } else {
            if (rc != -1 || !strstr(err_msg(&err), cases[i].msg))
                fail_msg("'%s': wanted '%s', got '%s'", cases[i].in, cases[i].msg, err_msg(&err));
        }
        err_release(&err);
    }
}

static void test_bounds_text(void **state)
{
    (void)state;
    Err err = ERR_INIT;
    int64_t m;
    assert_int_equal(validate_bound("none", "min", 0, &m, &err), 0);
    assert_true(m == -FQ_MAX_MICRO);
    assert_int_equal(validate_bound("NONE", "max", 1, &m, &err), 0);
    assert_true(m == FQ_MAX_MICRO);
    assert_int_equal(validate_bound("-50", "min", 0, &m, &err), 0);
    assert_true(m == -50 * FQ_SCALE);
    assert_int_equal(validate_bound("lots", "max", 1, &m, &err), -1);
    assert_non_null(strstr(err_msg(&err), "max 'lots': not a number"));
    err_release(&err);
}

/* ---- values ---- */

static Indicator ind_make(const char *title, Unit unit, Aggregate agg)
{
    Indicator ind;
    memset(&ind, 0, sizeof ind);
    ind.code = (char *)"x";
    ind.title = (char *)title;
    ind.def.unit = unit;
    ind.def.aggregate = agg;
    ind.frequency = PERIOD_MONTH;
    return ind;
}

typedef struct ValueCase {
    const char *title;
    Unit unit;
    Aggregate agg;
    int has_min, has_max;
    int64_t min, max;          /* micro-units */
    const char *v, *n, *d;
    ValidField field;          /* the field at fault, when refused */
    const char *msg;           /* NULL: accepted */
    int64_t stored;            /* the value stored, when accepted */
} ValueCase;

static void test_values(void **state)
{
    (void)state;
    static const ValueCase cases[] = {
        {"Vehicle crime", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, "-3", NULL, NULL, VALID_VALUE,
         "value '-3' for Vehicle crime (a count) cannot be negative", 0},
        {"Robbery", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, "2.5", NULL, NULL, VALID_VALUE,
         "value '2.5' for Robbery (a count) must be a whole number", 0},
        {"Robbery", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, "0", NULL, NULL, VALID_VALUE, NULL, 0},
        {"Robbery", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, "12.000", NULL, NULL, VALID_VALUE, NULL, 12000000},
        {"Net change", UNIT_COUNT, AGG_SUM, 1, 0, -FQ_MAX_MICRO, 0, "-30", NULL, NULL, VALID_VALUE, NULL,
         -30000000},
        {"Net change", UNIT_COUNT, AGG_SUM, 1, 0, -10 * FQ_SCALE, 0, "-30", NULL, NULL, VALID_VALUE,
         "value '-30' for Net change is less than its minimum -10", 0},
        {"Net change", UNIT_COUNT, AGG_SUM, 1, 0, -FQ_MAX_MICRO, 0, "-2.5", NULL, NULL, VALID_VALUE,
         "must be a whole number", 0},
        {"Staff", UNIT_NUMBER, AGG_LAST, 0, 1, 0, 500 * FQ_SCALE, "501", NULL, NULL, VALID_VALUE,
         "value '501' for Staff is more than its maximum 500", 0},
        {"Temperature", UNIT_NUMBER, AGG_MEAN, 0, 0, 0, 0, "-4.5", NULL, NULL, VALID_VALUE, NULL, -4500000},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "600", "550", VALID_NUMERATOR,
         "numerator '600' for Detections (a percentage) is more than its denominator '550' (that would be "
         "109.1%)",
         0},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "550", "550", VALID_VALUE, NULL, 100000000},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "1", "3", VALID_VALUE, NULL, 33333333},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "5", "0", VALID_DENOMINATOR,
         "denominator '0' for Detections (a percentage) must be more than 0", 0},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "0", "0", VALID_VALUE, NULL, 0},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, NULL, "-1", "5", VALID_NUMERATOR,
         "numerator '-1' for Detections cannot be negative", 0},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, "45%", "45", "100", VALID_VALUE,
         "write 45 without the % sign", 0},
        {"Detections", UNIT_PERCENT, AGG_RATIO, 0, 0, 0, 0, "45", "45", "100", VALID_VALUE, NULL, 45000000},
        {"Against plan", UNIT_PERCENT, AGG_RATIO, 0, 1, 0, 150 * FQ_SCALE, NULL, "140", "100", VALID_VALUE, NULL,
         140000000},
        {"Against plan", UNIT_PERCENT, AGG_RATIO, 0, 1, 0, 150 * FQ_SCALE, NULL, "160", "100", VALID_NUMERATOR,
         "makes 160.0, more than its maximum 150", 0},
        /* 128 bits cut to 64: 999999999999.999999 / 0.000001 × 100 does not fit a stored figure */
        {"Rate per 1000", UNIT_RATE, AGG_RATIO, 0, 0, 0, 0, NULL, "999999999999.999999", "0.000001",
         VALID_NUMERATOR, "makes a rate too large to store", 0},
        {"Rate per 1000", UNIT_RATE, AGG_RATIO, 0, 0, 0, 0, NULL, "99999999999", "1", VALID_NUMERATOR,
         "too large to store", 0},
        {"Rate per 1000", UNIT_RATE, AGG_RATIO, 0, 0, 0, 0, NULL, "9999999999", "1000", VALID_VALUE, NULL,
         999999999900000LL},
        {"Rate per 1000", UNIT_RATE, AGG_RATIO, 0, 0, 0, 0, NULL, "3", "0", VALID_DENOMINATOR,
         "must be more than 0", 0},
        {"Vehicle crime", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, NULL, "1", "2", VALID_NUMERATOR,
         "is not a ratio", 0},
        {"Vehicle crime", UNIT_COUNT, AGG_SUM, 0, 0, 0, 0, "1,500", NULL, NULL, VALID_VALUE,
         "remove the thousands separator", 0},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const ValueCase *c = &cases[i];
        Indicator ind = ind_make(c->title, c->unit, c->agg);
        ind.has_min = c->has_min;
        ind.has_max = c->has_max;
        ind.min = c->min;
        ind.max = c->max;
        Err err = ERR_INIT;
        ValidValue out;
        ValidField field = VALID_PERIOD;
        int rc = validate_value(&ind, 4, "2011-07", c->v, c->n, c->d, &out, &field, &err);
        if (!c->msg) {
            if (rc != 0)
                fail_msg("case %zu refused: %s", i, err_msg(&err));
            if (out.value != c->stored)
                fail_msg("case %zu: stored %lld, wanted %lld", i, (long long)out.value, (long long)c->stored);
        } else {
            if (rc != -1 || !strstr(err_msg(&err), c->msg))
                fail_msg("case %zu: wanted '%s', got '%s'", i, c->msg, err_msg(&err));
            if (field != c->field)
                fail_msg("case %zu: field %s, wanted %s", i, validate_field_name(field),
                         validate_field_name(c->field));
        }
        err_release(&err);
    }
}

static void test_period_and_formula(void **state)
{
    (void)state;
    Indicator ind = ind_make("Fires", UNIT_COUNT, AGG_SUM);
    ValidValue out;
    ValidField f;
    Err err = ERR_INIT;
    assert_int_equal(validate_value(&ind, 4, "2011-13", "1", NULL, NULL, &out, &f, &err), -1);
    assert_int_equal(f, VALID_PERIOD);
    ind.frequency = PERIOD_QUARTER;
    assert_int_equal(validate_value(&ind, 4, "2011-07", "1", NULL, NULL, &out, &f, &err), -1);
    assert_non_null(strstr(err_msg(&err), "finer than that"));
    ind.formula = (char *)"a + b";
    assert_int_equal(validate_value(&ind, 4, "2011/12 Q2", "1", NULL, NULL, &out, &f, &err), -1);
    assert_non_null(strstr(err_msg(&err), "computed by its formula"));
    err_release(&err);
}

/* ---- areas ---- */

static void test_gss(void **state)
{
    (void)state;
    assert_true(validate_gss_code("E07000118"));
    assert_true(validate_gss_code("W06000015"));
    assert_false(validate_gss_code("e07000118"));
    assert_false(validate_gss_code("E0700011"));
    assert_false(validate_gss_code("E070001181"));
    assert_false(validate_gss_code("EE7000118"));
    assert_false(validate_gss_code(""));
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(validate_distance("Chorley", "Chorley", 2), 0);
    assert_int_equal(validate_distance("Chorely", "Chorley", 2), 1); /* a swap is one edit */
    assert_int_equal(validate_distance("chorley", "CHORLEY", 2), 0);
    assert_int_equal(validate_distance("Chorly", "Chorley", 2), 1);
    assert_int_equal(validate_distance("Chorleyy", "Chorley", 2), 1);
    assert_int_equal(validate_distance("Preston", "Chorley", 2), 3);
    assert_int_equal(validate_distance("", "abc", 2), 3);
    assert_int_equal(validate_distance("ab", "ba", 2), 1);
}

static void test_unknown_area(void **state)
{
    (void)state;
    char *names[] = {"Chorley", "Preston", "South Ribble"};
    Err err = ERR_INIT;
    assert_string_equal(validate_suggest("Chorely", names, 3), "Chorley");
    assert_string_equal(validate_suggest("south ribble", names, 3), "South Ribble");
    assert_null(validate_suggest("Blackpool", names, 3));
    assert_int_equal(validate_unknown_area(&err, "Chorely", names, 3), -1);
    assert_string_equal(err_msg(&err), "unknown area 'Chorely': did you mean 'Chorley'? The known areas are "
                                       "'Chorley', 'Preston', 'South Ribble'. Declare an area with `kpi import "
                                       "areas` or `kpi init --area`");
    validate_unknown_area(&err, "Blackpool", names, 1);
    assert_string_equal(err_msg(&err), "unknown area 'Blackpool'. The known area is 'Chorley'. Declare an area "
                                       "with `kpi import areas` or `kpi init --area`");
    char *many[12];
    char storage[12][24];
    for (int i = 0; i < 12; i++) {
        snprintf(storage[i], sizeof storage[i], "Town %02d", i);
        many[i] = storage[i];
    }
    validate_unknown_area(&err, "Nowhere", many, 12);
    assert_non_null(strstr(err_msg(&err), "'Town 09' and 2 more."));
    assert_null(strstr(err_msg(&err), "Town 10"));
    err_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bounds_text),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_period_and_formula),
        cmocka_unit_test(test_gss),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_unknown_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
