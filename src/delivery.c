/* delivery.c — delivery-plan status counts and their percentages of the
 * reported items, whole numbers that add up to exactly 100 by the largest
 * remainder method (the seed paper's 89% + 12% = 101% is the slip this avoids).
 * Pure. */
#include "delivery.h"

#include <stdlib.h>

#include "buf.h"
#include "err.h"
#include "present.h"

#define PERCENT_POINTS 100   /* the points shared out among the reported statuses */

/* delivery_compute shares the points among the statuses before unreported. */
_Static_assert(STATUS_UNREPORTED == STATUS_COUNT - 1, "unreported must be the last status");

/* The names are the presentation layer's one table of words (present.c). */
const char *status_name(Status s)
{
    if ((int)s >= 0 && s < STATUS_COUNT)
        return present_mark(present_status_mark(s))->name;
    PANIC("bad status %d", (int)s);
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int status_parse(const char *s, Status *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < STATUS_COUNT; i++) {
        const char *a = s, *b = status_name((Status)i);
        while (*a && ascii_lower((unsigned char)*a) == *b) {
            a++;
            b++;
        }
        if (*a == '\0' && *b == '\0') {
            *out = (Status)i;
            return 0;
        }
    }
    return -1;
}

/* Each count gets floor(count * points / sum); the points left over (fewer than
 * n) go one each to the largest remainders, ties to the larger count, then to
 * the earlier index. Negative counts are a bug. */
void delivery_apportion(const int *counts, int n, int total_points, int *out)
{
    long long sum = 0;
    int given = 0;
    long long *rem = NULL;

    if (total_points < 0)
        PANIC("negative points %d", total_points);
    for (int i = 0; i < n; i++) {
        if (counts[i] < 0)
            PANIC("negative count %d", counts[i]);
        sum += counts[i];
        out[i] = 0;
    }
    if (sum == 0 || n == 0)
        return;
    rem = xmalloc(sizeof(long long) * (size_t)n);
    for (int i = 0; i < n; i++) {
        long long share = (long long)counts[i] * total_points;
        out[i] = (int)(share / sum);
        rem[i] = share % sum;
        given += out[i];
    }
    for (int left = total_points - given; left > 0; left--) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (rem[i] < 0) /* already had its extra point */
                continue;
            if (best < 0 || rem[i] > rem[best] ||
                (rem[i] == rem[best] && counts[i] > counts[best]))
                best = i;
        }
        if (best < 0)
            PANIC("largest remainder ran out of candidates");
        out[best]++;
        rem[best] = -1;
    }
    free(rem);
}

void delivery_compute(Delivery *d)
{
    d->total = 0;
    for (int s = 0; s < STATUS_COUNT; s++)
        d->total += d->count[s];
    d->reported = d->total - d->count[STATUS_UNREPORTED];
    /* Unreported items are not shared in: apportion over the statuses before it. */
    delivery_apportion(d->count, STATUS_UNREPORTED, PERCENT_POINTS, d->percent);
    d->percent[STATUS_UNREPORTED] = 0;
}
