/* fuzz_cycle.c — libFuzzer harness for the quarterly cycle's input parsers
 * (src/store_cycle.c, cycle.h): cycle_date_parse and cycle_offsets_parse, both
 * fed the whole input as text. Properties, not just "no crash":
 *  - a date is accepted exactly when it is a real day YYYY-MM-DD of the years
 *    1900-9999 (checked against a plain calendar written here); an accepted
 *    date formats back (cycle_date_format) to the very same string, which
 *    parses to the same day number;
 *  - accepted offsets are 1..CYCLE_MAX_OFFSETS of them, each -366..366,
 *    strictly ascending (stored sorted, no repeats), and *why is untouched
 *    by success; their canonical text "-7,0,3" parses back to the same list;
 *  - a refused list of offsets always says why (a non-empty reason). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The calendar, independently: is s a real day YYYY-MM-DD, 1900-9999? */
static int real_day(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v[3] = {0, 0, 0}, part = 0;
    for (int k = 0; k < 10; k++) {
        if (k == 4 || k == 7) {
            part++;
            continue;
        }
        if (s[k] < '0' || s[k] > '9')
            return 0;
        v[part] = v[part] * 10 + (s[k] - '0');
    }
    int y = v[0], m = v[1], d = v[2];
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static void check_date(const char *s)
{
    int day = 0, again = 0;
    int ok = cycle_date_parse(s, &day) == 0;
    if (ok != real_day(s)) {
        fprintf(stderr, "date [%s] %s but it %s a real day\n", s, ok ? "accepted" : "refused", ok ? "is not" : "is");
        abort();
    }
    if (!ok)
        return;
    char back[11];
    cycle_date_format(day, back);
    if (strcmp(back, s) != 0 || cycle_date_parse(back, &again) != 0 || again != day) {
        fprintf(stderr, "date [%s] (day %d) formats as [%s], which reads as day %d\n", s, day, back, again);
        abort();
    }
}

static void check_offsets(const char *s)
{
    int offs[CYCLE_MAX_OFFSETS], n = -1;
    const char *why = NULL;
    if (cycle_offsets_parse(s, offs, &n, &why) != 0) {
        if (!why || !*why) {
            fprintf(stderr, "offsets [%s] refused without a reason\n", s);
            abort();
        }
        return;
    }
    if (why) {
        fprintf(stderr, "offsets [%s] accepted with a reason: %s\n", s, why);
        abort();
    }
    if (n < 1 || n > CYCLE_MAX_OFFSETS) {
        fprintf(stderr, "offsets [%s] accepted as %d offsets\n", s, n);
        abort();
    }
    char text[CYCLE_MAX_OFFSETS * 6] = "";
    for (int k = 0; k < n; k++) {
        if (offs[k] < -366 || offs[k] > 366 || (k && offs[k] <= offs[k - 1])) {
            fprintf(stderr, "offsets [%s]: offset %d is %d (out of bounds, unsorted or repeated)\n", s, k, offs[k]);
            abort();
        }
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%d", k ? "," : "", offs[k]);
    }
    int back[CYCLE_MAX_OFFSETS], nb = -1;
    if (cycle_offsets_parse(text, back, &nb, &why) != 0 || nb != n || memcmp(back, offs, (size_t)n * sizeof *offs)) {
        fprintf(stderr, "offsets [%s] stored as [%s], which does not read back the same\n", s, text);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0'; /* text stops at the first NUL, as it would from argv or a form */
    check_date(s);
    check_offsets(s);
    free(s);
    return 0;
}
