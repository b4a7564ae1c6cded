/* fq.c — exact rational numbers (Fq) for every figure kpi computes: parsing
 * decimal text into micro-units, arithmetic on reduced i128 fractions, and
 * rounding half away from zero, once, when a figure is printed.
 *
 * Overflow: every product and sum that could grow is checked with the compiler's
 * overflow builtins. Stored values are below 10^18 micro-units and a figure sums
 * at most a few thousand of them, so sums, means and sum-based changes have
 * ample room in i128 (about 1.7 * 10^38). Differences and quotients of two
 * ratios of sums can in principle exceed it (their denominators multiply), so
 * callers that combine such figures use the checked fq_*_ok forms and report
 * the figure as unavailable; the plain forms PANIC rather than print a wrong
 * number. Comparison never multiplies, so it cannot overflow at all. */
#include "fq.h"

#include "err.h"

#define FQ_ROUND_MAX_DECIMALS 12   /* fq_round/fq_format clamp `decimals` to 0..this */
#define I128_DIGITS_MAX 48         /* room for the 39 digits of |i128|, sign and NUL */
#define DECIMAL_BASE 10
#define FQ_MAX_INT_PART (FQ_MAX_MICRO / FQ_SCALE) /* largest whole part a value may have */
#define I128_MIN ((i128)((unsigned __int128)1 << 127)) /* -2^127 */

static i128 i128_abs(i128 x)
{
    return x < 0 ? -x : x;
}

/* Greatest common divisor of |a| and |b|; gcd(0, b) = |b|. */
static i128 gcd128(i128 a, i128 b)
{
    a = i128_abs(a);
    b = i128_abs(b);
    while (b != 0) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static i128 mul_checked(i128 a, i128 b)
{
    i128 r;
    if (__builtin_mul_overflow(a, b, &r) || r == I128_MIN)
        PANIC("exact arithmetic overflowed 128 bits");
    return r;
}

static i128 add_checked(i128 a, i128 b)
{
    i128 r;
    if (__builtin_add_overflow(a, b, &r) || r == I128_MIN)
        PANIC("exact arithmetic overflowed 128 bits");
    return r;
}

/* floor(a / b) for b > 0. */
static i128 floor_div128(i128 a, i128 b)
{
    i128 q = a / b;
    if (a % b != 0 && a < 0)
        q -= 1;
    return q;
}

Fq fq_make(i128 num, i128 den)
{
    if (den == 0)
        PANIC("fraction with a zero denominator");
    if (den < 0) {
        num = -num;
        den = -den;
    }
    i128 g = gcd128(num, den); /* > 0 because den > 0 */
    Fq r = {num / g, den / g};
    return r;
}

Fq fq_int(int64_t n)
{
    Fq r = {n, 1};
    return r;
}

Fq fq_micro(int64_t micro)
{
    return fq_make(micro, FQ_SCALE);
}

/* Multiply and add, setting *ovf instead of overflowing. The most negative
 * i128 counts as overflow too: it has no absolute value, which gcd needs. */
static i128 mul_ovf(i128 a, i128 b, int *ovf)
{
    i128 r;
    if (__builtin_mul_overflow(a, b, &r) || r == I128_MIN) {
        *ovf = 1;
        return 0;
    }
    return r;
}

static i128 add_ovf(i128 a, i128 b, int *ovf)
{
    i128 r;
    if (__builtin_add_overflow(a, b, &r) || r == I128_MIN) {
        *ovf = 1;
        return 0;
    }
    return r;
}

/* a/b + c/d over the least common denominator, so the terms stay small.
 * On overflow *ovf is set and the result is meaningless (zero). */
static Fq add_impl(Fq a, Fq b, int *ovf)
{
    i128 g = gcd128(a.den, b.den);
    i128 den = mul_ovf(a.den / g, b.den, ovf);
    i128 num = add_ovf(mul_ovf(a.num, b.den / g, ovf), mul_ovf(b.num, a.den / g, ovf), ovf);
    return *ovf ? fq_int(0) : fq_make(num, den);
}

/* Cross-reduce before multiplying: (a/b)(c/d) with gcd(a,d) and gcd(c,b) removed. */
static Fq mul_impl(Fq a, Fq b, int *ovf)
{
    i128 g1 = gcd128(a.num, b.den);
    i128 g2 = gcd128(b.num, a.den);
    i128 num = mul_ovf(a.num / g1, b.num / g2, ovf);
    i128 den = mul_ovf(a.den / g2, b.den / g1, ovf);
    return *ovf ? fq_int(0) : fq_make(num, den);
}

static Fq recip(Fq b)
{
    if (b.num == 0)
        PANIC("division by zero");
    return b.num < 0 ? (Fq){-b.den, -b.num} : (Fq){b.den, b.num};
}

Fq fq_neg(Fq a)
{
    Fq r = {-a.num, a.den};
    return r;
}

Fq fq_add(Fq a, Fq b)
{
    int ovf = 0;
    Fq r = add_impl(a, b, &ovf);
    if (ovf)
        PANIC("exact arithmetic overflowed 128 bits");
    return r;
}

Fq fq_sub(Fq a, Fq b)
{
    return fq_add(a, fq_neg(b));
}

Fq fq_mul(Fq a, Fq b)
{
    int ovf = 0;
    Fq r = mul_impl(a, b, &ovf);
    if (ovf)
        PANIC("exact arithmetic overflowed 128 bits");
    return r;
}

Fq fq_div(Fq a, Fq b)
{
    return fq_mul(a, recip(b));
}

int fq_add_ok(Fq a, Fq b, Fq *out)
{
    int ovf = 0;
    Fq r = add_impl(a, b, &ovf);
    if (ovf)
        return -1;
    *out = r;
    return 0;
}

int fq_sub_ok(Fq a, Fq b, Fq *out)
{
    return fq_add_ok(a, fq_neg(b), out);
}

int fq_mul_ok(Fq a, Fq b, Fq *out)
{
    int ovf = 0;
    Fq r = mul_impl(a, b, &ovf);
    if (ovf)
        return -1;
    *out = r;
    return 0;
}

int fq_div_ok(Fq a, Fq b, Fq *out)
{
    return fq_mul_ok(a, recip(b), out);
}

Fq fq_abs(Fq a)
{
    Fq r = {i128_abs(a.num), a.den};
    return r;
}

int fq_sign(Fq a)
{
    return (a.num > 0) - (a.num < 0);
}

int fq_is_zero(Fq a)
{
    return a.num == 0;
}

/* Compare an/ad with bn/bd (ad, bd > 0) without multiplying: compare whole
 * parts, then the fractional parts by their reciprocals (a continued-fraction
 * expansion, which ends like Euclid's algorithm). */
int fq_cmp(Fq a, Fq b)
{
    i128 an = a.num, ad = a.den, bn = b.num, bd = b.den;
    for (;;) {
        i128 qa = floor_div128(an, ad), qb = floor_div128(bn, bd);
        if (qa != qb)
            return qa < qb ? -1 : 1;
        i128 ra = an - qa * ad, rb = bn - qb * bd; /* 0 <= r < d */
        if (ra == 0 || rb == 0) {
            if (ra == rb)
                return 0;
            return ra == 0 ? -1 : 1;
        }
        /* ra/ad < rb/bd  <=>  bd/rb < ad/ra */
        i128 old_ad = ad;
        an = bd;
        ad = rb;
        bn = old_ad;
        bd = ra;
    }
}

static int clamp_decimals(int decimals)
{
    if (decimals < 0)
        return 0;
    return decimals > FQ_ROUND_MAX_DECIMALS ? FQ_ROUND_MAX_DECIMALS : decimals;
}

/* |a| * 10^decimals rounded half up to a whole number (so a itself rounds half
 * away from zero); *neg says whether a is negative. Works digit by digit, so no
 * intermediate is larger than ten times the denominator or the result (figures
 * printed by kpi are far inside that; beyond it is a bug and PANICs). */
static i128 round_scaled(Fq a, int decimals, int *neg /* OUT */)
{
    i128 n = i128_abs(a.num), d = a.den;
    i128 r = n % d;
    i128 whole = n / d;
    for (int i = 0; i < decimals; i++) {
        r = mul_checked(r, DECIMAL_BASE); /* < 10 * d */
        whole = add_checked(mul_checked(whole, DECIMAL_BASE), r / d);
        r %= d;
    }
    if (r >= d - r) /* remainder at least one half */
        whole = add_checked(whole, 1);
    *neg = a.num < 0;
    return whole;
}

static i128 pow10_128(int e)
{
    i128 p = 1;
    for (int i = 0; i < e; i++)
        p *= DECIMAL_BASE;
    return p;
}

Fq fq_round(Fq a, int decimals)
{
    int neg;
    decimals = clamp_decimals(decimals);
    i128 whole = round_scaled(a, decimals, &neg);
    return fq_make(neg ? -whole : whole, pow10_128(decimals));
}

/* Append the decimal digits of x >= 0, at least `width` of them (zero padded). */
static void put_u128(Buf *b, i128 x, int width)
{
    char digits[I128_DIGITS_MAX];
    int n = 0;
    do {
        digits[n++] = (char)('0' + (int)(x % DECIMAL_BASE));
        x /= DECIMAL_BASE;
    } while (x > 0);
    while (n < width && n < I128_DIGITS_MAX)
        digits[n++] = '0';
    while (n > 0)
        buf_putc(b, digits[--n]);
}

void fq_format(Buf *b, Fq a, int decimals)
{
    int neg;
    decimals = clamp_decimals(decimals);
    i128 whole = round_scaled(a, decimals, &neg);
    i128 scale = pow10_128(decimals);
    if (neg && whole != 0) /* a result that rounds to zero has no sign */
        buf_putc(b, '-');
    put_u128(b, whole / scale, 1);
    if (decimals > 0) {
        buf_putc(b, '.');
        put_u128(b, whole % scale, decimals);
    }
}

void fq_format_micro(Buf *b, int64_t micro)
{
    i128 m = micro;
    if (m < 0) {
        buf_putc(b, '-');
        m = -m;
    }
    put_u128(b, m / FQ_SCALE, 1);
    i128 frac = m % FQ_SCALE;
    if (frac != 0) {
        int places = FQ_MAX_DECIMALS;
        while (frac % DECIMAL_BASE == 0) {
            frac /= DECIMAL_BASE;
            places--;
        }
        buf_putc(b, '.');
        put_u128(b, frac, places);
    }
}

double fq_to_double(Fq a)
{
    return (double)a.num / (double)a.den;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Grammar: [+-] ( DIGITS [ "." DIGITS ] | "." DIGITS ).
 * Choices: ".5" is accepted (spreadsheets write it), "5." is rejected (a dot
 * with nothing after it is more likely a slip than a number). Decimals beyond
 * the sixth are accepted only when they are zeros ("1.50000000" is exact);
 * any other digit there is "too many decimal places". Syntax errors are reported
 * before size errors. */
int fq_parse_micro(const char *s, int64_t *out_micro, const char **why)
{
    const char *p = s;
    int neg = 0, nint = 0, nfrac = 0, big = 0, excess = 0;
    i128 whole = 0, frac = 0;

    if (!p)
        goto not_a_number;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; is_digit(*p); p++, nint++) {
        if (!big)
            whole = whole * DECIMAL_BASE + (*p - '0');
        if (whole > FQ_MAX_INT_PART)
            big = 1; /* stop accumulating; the digits are still checked */
    }
    if (*p == '.') {
        p++;
        for (; is_digit(*p); p++, nfrac++) {
            if (nfrac < FQ_MAX_DECIMALS)
                frac = frac * DECIMAL_BASE + (*p - '0');
            else if (*p != '0')
                excess = 1;
        }
        if (nfrac == 0)
            goto not_a_number; /* "5." and "." */
    }
    if (*p != '\0' || nint + nfrac == 0)
        goto not_a_number;
    if (excess) {
        *why = "too many decimal places (at most 6)";
        return -1;
    }
    for (int i = nfrac; i < FQ_MAX_DECIMALS; i++)
        frac *= DECIMAL_BASE;
    i128 micro = whole * FQ_SCALE + frac;
    if (big || micro > FQ_MAX_MICRO) {
        *why = "number too large";
        return -1;
    }
    *out_micro = (int64_t)(neg ? -micro : micro);
    return 0;

not_a_number:
    *why = "not a number";
    return -1;
}
