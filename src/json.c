/* json.c — JSON strings out, flat objects in (see json.h). A hand-written
 * recursive-descent reader: small, strict, and bounded by its input. */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void json_string(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_printf(b, "\\%c", *p);
        else if (*p == '\n')
            buf_puts(b, "\\n");
        else if (*p < 0x20)
            buf_printf(b, "\\u%04x", *p);
        else
            buf_putc(b, (char)*p);
    }
    buf_putc(b, '"');
}

void json_row(Buf *b, const char *const *cols, const Buf *cells, int ncols, int (*is_number)(int))
{
    buf_putc(b, '{');
    for (int c = 0; c < ncols; c++) {
        if (c)
            buf_puts(b, ", ");
        json_string(b, cols[c]);
        buf_puts(b, ": ");
        if (!cells[c].len)
            buf_puts(b, "null");
        else if (is_number(c))
            buf_puts(b, buf_cstr(&cells[c]));
        else
            json_string(b, buf_cstr(&cells[c]));
    }
    buf_putc(b, '}');
}

typedef struct JsonIn {
    const char *p, *end, *start;
} JsonIn;

static void json_ws(JsonIn *in)
{
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r'))
        in->p++;
}

static int json_fail(JsonIn *in, Err *err, const char *what)
{
    return err_set(err, "bad JSON at byte %ld: %s", (long)(in->p - in->start) + 1, what);
}

static int json_hex4(JsonIn *in, unsigned *out)
{
    if (in->end - in->p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = in->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    in->p += 4;
    *out = v;
    return 0;
}

static void json_utf8(Buf *b, unsigned cp)
{
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        buf_putc(b, (char)(0xc0 | (cp >> 6)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        buf_putc(b, (char)(0xe0 | (cp >> 12)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        buf_putc(b, (char)(0xf0 | (cp >> 18)));
        buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    }
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t json_utf8_len(const unsigned char *p, size_t n)
{
    size_t k;
    uint32_t cp;
    if (p[0] < 0x80)
        return 1;
    if ((p[0] & 0xe0) == 0xc0)
        k = 2, cp = p[0] & 0x1f;
    else if ((p[0] & 0xf0) == 0xe0)
        k = 3, cp = p[0] & 0x0f;
    else if ((p[0] & 0xf8) == 0xf0)
        k = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return k;
}

/* A string at in->p (on the opening quote) into out. */
static int json_str(JsonIn *in, Buf *out, Err *err)
{
    in->p++;
    for (;;) {
        if (in->p >= in->end)
            return json_fail(in, err, "unterminated string");
        unsigned char c = (unsigned char)*in->p;
        if (c == '"') {
            in->p++;
            return 0;
        }
        if (c < 0x20)
            return json_fail(in, err, "control character in a string");
        if (c != '\\') {
            size_t k = json_utf8_len((const unsigned char *)in->p, (size_t)(in->end - in->p));
            if (!k)
                return json_fail(in, err, "not UTF-8");
            buf_append(out, in->p, k);
            in->p += k;
            continue;
        }
        in->p++;
        if (in->p >= in->end)
            return json_fail(in, err, "unterminated string");
        char e = *in->p++;
        unsigned cp, lo;
        switch (e) {
        case '"': buf_putc(out, '"'); break;
        case '\\': buf_putc(out, '\\'); break;
        case '/': buf_putc(out, '/'); break;
        case 'b': buf_putc(out, '\b'); break;
        case 'f': buf_putc(out, '\f'); break;
        case 'n': buf_putc(out, '\n'); break;
        case 'r': buf_putc(out, '\r'); break;
        case 't': buf_putc(out, '\t'); break;
        case 'u':
            if (json_hex4(in, &cp) < 0)
                return json_fail(in, err, "bad \\u escape");
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (in->end - in->p < 2 || in->p[0] != '\\' || in->p[1] != 'u')
                    return json_fail(in, err, "lone surrogate");
                in->p += 2;
                if (json_hex4(in, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
                    return json_fail(in, err, "lone surrogate");
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return json_fail(in, err, "lone surrogate");
            }
            if (cp == 0)
                return json_fail(in, err, "NUL character in a string");
            json_utf8(out, cp);
            break;
        default:
            return json_fail(in, err, "bad escape");
        }
    }
}

static int json_digits(JsonIn *in)
{
    const char *s = in->p;
    while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
        in->p++;
    return in->p > s;
}

/* A number as JSON writes it; kept as text. */
static int json_num(JsonIn *in, Buf *out, Err *err)
{
    const char *s = in->p;
    if (in->p < in->end && *in->p == '-')
        in->p++;
    if (in->p < in->end && *in->p == '0')
        in->p++;
    else if (!json_digits(in))
        return json_fail(in, err, "bad number");
    if (in->p < in->end && *in->p == '.') {
        in->p++;
        if (!json_digits(in))
            return json_fail(in, err, "bad number");
    }
    if (in->p < in->end && (*in->p == 'e' || *in->p == 'E')) {
        in->p++;
        if (in->p < in->end && (*in->p == '+' || *in->p == '-'))
            in->p++;
        if (!json_digits(in))
            return json_fail(in, err, "bad number");
    }
    buf_append(out, s, (size_t)(in->p - s));
    return 0;
}

static int json_word(JsonIn *in, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(in->end - in->p) >= n && memcmp(in->p, w, n) == 0) {
        in->p += n;
        return 1;
    }
    return 0;
}

int json_parse_object(const char *text, size_t len, JsonObject *out, Err *err)
{
    JsonIn in = {text, text + len, text};
    Buf key = BUF_INIT, val = BUF_INIT;
    int rc = -1;
    memset(out, 0, sizeof *out);
    json_ws(&in);
    if (in.p >= in.end || *in.p != '{') {
        json_fail(&in, err, "expected an object {...}");
        goto out;
    }
    in.p++;
    json_ws(&in);
    if (in.p < in.end && *in.p == '}') {
        in.p++;
        goto done;
    }
    for (;;) {
        json_ws(&in);
        if (in.p >= in.end || *in.p != '"') {
            json_fail(&in, err, "expected a member name in quotes");
            goto out;
        }
        buf_reset(&key);
        if (json_str(&in, &key, err) < 0)
            goto out;
        if (json_get(out, buf_cstr(&key))) {
            err_set(err, "bad JSON: \"%s\" is given twice", buf_cstr(&key));
            goto out;
        }
        if (out->n == JSON_MAX_MEMBERS) {
            json_fail(&in, err, "too many members");
            goto out;
        }
        json_ws(&in);
        if (in.p >= in.end || *in.p != ':') {
            json_fail(&in, err, "expected ':'");
            goto out;
        }
        in.p++;
        json_ws(&in);
        JsonMember *m = &out->v[out->n];
        buf_reset(&val);
        if (in.p < in.end && *in.p == '"') {
            if (json_str(&in, &val, err) < 0)
                goto out;
            m->type = JSON_STRING;
        } else if (in.p < in.end && (*in.p == '-' || (*in.p >= '0' && *in.p <= '9'))) {
            if (json_num(&in, &val, err) < 0)
                goto out;
            m->type = JSON_NUMBER;
        } else if (json_word(&in, "null")) {
            m->type = JSON_NULL;
        } else if (json_word(&in, "true") || json_word(&in, "false")) {
            m->type = JSON_BOOL;
            buf_puts(&val, in.p[-1] == 'e' && in.p[-2] == 'u' ? "true" : "false");
        } else if (in.p < in.end && (*in.p == '{' || *in.p == '[')) {
            err_set(err, "bad JSON: \"%s\" must be a string, a number or null", buf_cstr(&key));
            goto out;
        } else {
            json_fail(&in, err, "expected a value");
            goto out;
        }
        m->key = buf_detach(&key);
        m->text = m->type == JSON_NULL ? NULL : buf_detach(&val);
        out->n++;
        json_ws(&in);
        if (in.p < in.end && *in.p == ',') {
            in.p++;
            continue;
        }
        if (in.p < in.end && *in.p == '}') {
            in.p++;
            break;
        }
        json_fail(&in, err, "expected ',' or '}'");
        goto out;
    }
done:
    json_ws(&in);
    if (in.p != in.end) {
        json_fail(&in, err, "text after the object");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        json_object_release(out);
    buf_release(&key);
    buf_release(&val);
    return rc;
}

const JsonMember *json_get(const JsonObject *o, const char *key)
{
    for (int i = 0; i < o->n; i++) {
        if (strcmp(o->v[i].key, key) == 0)
            return &o->v[i];
    }
    return NULL;
}

void json_object_release(JsonObject *o)
{
    for (int i = 0; i < o->n; i++) {
        free(o->v[i].key);
        free(o->v[i].text);
    }
    o->n = 0;
}
