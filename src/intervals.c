/* intervals.c — confidence intervals of counts (Byar, exact Poisson) and of
 * proportions (Wilson); see intervals.h for the formulas and their source.
 *
 * The exact Poisson limits solve P(X <= k) = 0.025 or 0.975 for the mean by
 * bisection: the distribution function falls steadily as the mean grows, so
 * halving an interval that brackets the answer cannot fail, and 200 halvings
 * reach the precision of a double. P(X <= k) is the regularized upper
 * incomplete gamma function Q(k + 1, mu), summed as a power series below
 * mu < k + 2 and as a continued fraction (modified Lentz) above it. */
#include "intervals.h"

#include <math.h>

#define ALPHA_HALF 0.025          /* each tail of a 95% interval */
#define GAMMA_EPS 1e-15           /* relative size at which a term stops counting */
#define GAMMA_MAX_ITER 100000     /* terms at most; convergence needs ~sqrt(a) of them */
#define GAMMA_TINY 1e-300         /* keeps Lentz's method off a division by zero */
#define BISECT_STEPS 200
#define EXACT_MAX 1e6             /* counts the exact limits are computed for */

/* P(a, x), the regularized lower incomplete gamma function, by its series. */
static double gamma_p_series(double a, double x)
{
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < GAMMA_MAX_ITER; n++) {
        term *= x / (a + n);
        sum += term;
        if (fabs(term) < fabs(sum) * GAMMA_EPS)
            break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Q(a, x) = 1 - P(a, x), by its continued fraction. */
static double gamma_q_fraction(double a, double x)
{
    double b = x + 1.0 - a, c = 1.0 / GAMMA_TINY, d = 1.0 / b, h = d;
    for (int i = 1; i < GAMMA_MAX_ITER; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < GAMMA_TINY)
            d = GAMMA_TINY;
        c = b + an / c;
        if (fabs(c) < GAMMA_TINY)
            c = GAMMA_TINY;
        d = 1.0 / d;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < GAMMA_EPS)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double interval_poisson_cdf(double k, double mu)
{
    double a = k + 1.0;
    if (mu <= 0.0)
        return 1.0;
    if (mu < a + 1.0)
        return 1.0 - gamma_p_series(a, mu);
    return gamma_q_fraction(a, mu);
}

/* The mean mu at which P(X <= k) = p, for 0 < p < 1. */
static double poisson_mean_for(double k, double p)
{
    double lo = 0.0, hi = k + 10.0 + 10.0 * sqrt(k + 1.0);
    while (interval_poisson_cdf(k, hi) > p)
        hi *= 2.0;
    for (int i = 0; i < BISECT_STEPS && hi - lo > 0.0; i++) {
        double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi)
            break;
        if (interval_poisson_cdf(k, mid) > p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2.0;
}

int interval_poisson_exact(double o, double *lower, double *upper)
{
    if (!isfinite(o) || o < 0.0 || o > EXACT_MAX)
        return -1;
    o = floor(o);
    *lower = o == 0.0 ? 0.0 : poisson_mean_for(o - 1.0, 1.0 - ALPHA_HALF);
    *upper = poisson_mean_for(o, ALPHA_HALF);
    return 0;
}

void interval_byar(double o, double *lower, double *upper)
{
    double z = INTERVALS_Z;
    double l = 1.0 - 1.0 / (9.0 * o) - z / (3.0 * sqrt(o));
    double u = 1.0 - 1.0 / (9.0 * (o + 1.0)) + z / (3.0 * sqrt(o + 1.0));
    *lower = o * l * l * l;
    *upper = (o + 1.0) * u * u * u;
}

int interval_count(double o, double *lower, double *upper)
{
    if (!isfinite(o) || o < 0.0)
        return -1;
    if (o < INTERVALS_BYAR_MIN)
        return interval_poisson_exact(o, lower, upper);
    interval_byar(o, lower, upper);
    return 0;
}

int interval_wilson(double x, double n, double *lower, double *upper)
{
    if (!isfinite(x) || !isfinite(n) || n <= 0.0 || x < 0.0 || x > n)
        return -1;
    double z = INTERVALS_Z, z2 = z * z;
    double root = z * sqrt(z2 + 4.0 * x * (1.0 - x / n));
    double l = (2.0 * x + z2 - root) / (2.0 * (n + z2));
    double u = (2.0 * x + z2 + root) / (2.0 * (n + z2));
    *lower = l < 0.0 ? 0.0 : l;
    *upper = u > 1.0 ? 1.0 : u;
    return 0;
}
