/* validate.c — the input rules of every figure kpi takes (see validate.h). */
#include "validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fq.h"
#include "present.h"

#define VALIDATE_SUGGEST_DISTANCE 2 /* a "did you mean" is at most this many edits away */
#define VALIDATE_LIST_AREAS 10      /* known areas an unknown-area message lists */

const char *validate_field_name(ValidField f)
{
    static const char *const names[] = {"period", "value", "numerator", "denominator"};
    return names[f];
}

/* Does text parse as a number once the bytes in `drop` are removed? */
static int validate_parses_without(const char *text, const char *drop, Buf *clean)
{
    int64_t m;
    const char *why;
    buf_reset(clean);
    for (const char *p = text; *p; p++)
        if (!strchr(drop, *p))
            buf_putc(clean, *p);
    return clean->len && fq_parse_micro(buf_cstr(clean), &m, &why) == 0;
}

/* Are the commas of text those of thousands (each followed by exactly 3 digits, the first after 1-3 digits)? */
static int validate_thousands(const char *text)
{
    const char *p = text;
    if (*p == '-' || *p == '+')
        p++;
    size_t lead = strspn(p, "0123456789");
    if (lead < 1 || lead > 3 || p[lead] != ',')
        return 0;
    p += lead;
    while (*p == ',') {
        if (strspn(p + 1, "0123456789") < 3)
            return 0;
        p += 4;
        if (isdigit((unsigned char)*p))
            return 0;
    }
    return *p == '\0' || *p == '.';
}

int validate_number(const char *text, const char *what, int64_t *micro, Err *err)
{
    const char *why;
    Buf clean = BUF_INIT;
    int rc = -1;
    if (fq_parse_micro(text, micro, &why) == 0)
        return 0;
    size_t n = strlen(text);
    if (strcmp(why, "not a number") != 0) {
        if (strcmp(why, "number too large") == 0)
            err_set(err, "%s '%s' is too large: a figure is at most 999999999999.999999", what, text);
        else
            err_set(err, "%s '%s': %s", what, text, why);
    } else if ((strncmp(text, "\xc2\xa3", 2) == 0 || strncmp(text, "\xe2\x82\xac", 3) == 0 || text[0] == '$') &&
               validate_parses_without(text + (text[0] == '$' ? 1 : (unsigned char)text[0] == 0xc2 ? 2 : 3), ",",
                                       &clean)) {
        err_set(err, "%s '%s': write the amount without the currency sign (%s)", what, text, buf_cstr(&clean));
    } else if (strchr(text, ',') && validate_thousands(text) && validate_parses_without(text, ",", &clean)) {
        err_set(err, "%s '%s': remove the thousands separator (write %s)", what, text, buf_cstr(&clean));
    } else if (strchr(text, ',') && !strchr(text, '.') && strchr(text, ',') == strrchr(text, ',')) {
        buf_reset(&clean);
        for (const char *p = text; *p; p++)
            buf_putc(&clean, *p == ',' ? '.' : *p);
        int64_t m;
        if (fq_parse_micro(buf_cstr(&clean), &m, &why) == 0)
            err_set(err, "%s '%s': write the decimal point as a full stop (%s)", what, text, buf_cstr(&clean));
        else
            err_set(err, "%s '%s': not a number", what, text);
    } else if (n > 1 && text[n - 1] == '%' && validate_parses_without(text, "% ", &clean)) {
        err_set(err, "%s '%s': write %s without the %% sign", what, text, buf_cstr(&clean));
    } else if (strncmp(text, "\xe2\x88\x92", 3) == 0 && validate_parses_without(text + 3, "", &clean)) {
        err_set(err, "%s '%s': write the minus sign as a plain hyphen (-%s)", what, text, buf_cstr(&clean));
    } else if ((strchr(text, ' ') || strstr(text, "\xc2\xa0")) && validate_parses_without(text, " \xc2\xa0", &clean)) {
        err_set(err, "%s '%s': remove the spaces (write %s)", what, text, buf_cstr(&clean));
    } else if (strpbrk(text, "eE") && isdigit((unsigned char)text[0]) && strtod(text, NULL) != 0) {
        err_set(err, "%s '%s': write the number in full, without an exponent", what, text);
    } else {
        err_set(err, "%s '%s': not a number", what, text);
    }
    buf_release(&clean);
    return rc;
}

int validate_bound(const char *text, const char *what, int is_max, int64_t *micro, Err *err)
{
    if (strcasecmp(text, "none") == 0) {
        *micro = is_max ? FQ_MAX_MICRO : -FQ_MAX_MICRO;
        return 0;
    }
    return validate_number(text, what, micro, err);
}

void validate_bounds(const Indicator *ind, int *has_lo, int64_t *lo, int *has_hi, int64_t *hi)
{
    int ratio = ind->def.aggregate == AGG_RATIO;
    *has_lo = ind->has_min || ratio || ind->def.unit == UNIT_COUNT;
    *lo = ind->has_min ? ind->min : 0;
    *has_hi = ind->has_max || (ratio && ind->def.unit == UNIT_PERCENT);
    *hi = ind->has_max ? ind->max : 100 * FQ_SCALE;
}

/* "a count", "a percentage", ... for messages. */
static const char *validate_unit_words(const Indicator *ind)
{
    switch (ind->def.unit) {
    case UNIT_COUNT: return "a count";
    case UNIT_PERCENT: return "a percentage";
    case UNIT_RATE: return "a rate";
    case UNIT_CURRENCY: return "an amount of money";
    default: return "a number";
    }
}

/* The value a ratio makes, num/den × 100 in micro-units, rounded half away
 * from zero; -1 when it does not fit a stored figure. den > 0. */
static int validate_ratio_value(int64_t num, int64_t den, int64_t *micro, Fq *exact)
{
    Fq q, r;
    if (fq_div_ok(fq_micro(num), fq_micro(den), &q) < 0 || fq_mul_ok(q, fq_int(100), exact) < 0 ||
        fq_mul_ok(*exact, fq_int(FQ_SCALE), &r) < 0)
        return -1;
    r = fq_round(r, 0);
    if (fq_cmp(fq_abs(r), fq_int(FQ_MAX_MICRO)) > 0)
        return -1;
    *micro = (int64_t)r.num;
    return 0;
}

int validate_value(const Indicator *ind, int fy_start, const char *ptext, const char *vt, const char *nt,
                   const char *dt, ValidValue *out, ValidField *field, Err *err)
{
    const char *why;
    Buf a = BUF_INIT, b = BUF_INIT;
    int rc = -1;
    memset(out, 0, sizeof *out);
    *field = VALID_VALUE;
    if (ind->formula)
        return err_set(err, "indicator '%s' is computed by its formula (%s): it takes no values", ind->code,
                       ind->formula);
    *field = VALID_PERIOD;
    if (!ptext)
        return err_set(err, "missing period");
    if (period_parse(ptext, fy_start, &out->period, &why) < 0)
        return err_set(err, "bad period '%s': %s", ptext, why);
    if ((int)out->period.kind < (int)ind->frequency)
        return err_set(err, "indicator '%s' is reported by %s: a value for %s is finer than that", ind->code,
                       present_frequency_name(ind->frequency), ptext);
    const char *texts[3] = {vt, nt, dt};
    int64_t *dst[3] = {&out->value, &out->num, &out->den};
    for (int k = 0; k < 3; k++) {
        *field = (ValidField)(VALID_VALUE + k);
        if (texts[k] && validate_number(texts[k], validate_field_name(*field), dst[k], err) < 0)
            return -1;
    }
    int has_lo, has_hi;
    int64_t lo, hi;
    validate_bounds(ind, &has_lo, &lo, &has_hi, &hi);
    const char *words = validate_unit_words(ind);
    out->ratio = ind->def.aggregate == AGG_RATIO;
    if (out->ratio) {
        *field = !nt ? VALID_NUMERATOR : VALID_DENOMINATOR;
        if (!nt || !dt)
            return err_set(err, "indicator '%s' is a ratio: give numerator and denominator", ind->code);
        *field = out->num < 0 ? VALID_NUMERATOR : VALID_DENOMINATOR;
        if (out->num < 0 || out->den < 0)
            return err_set(err, "%s '%s' for %s cannot be negative", validate_field_name(*field),
                           out->num < 0 ? nt : dt, ind->title);
        *field = VALID_DENOMINATOR;
        /* 0 out of 0 is a period with nothing to count (no surveys): it covers
         * the period and adds nothing to a ratio of sums. */
        if (out->den == 0 && out->num != 0)
            return err_set(err, "denominator '%s' for %s (%s) must be more than 0: %s out of 0 means nothing", dt,
                           ind->title, words, nt);
        Fq exact = fq_int(0);
        int64_t made = 0;
        *field = VALID_NUMERATOR;
        if (out->den != 0 && validate_ratio_value(out->num, out->den, &made, &exact) < 0)
            return err_set(err,
                           "numerator '%s' over denominator '%s' for %s makes %s too large to store (a figure is "
                           "at most 999999999999.999999)",
                           nt, dt, ind->title, words);
        if (vt) {
            const char *dot = strchr(vt, '.');
            int decimals = dot ? (int)strlen(dot + 1) : 0;
            *field = VALID_VALUE;
            if (out->den == 0 || fq_cmp(fq_round(exact, decimals), fq_micro(out->value)) != 0)
                return err_set(err, "value %s does not agree with numerator/denominator \xc3\x97 100", vt);
        }
        out->value = made;
        *field = VALID_NUMERATOR;
        if (has_hi && out->den != 0 && fq_cmp(exact, fq_micro(hi)) > 0) {
            if (!ind->has_max && ind->def.unit == UNIT_PERCENT) {
                fq_format(&a, exact, 1);
                err_set(err,
                        "numerator '%s' for %s (%s) is more than its denominator '%s' (that would be %s%%): a "
                        "percentage is at most 100",
                        nt, ind->title, words, dt, buf_cstr(&a));
            } else {
                fq_format(&a, exact, 1);
                fq_format_micro(&b, hi);
                err_set(err, "numerator '%s' over denominator '%s' for %s makes %s, more than its maximum %s", nt,
                        dt, ind->title, buf_cstr(&a), buf_cstr(&b));
            }
            goto out;
        }
        if (ind->has_min && out->den != 0 && fq_cmp(exact, fq_micro(lo)) < 0) {
            fq_format(&a, exact, 1);
            fq_format_micro(&b, lo);
            err_set(err, "numerator '%s' over denominator '%s' for %s makes %s, less than its minimum %s", nt, dt,
                    ind->title, buf_cstr(&a), buf_cstr(&b));
            goto out;
        }
    } else {
        *field = nt ? VALID_NUMERATOR : VALID_DENOMINATOR;
        if (nt || dt)
            return err_set(err, "indicator '%s' is not a ratio: give value only, not numerator/denominator",
                           ind->code);
        *field = VALID_VALUE;
        if (!vt)
            return err_set(err, "missing value");
        if (ind->def.unit == UNIT_COUNT && out->value % FQ_SCALE != 0)
            return err_set(err, "value '%s' for %s (%s) must be a whole number", vt, ind->title, words);
        if (has_lo && out->value < lo) {
            if (!ind->has_min)
                return err_set(err, "value '%s' for %s (%s) cannot be negative", vt, ind->title, words);
            fq_format_micro(&b, lo);
            err_set(err, "value '%s' for %s is less than its minimum %s", vt, ind->title, buf_cstr(&b));
            goto out;
        }
        if (has_hi && out->value > hi) {
            fq_format_micro(&b, hi);
            err_set(err, "value '%s' for %s is more than its maximum %s", vt, ind->title, buf_cstr(&b));
            goto out;
        }
    }
    rc = 0;
out:
    buf_release(&a);
    buf_release(&b);
    return rc;
}

int validate_gss_code(const char *code)
{
    if (!(code[0] >= 'A' && code[0] <= 'Z'))
        return 0;
    for (int i = 1; i <= 8; i++)
        if (!(code[i] >= '0' && code[i] <= '9'))
            return 0;
    return code[9] == '\0';
}

int validate_distance(const char *a, const char *b, int limit)
{
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > (size_t)limit)
        return limit + 1;
    /* three rows of the optimal-string-alignment table */
    int *prev2 = xcalloc(m + 1, sizeof(int)), *prev = xcalloc(m + 1, sizeof(int)), *cur = xcalloc(m + 1, sizeof(int));
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int cost = ca != cb;
            int d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < best)
                best = d;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
        if (best > limit) {
            free(prev2);
            free(prev);
            free(cur);
            return limit + 1;
        }
    }
    int d = prev[m];
    free(prev2);
    free(prev);
    free(cur);
    return d > limit ? limit + 1 : d;
}

const char *validate_suggest(const char *name, char *const *names, int n)
{
    const char *best = NULL;
    int bestd = VALIDATE_SUGGEST_DISTANCE + 1;
    for (int i = 0; i < n; i++) {
        int d = validate_distance(name, names[i], VALIDATE_SUGGEST_DISTANCE);
        if (d < bestd) {
            bestd = d;
            best = names[i];
        }
    }
    return best;
}

int validate_unknown_area(Err *err, const char *name, char *const *names, int n)
{
    Buf m = BUF_INIT;
    const char *near = validate_suggest(name, names, n);
    buf_printf(&m, "unknown area '%s'", name);
    if (near)
        buf_printf(&m, ": did you mean '%s'?", near);
    else
        buf_putc(&m, '.');
    if (n == 0) {
        buf_puts(&m, " No area is declared yet.");
    } else {
        buf_puts(&m, n == 1 ? " The known area is " : " The known areas are ");
        for (int i = 0; i < n && i < VALIDATE_LIST_AREAS; i++)
            buf_printf(&m, "%s'%s'", i ? ", " : "", names[i]);
        if (n > VALIDATE_LIST_AREAS)
            buf_printf(&m, " and %d more", n - VALIDATE_LIST_AREAS);
        buf_puts(&m, ".");
    }
    buf_puts(&m, " Declare an area with `kpi import areas` or `kpi init --area`");
    err_set(err, "%s", buf_cstr(&m));
    buf_release(&m);
    return -1;
}

int validate_area(Store *s, const char *name, int64_t *id, Err *err)
{
    char **names = NULL;
    int64_t *ids = NULL;
    int n = 0;
    if (store_area_id(s, name, 0, id, err) < 0)
        return -1;
    if (*id)
        return 0;
    int rc = store_areas(s, &names, &ids, &n, err);
    if (rc == 0) {
        validate_unknown_area(err, name, names, n);
        rc = 1;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(ids);
    return rc;
}
