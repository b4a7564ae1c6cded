/* validate.h — the input rules every way a figure enters kpi shares: the CSV
 * and xlsx importers (import.c), the entry form (web_entry.c) and the JSON API
 * (web_api.c). One set of rules, one set of messages, written for the partner
 * who typed the figure:
 *   - a number is plain decimal text; "1,500", "45%", "£3", "1 500", "1e5"
 *     are refused with what to write instead;
 *   - a count is a whole number, and not negative;
 *   - a ratio takes a numerator and a denominator, neither negative; the
 *     denominator is more than 0 unless both are 0 (nothing to count that
 *     period); a percentage's numerator is at most its denominator (100%);
 *   - every figure stored fits (at most 999999999999.999999 either way),
 *     including the value a ratio makes: nothing is silently cut;
 *   - an indicator's own `min`/`max` (indicators files) replace the unit's
 *     default bounds (a count of net change may be negative);
 *   - a value's area is a declared area (`kpi import areas`, `kpi init
 *     --area`); an unknown one is named with the known ones and a "did you
 *     mean" for a near miss.
 * Everything here but validate_area is pure: no I/O, no SQL. */
#ifndef KPI_VALIDATE_H
#define KPI_VALIDATE_H

#include <stdint.h>

#include "err.h"
#include "period.h"
#include "store.h"

/* Which field a refused value is refused for. */
typedef enum ValidField { VALID_PERIOD, VALID_VALUE, VALID_NUMERATOR, VALID_DENOMINATOR } ValidField;

/* A value that passed every rule: what to store. */
typedef struct ValidValue {
    Period period;
    int64_t value, num, den; /* micro-units; num and den only when ratio */
    int ratio;               /* 1 when the indicator is a ratio (num and den stored) */
} ValidValue;

/* Parse `text` (a figure given for the field called `what`, e.g. "value")
 * into micro-units. Returns 0, or -1 with err set to "WHAT 'TEXT': what is
 * wrong and what to write instead" (thousands separators, % signs, currency
 * signs, spaces, exponents, Unicode minus signs, too many decimals, too large). */
int validate_number(const char *text, const char *what, int64_t *micro /* OUT */, Err *err);

/* A `min` or `max` cell of an indicators file: a number, or `none` (no bound:
 * stored as the smallest or largest storable figure). 0 or -1 (err set). */
int validate_bound(const char *text, const char *what, int is_max, int64_t *micro /* OUT */, Err *err);

/* The bounds a value of ind must lie in (micro-units, inclusive): the
 * indicator's own min/max, else the unit's default (0 for a count or any
 * ratio, 100 at most for a percentage ratio). *has_lo / *has_hi = 0: none. */
void validate_bounds(const Indicator *ind, int *has_lo, int64_t *lo, int *has_hi, int64_t *hi);

/* Check one value of indicator ind for the period text ptext (financial year
 * starting in month fy_start): vt, nt, dt are the value, numerator and
 * denominator as typed, trimmed, NULL when not given. Returns 0 with *out
 * filled, or -1 with err set (no place prefix) and *field naming the field at
 * fault. */
int validate_value(const Indicator *ind, int fy_start, const char *ptext, const char *vt, const char *nt,
                   const char *dt, ValidValue *out /* OUT */, ValidField *field /* OUT */, Err *err);

/* The field's name as messages and forms use it ("value", "numerator", ...). */
const char *validate_field_name(ValidField f);

/* Is code shaped like an ONS GSS code: one capital letter and 8 digits (E07000118)? */
int validate_gss_code(const char *code);

/* Optimal-string-alignment (Damerau-Levenshtein) distance between a and b,
 * ignoring ASCII case; stops counting above `limit` (returns limit + 1). */
int validate_distance(const char *a, const char *b, int limit);

/* The name in names[0..n) nearest to `name` within distance 2 (ties: the
 * first), or NULL when none is that near. */
const char *validate_suggest(const char *name, char *const *names, int n);

/* Set err to "unknown area 'NAME': did you mean 'X'? The known areas are
 * 'A', 'B', ... and K more. Declare an area with `kpi import areas` or `kpi
 * init --area`" (at most 10 named; no "did you mean" without a near miss).
 * Returns -1. */
int validate_unknown_area(Err *err, const char *name, char *const *names, int n);

/* The id of the declared area called name (reads the store). Returns 0;
 * 1 when no area is called that, with err set as validate_unknown_area words
 * it; -1 when the store fails (err set). */
int validate_area(Store *s, const char *name, int64_t *id /* OUT */, Err *err);

#endif
