/* stats.c — the two-sided conditional test of two Poisson counts (stats.h).
 *
 * P(X = k), X ~ Binomial(n, 1/2), is computed in Loader's saddle-point form
 * (C. Loader, "Fast and accurate computation of binomial probabilities", 2000):
 *   P = sqrt(n / (2 pi k (n-k))) · exp(d(n) - d(k) - d(n-k) - D(k, n/2) - D(n-k, n/2))
 * where d is Stirling's error, ln k! - ln(sqrt(2 pi k) (k/e)^k), and D is the
 * deviance x ln(x/m) + m - x, each computed without cancellation, so the
 * result keeps nearly full precision however large n is (lgamma differences
 * would lose about log10(n) digits). The tail P(X <= m) for m <= n/2 is the
 * sum of terms from m downwards, each the last times k/(n-k+1), largest first,
 * until a term no longer changes the sum. */
#include "stats.h"

#include <math.h>

#define STATS_LN_SQRT_2PI 0.918938533204672741780329736406 /* ln sqrt(2 pi) */
#define STATS_2PI 6.283185307179586476925286766559
#define STATS_LN2 0.693147180559945309417232121458
#define STATS_STIRLING_SERIES_FROM 15 /* Stirling's error by its series above this */
#define STATS_BD0_SERIES_BAND 0.1     /* the deviance by its series when |x-m| < this·(x+m) */
#define STATS_BD0_MAX_TERMS 1000      /* the series converges long before (|v| < 0.053) */
#define STATS_TAIL_EPS 1e-17          /* a term below this fraction of the sum ends the tail */

/* Stirling's error d(n) = ln n! - ln(sqrt(2 pi n) (n/e)^n), n >= 1. */
static double stats_stirlerr(double n)
{
    /* Coefficients of the asymptotic series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - ... */
    static const double s0 = 1.0 / 12.0, s1 = 1.0 / 360.0, s2 = 1.0 / 1260.0, s3 = 1.0 / 1680.0,
                        s4 = 1.0 / 1188.0;
    if (n <= STATS_STIRLING_SERIES_FROM)
        return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - STATS_LN_SQRT_2PI;
    double nn = n * n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* The deviance D(x, m) = x ln(x/m) + m - x >= 0, for x > 0, m > 0. Near x = m
 * by the series in v = (x-m)/(x+m):
 *   D = (x-m) v + 2x (v^3/3 + v^5/5 + ...), which never subtracts close numbers. */
static double stats_bd0(double x, double m)
{
    if (fabs(x - m) < STATS_BD0_SERIES_BAND * (x + m)) {
        double v = (x - m) / (x + m), s = (x - m) * v, ej = 2.0 * x * v, v2 = v * v;
        for (int j = 1; j < STATS_BD0_MAX_TERMS; j++) {
            ej *= v2;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

double stats_binom_half_pmf(int64_t k, int64_t n)
{
    if (n < 0 || k < 0 || k > n || n > STATS_MAX_COUNT)
        return -1;
    if (k == 0 || k == n)
        return exp(-(double)n * STATS_LN2);
    double dn = (double)n, dk = (double)k, dr = (double)(n - k), half = dn / 2.0;
    double lc = stats_stirlerr(dn) - stats_stirlerr(dk) - stats_stirlerr(dr) - stats_bd0(dk, half) -
                stats_bd0(dr, half);
    return exp(lc) * sqrt(dn / (STATS_2PI * dk * dr));
}

/* P(X <= m) for m <= n/2: the terms fall at least geometrically once past
 * the centre, so the loop ends after about 6·sqrt(n) steps at most. */
static double stats_lower_tail(int64_t m, int64_t n)
{
    double term = stats_binom_half_pmf(m, n), sum = term, dn = (double)n;
    for (int64_t k = m; k > 0 && term > 0; k--) {
        term *= (double)k / (dn - (double)k + 1.0); /* P(X = k-1) / P(X = k) */
        sum += term;
        if (term < sum * STATS_TAIL_EPS)
            break;
    }
    return sum;
}

double stats_binom_half_cdf(int64_t k, int64_t n)
{
    if (n < 0 || k < 0 || k > n || n > STATS_MAX_COUNT)
        return -1;
    if (k == n)
        return 1;
    /* By symmetry P(X <= k) = 1 - P(X <= n-k-1); sum the smaller tail. */
    if (2 * k <= n)
        return stats_lower_tail(k, n);
    double upper = stats_lower_tail(n - k - 1, n);
    return upper >= 1 ? 0 : 1 - upper;
}

double stats_poisson_p(int64_t a, int64_t b)
{
    if (a < 0 || b < 0 || a > STATS_MAX_COUNT || b > STATS_MAX_COUNT - a || a + b == 0)
        return -1;
    if (a == b)
        return 1; /* 2 P(X <= n/2) >= 1: no need to sum */
    /* min(P(X <= a), P(X >= a)) = P(X <= min(a, b)), since P(X >= a) = P(X <= b). */
    int64_t m = a < b ? a : b;
    double p = 2.0 * stats_lower_tail(m, a + b);
    return p > 1 ? 1 : p;
}
