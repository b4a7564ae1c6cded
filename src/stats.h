/* stats.h — the exact test kpi applies to the change between two counts: the
 * two-sided conditional test of two Poisson counts. Given counts a and b, and
 * no change in the underlying rate, a is Binomial(a + b, 1/2); the p-value is
 * min(1, 2 · min(P(X <= a), P(X >= a))). Computed in double precision, right
 * to about 9 significant digits for a + b up to 10^12 (national counts): the
 * binomial probability of the nearest term by Loader's saddle-point form
 * (Stirling's error and the deviance term, no cancellation), then the tail
 * summed from that term outwards. Pure: no I/O, no globals. */
#ifndef KPI_STATS_H
#define KPI_STATS_H

#include <stdint.h>

/* Larger totals are refused (-1): the tail sum takes about 6·sqrt(n) steps. */
#define STATS_MAX_COUNT 100000000000000LL /* 10^14 */

/* P(X = k) for X ~ Binomial(n, 1/2); 0 <= k <= n <= STATS_MAX_COUNT (else -1). */
double stats_binom_half_pmf(int64_t k, int64_t n);
/* P(X <= k) for X ~ Binomial(n, 1/2); 0 <= k <= n <= STATS_MAX_COUNT (else -1). */
double stats_binom_half_cdf(int64_t k, int64_t n);
/* The two-sided p-value of counts a and b (a, b >= 0, 0 < a + b <= STATS_MAX_COUNT);
 * -1 for anything else. Symmetric in a and b; 1 when a == b. */
double stats_poisson_p(int64_t a, int64_t b);

#endif
