/* intervals.h — 95% confidence intervals of a count and of a proportion, the
 * methods England's public-health indicators use (Public Health England,
 * "Technical Guide: Confidence Intervals", 2018; the PHEindicatormethods
 * package implements the same):
 *
 *   a count O (events in a population), O >= 10: Byar's approximation
 *     lower = O (1 - 1/(9O) - z/(3 sqrt O))^3
 *     upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3
 *   a count O < 10: the exact Poisson limits
 *     lower = the x with P(Poisson(x) >= O) = 0.025  (0 when O = 0)
 *     upper = the x with P(Poisson(x) <= O) = 0.025
 *   a proportion x of n: Wilson's score interval
 *     (2x + z^2 -+ z sqrt(z^2 + 4x(1 - x/n))) / (2 (n + z^2))
 *
 * with z = 1.959964 (the 97.5th percentile of the standard normal). A rate's
 * interval is the count's divided like the rate (÷ population × per). Doubles
 * throughout: these are estimates printed to two decimals, never figures that
 * must add up. Pure functions: no I/O, no globals. */
#ifndef KPI_INTERVALS_H
#define KPI_INTERVALS_H

#define INTERVALS_Z 1.959964   /* two-sided 95% */
#define INTERVALS_BYAR_MIN 10  /* counts below this take the exact Poisson limits */

/* The 95% interval of a count o >= 0: Byar's method from 10 up, exact below.
 * Returns 0, or -1 (nothing written) when o is negative or not finite. */
int interval_count(double o, double *lower /* OUT */, double *upper /* OUT */);

/* Byar's limits for any o > 0 (interval_count uses them from 10 up). */
void interval_byar(double o, double *lower /* OUT */, double *upper /* OUT */);

/* The exact Poisson limits of a whole count o >= 0 (o up to about 10^6;
 * interval_count uses them below 10). Returns 0, or -1 when o is negative or
 * too large to compute here. */
int interval_poisson_exact(double o, double *lower /* OUT */, double *upper /* OUT */);

/* Wilson's score interval of the proportion x / n, as fractions (0..1):
 * 0 <= x <= n, n > 0. Returns 0, or -1 (nothing written) otherwise. */
int interval_wilson(double x, double n, double *lower /* OUT */, double *upper /* OUT */);

/* P(X <= k) for X ~ Poisson(mu), k >= 0 whole, mu >= 0 (the regularized upper
 * incomplete gamma Q(k+1, mu)); exposed for the tests. */
double interval_poisson_cdf(double k, double mu);

#endif
