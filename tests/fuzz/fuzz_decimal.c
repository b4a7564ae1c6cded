/* fuzz_decimal.c — libFuzzer harness for the decimal parser of src/fq.c
 * (fq_parse_micro) and the exact arithmetic behind it. The input is one
 * number, or two separated by the first newline. A number that parses must
 * be within the stored range, print in its shortest form, and parse back from
 * that to the same micro-units; fq_format at 0..12 places must agree with the
 * shortest form. Two numbers go through the checked arithmetic (fq_*_ok),
 * which may refuse but never abort, and the results print. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse s; on success check the round trips. 1 = parsed, 0 = refused. */
static int check_one(const char *s, int64_t *micro)
{
    const char *why = NULL;
    if (fq_parse_micro(s, micro, &why) != 0) {
        if (!why || !*why)
            abort();
        return 0;
    }
    if (*micro > FQ_MAX_MICRO || *micro < -FQ_MAX_MICRO)
        abort();
    Buf b = BUF_INIT;
    fq_format_micro(&b, *micro);
    int64_t back = 0;
    if (fq_parse_micro(buf_cstr(&b), &back, &why) != 0 || back != *micro) {
        fprintf(stderr, "[%s] printed as [%s] does not read back\n", s, buf_cstr(&b));
        abort();
    }
    /* At six places fq_format prints exactly; it reads back to the same value. */
    Fq q = fq_micro(*micro);
    buf_reset(&b);
    fq_format(&b, q, FQ_MAX_DECIMALS);
    if (fq_parse_micro(buf_cstr(&b), &back, &why) != 0 || back != *micro) {
        fprintf(stderr, "[%s] at 6 places [%s] does not read back\n", s, buf_cstr(&b));
        abort();
    }
    for (int d = 0; d <= 12; d++) {
        buf_reset(&b);
        fq_format(&b, q, d);
        Fq r = fq_round(q, d);
        Fq diff;
        if (fq_sub_ok(q, r, &diff) != 0)
            abort();
        /* rounding moves a value by at most half a unit of the last place */
        Fq half = fq_make(1, 2);
        for (int k = 0; k < d; k++)
            half = fq_make(half.num, half.den * 10);
        if (fq_cmp(fq_abs(diff), half) > 0)
            abort();
    }
    buf_release(&b);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *)data, size);
    char *nl = strchr(s, '\n');
    char *t = NULL;
    if (nl) {
        *nl = '\0';
        t = nl + 1;
    }
    int64_t a = 0, b = 0;
    int ok_a = check_one(s, &a);
    if (t) {
        int ok_b = check_one(t, &b);
        if (ok_a && ok_b) {
            Fq x = fq_micro(a), y = fq_micro(b), r;
            Buf out = BUF_INIT;
            if (fq_add_ok(x, y, &r) == 0)
                fq_format(&out, r, 6);
            if (fq_sub_ok(x, y, &r) == 0)
                fq_format(&out, r, 6);
            if (fq_mul_ok(x, y, &r) == 0)
                fq_format(&out, r, 6);
            if (!fq_is_zero(y) && fq_div_ok(x, y, &r) == 0)
                fq_format(&out, r, 6);
            buf_release(&out);
        }
    }
    free(s);
    return 0;
}
