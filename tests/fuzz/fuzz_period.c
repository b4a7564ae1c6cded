/* fuzz_period.c — libFuzzer harness for the period parser (src/period.c).
 * The first byte picks the financial-year start (0..13: the invalid 0 and 13
 * included), the rest is the text. A period that parses must print in its
 * canonical form, parse back from that form to the same period, and go
 * through the calendar arithmetic and the word forms without harm. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "period.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int fy_start = data[0] % 14;
    char *s = xstrndup((const char *)data + 1, size - 1);
    Period p;
    const char *why = NULL;
    if (period_parse(s, fy_start, &p, &why) != 0) {
        if (!why || !*why)
            abort(); /* a refusal always says why */
        free(s);
        return 0;
    }
    if (fy_start < 1 || fy_start > 12)
        abort(); /* accepted with a financial year that cannot be */
    Buf b = BUF_INIT;
    period_format(&b, p, fy_start);
    Period back;
    if (period_parse(buf_cstr(&b), fy_start, &back, &why) != 0 || !period_equal(p, back)) {
        fprintf(stderr, "[%s] printed as [%s] does not read back\n", s, buf_cstr(&b));
        abort();
    }
    int first = 0, n = 0;
    period_ytd(p, fy_start, &first, &n);
    if (n < 1 || n > 12 || period_months_elapsed(p, fy_start) != n)
        abort();
    if (period_last(p) - p.first + 1 != period_months(p))
        abort();
    if (p.kind == PERIOD_QUARTER) {
        int q = period_quarter_no(p, fy_start);
        if (q < 1 || q > 4)
            abort();
    }
    buf_reset(&b);
    period_format_span(&b, p);
    period_format_words(&b, p, fy_start);
    period_format(&b, period_year_ago(p), fy_start);
    period_format_month(&b, period_last(p));
    buf_release(&b);
    free(s);
    return 0;
}
