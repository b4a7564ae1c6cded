/* fq.h — exact rational numbers for every figure kpi computes.
 * Values enter as decimal text with at most FQ_MAX_DECIMALS places and are kept
 * as fractions num/den (den > 0, reduced), so sums, ratios of sums, means and
 * percentage changes are exact and rounding happens once, at printing, half
 * away from zero. Stored values are "micro-units": the value times FQ_SCALE. */
#ifndef KPI_FQ_H
#define KPI_FQ_H

#include <stdint.h>

#include "buf.h"

__extension__ typedef __int128 i128;

#define FQ_MAX_DECIMALS 6          /* decimal places a stored value may carry */
#define FQ_SCALE 1000000LL         /* 10^FQ_MAX_DECIMALS: micro-units per unit */
#define FQ_MAX_MICRO 999999999999999999LL /* largest stored magnitude (< 10^18 micro-units) */

typedef struct Fq {
    i128 num;
    i128 den; /* > 0 */
} Fq;

Fq fq_int(int64_t n);
Fq fq_micro(int64_t micro);              /* micro / FQ_SCALE */
Fq fq_make(i128 num, i128 den);          /* den != 0; normalises sign and reduces */
Fq fq_add(Fq a, Fq b);
Fq fq_sub(Fq a, Fq b);
Fq fq_mul(Fq a, Fq b);
Fq fq_div(Fq a, Fq b);                   /* b must not be zero (PANIC otherwise) */
/* Checked forms for figures whose size comes from user data: 0 with *out set,
 * or -1 (nothing written) when the exact result does not fit in 128 bits.
 * The plain forms above PANIC on overflow. fq_div_ok's b must not be zero. */
int fq_add_ok(Fq a, Fq b, Fq *out /* OUT */);
int fq_sub_ok(Fq a, Fq b, Fq *out /* OUT */);
int fq_mul_ok(Fq a, Fq b, Fq *out /* OUT */);
int fq_div_ok(Fq a, Fq b, Fq *out /* OUT */);
Fq fq_neg(Fq a);
Fq fq_abs(Fq a);
int fq_cmp(Fq a, Fq b);                  /* -1, 0, 1 */
int fq_sign(Fq a);                       /* -1, 0, 1 */
int fq_is_zero(Fq a);

/* Parse decimal text ("12", "-0.25", "+3.5", " 7 " is NOT accepted: no spaces,
 * no exponent, no thousands separators) into micro-units. ".5" is accepted,
 * "5." is not; zeros beyond the sixth decimal place are accepted ("1.5000000").
 * Returns 0 on success; -1 with *why set to a static phrase such as
 * "not a number" / "too many decimal places (at most 6)" / "number too large". */
int fq_parse_micro(const char *s, int64_t *out_micro, const char **why);

/* Round a to `decimals` places, half away from zero, exactly. Here and in
 * fq_format, `decimals` is clamped to 0..12. */
Fq fq_round(Fq a, int decimals);
/* Append a rounded to `decimals` places ("-0.3", "1455", "12.0"). A result that
 * rounds to zero prints without a minus sign. */
void fq_format(Buf *b, Fq a, int decimals);
/* Append the micro-unit value in shortest exact decimal form ("60", "9.125"). */
void fq_format_micro(Buf *b, int64_t micro);
/* Nearest double, for charts only (never for printed figures). */
double fq_to_double(Fq a);

#endif
