/* web_form.c — the query string, Cookie header and form bodies, parsed from
 * bytes (web_form.h). Every scan is bounded by the input's length (memchr,
 * memmem, explicit indexes; never strlen on client bytes), and each search
 * starts where the last one ended, so the work is linear in the input. */
#include "web_form.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WEB_FORM_SHOWN_MAX 40 /* bytes of a client's name quoted in a message */

void web_form_release(WebForm *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        free(f->fields[i].filename);
        buf_release(&f->fields[i].value);
    }
    free(f->fields);
    f->fields = NULL;
    f->n = f->cap = 0;
}

const WebField *web_form_get(const WebForm *f, const char *name)
{
    for (int i = 0; i < f->n; i++) {
        if (strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    }
    return NULL;
}

/* A client's name as a message may quote it: printable ASCII, '?' for the
 * rest, cut short. */
static const char *web_form_shown(Buf *b, const char *p, size_t n)
{
    buf_reset(b);
    for (size_t i = 0; i < n && i < WEB_FORM_SHOWN_MAX; i++)
        buf_putc(b, p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
    if (n > WEB_FORM_SHOWN_MAX)
        buf_puts(b, "...");
    return buf_cstr(b);
}

int web_form_check(const WebForm *f, Err *err)
{
    Buf shown = BUF_INIT;
    int rc = 0;
    for (int i = 0; i < f->n && rc == 0; i++) {
        const WebField *x = &f->fields[i];
        const char *what = !x->filename && x->value.len && memchr(x->value.data, '\0', x->value.len)
                               ? "holds a NUL byte: leave it out"
                               : NULL;
        for (int j = 0; j < i && !what; j++) {
            if (strcmp(x->name, f->fields[j].name) == 0)
                what = "was given more than once: give it once";
        }
        if (what)
            rc = err_set(err, "The field %s %s", web_form_shown(&shown, x->name, strlen(x->name)), what);
    }
    buf_release(&shown);
    return rc;
}

static int web_form_fail(WebForm *f, int too_big, Err *err, const char *what)
{
    f->too_big = too_big;
    return err_set(err, "%s", what);
}

/* A new field named [name, name + n), which the caller has checked. NULL
 * (err set) when the form already holds WEB_FORM_MAX_FIELDS. */
static WebField *web_form_add(WebForm *f, const char *name, size_t n, Err *err)
{
    if (f->n >= WEB_FORM_MAX_FIELDS) {
        f->too_big = 1;
        err_set(err, "The form has more than %d fields.", WEB_FORM_MAX_FIELDS);
        return NULL;
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->fields = xrealloc(f->fields, (size_t)f->cap * sizeof *f->fields);
    }
    WebField *w = &f->fields[f->n++];
    memset(w, 0, sizeof *w);
    w->name = xstrndup(name, n);
    return w;
}

/* Is [p, p + n) fit to be a field's name? 0, or -1 with err set. */
static int web_form_name_ok(WebForm *f, const char *p, size_t n, Err *err)
{
    if (n == 0)
        return web_form_fail(f, 0, err, "A field of the form has no name.");
    if (n > WEB_FORM_NAME_MAX) {
        f->too_big = 1;
        return err_set(err, "A field's name is longer than %d bytes.", WEB_FORM_NAME_MAX);
    }
    if (memchr(p, '\0', n))
        return web_form_fail(f, 0, err, "A field's name holds a NUL byte.");
    return 0;
}

static int web_form_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Append [p, p + n) to out, '+' as a space and %XX as its byte. -1 at a
 * '%' not followed by two hex digits. */
static int web_form_unescape(const char *p, size_t n, Buf *out)
{
    size_t i = 0;
    while (i < n) {
        const char *pct = memchr(p + i, '%', n - i);
        size_t run = pct ? (size_t)(pct - (p + i)) : n - i;
        for (size_t k = 0; k < run; k++)
            buf_putc(out, p[i + k] == '+' ? ' ' : p[i + k]);
        i += run;
        if (!pct)
            break;
        int hi = i + 1 < n ? web_form_hex(p[i + 1]) : -1;
        int lo = i + 2 < n ? web_form_hex(p[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return -1;
        buf_putc(out, (char)(hi * 16 + lo));
        i += 3;
    }
    return 0;
}

int web_form_urlencoded(const char *p, size_t n, WebForm *out, Err *err)
{
    Buf name = BUF_INIT, shown = BUF_INIT;
    int rc = -1;
    size_t i = 0;
    out->too_big = 0;
    while (i < n) {
        const char *amp = memchr(p + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - p) : n;
        const char *piece = p + i;
        size_t len = end - i;
        i = end + 1;
        if (len == 0)
            continue;
        const char *eq = memchr(piece, '=', len);
        size_t nlen = eq ? (size_t)(eq - piece) : len;
        buf_reset(&name);
        if (nlen > 3 * (size_t)WEB_FORM_NAME_MAX) {
            out->too_big = 1;
            err_set(err, "A field's name is longer than %d bytes.", WEB_FORM_NAME_MAX);
            goto out;
        }
        if (web_form_unescape(piece, nlen, &name) < 0) {
            out->too_big = 0;
            err_set(err, "A field's name has a '%%' not followed by two hexadecimal digits: '%s'.",
                    web_form_shown(&shown, piece, nlen));
            goto out;
        }
        if (web_form_name_ok(out, name.data ? name.data : "", name.len, err) < 0)
            goto out;
        WebField *f = web_form_add(out, buf_cstr(&name), name.len, err);
        if (!f)
            goto out;
        if (eq && web_form_unescape(eq + 1, len - nlen - 1, &f->value) < 0) {
            out->too_big = 0;
            err_set(err, "The field '%s' has a '%%' not followed by two hexadecimal digits.",
                    web_form_shown(&shown, name.data, name.len));
            goto out;
        }
    }
    rc = 0;
out:
    buf_release(&name);
    buf_release(&shown);
    return rc;
}

static int web_form_space(char c)
{
    return c == ' ' || c == '\t';
}

int web_form_cookies(const char *p, size_t n, WebForm *out, Err *err)
{
    size_t i = 0;
    out->too_big = 0;
    while (i < n) {
        const char *semi = memchr(p + i, ';', n - i);
        size_t end = semi ? (size_t)(semi - p) : n, a = i, b = end;
        i = end + 1;
        while (a < b && web_form_space(p[a]))
            a++;
        while (b > a && web_form_space(p[b - 1]))
            b--;
        const char *eq = memchr(p + a, '=', b - a);
        if (!eq)
            continue;
        size_t ne = (size_t)(eq - p), vs = ne + 1;
        while (ne > a && web_form_space(p[ne - 1]))
            ne--;
        while (vs < b && web_form_space(p[vs]))
            vs++;
        if (ne == a || ne - a > WEB_FORM_NAME_MAX || memchr(p + a, '\0', ne - a))
            continue;
        if (b - vs >= 2 && p[vs] == '"' && p[b - 1] == '"') {
            vs++;
            b--;
        }
        WebField *f = web_form_add(out, p + a, ne - a, err);
        if (!f) {
            err_set(err, "The request has more than %d cookies.", WEB_FORM_MAX_FIELDS);
            return -1;
        }
        buf_append(&f->value, p + vs, b - vs);
    }
    return 0;
}

/* ---- multipart/form-data ---- */

/* A header parameter's value at *pos of s (a C string): a quoted string (to
 * the next '"', as browsers send it: they write a quote in a name as %22) or
 * a token (to ';', space or the end). Into out; -1 for an unclosed quote. */
static int web_form_param(const char *s, size_t n, size_t *pos, Buf *out)
{
    size_t i = *pos;
    buf_reset(out);
    if (i < n && s[i] == '"') {
        const char *q = memchr(s + i + 1, '"', n - i - 1);
        if (!q)
            return -1;
        buf_append(out, s + i + 1, (size_t)(q - (s + i + 1)));
        *pos = (size_t)(q - s) + 1;
        return 0;
    }
    size_t start = i;
    while (i < n && s[i] != ';' && !web_form_space(s[i]))
        i++;
    buf_append(out, s + start, i - start);
    *pos = i;
    return 0;
}

/* Walk "; key=value" parameters of a header value from *pos; for each, call
 * back with the key and the value. -1 for a malformed one. */
typedef int (*WebFormParamFn)(void *arg, const char *key, size_t klen, const Buf *value);

static int web_form_params(const char *s, size_t n, size_t pos, WebFormParamFn fn, void *arg)
{
    Buf value = BUF_INIT;
    int rc = 0;
    while (pos < n) {
        while (pos < n && (web_form_space(s[pos]) || s[pos] == ';'))
            pos++;
        size_t k = pos;
        while (pos < n && s[pos] != '=' && s[pos] != ';' && !web_form_space(s[pos]))
            pos++;
        size_t klen = pos - k;
        while (pos < n && web_form_space(s[pos]))
            pos++;
        if (pos >= n || s[pos] != '=') {
            if (klen == 0 && pos < n && s[pos] != ';') { /* stray byte: no progress otherwise */
                rc = -1;
                break;
            }
            continue; /* a bare word: nothing we use */
        }
        pos++;
        while (pos < n && web_form_space(s[pos]))
            pos++;
        if (web_form_param(s, n, &pos, &value) < 0) {
            rc = -1;
            break;
        }
        if (klen && fn(arg, s + k, klen, &value) < 0) {
            rc = -1;
            break;
        }
        /* after a value, only spaces until the next ';' */
        while (pos < n && web_form_space(s[pos]))
            pos++;
        if (pos < n && s[pos] != ';') {
            rc = -1;
            break;
        }
    }
    buf_release(&value);
    return rc;
}

static int web_form_key_is(const char *key, size_t klen, const char *want)
{
    return klen == strlen(want) && strncasecmp(key, want, klen) == 0;
}

static int web_form_boundary_param(void *arg, const char *key, size_t klen, const Buf *value)
{
    Buf *out = arg;
    if (web_form_key_is(key, klen, "boundary") && !out->len)
        buf_append(out, value->data ? value->data : "", value->len);
    return 0;
}

int web_form_boundary(const char *ctype, Buf *out, Err *err)
{
    static const char mt[] = "multipart/form-data";
    size_t n = strlen(ctype), pos = sizeof mt - 1;
    buf_reset(out);
    if (n < pos || strncasecmp(ctype, mt, pos) != 0 || (n > pos && ctype[pos] != ';' && !web_form_space(ctype[pos])))
        return err_set(err, "The form is not multipart/form-data.");
    if (web_form_params(ctype, n, pos, web_form_boundary_param, out) < 0)
        return err_set(err, "The Content-Type header of the form is malformed.");
    if (out->len == 0)
        return err_set(err, "The form's Content-Type gives no boundary.");
    if (out->len > WEB_FORM_BOUNDARY_MAX)
        return err_set(err, "The form's boundary is longer than %d characters.", WEB_FORM_BOUNDARY_MAX);
    if (memchr(out->data, '\r', out->len) || memchr(out->data, '\n', out->len))
        return err_set(err, "The form's boundary holds a line break.");
    return 0;
}

typedef struct WebFormDisp {
    Buf name, filename;
    int has_name, has_filename;
} WebFormDisp;

static int web_form_disp_param(void *arg, const char *key, size_t klen, const Buf *value)
{
    WebFormDisp *d = arg;
    if (web_form_key_is(key, klen, "name") && !d->has_name) {
        d->has_name = 1;
        buf_append(&d->name, value->data ? value->data : "", value->len);
    } else if (web_form_key_is(key, klen, "filename") && !d->has_filename) {
        d->has_filename = 1;
        buf_append(&d->filename, value->data ? value->data : "", value->len);
    }
    return 0;
}

/* A part's header block [h, h + n) (lines ended by CRLF, the last without):
 * its Content-Disposition into d. -1 with the message in err. */
static int web_form_part_headers(const char *h, size_t n, WebFormDisp *d, Err *err)
{
    static const char cd[] = "content-disposition";
    int seen = 0;
    size_t i = 0;
    while (i < n) {
        const char *crlf = memmem(h + i, n - i, "\r\n", 2);
        size_t end = crlf ? (size_t)(crlf - h) : n;
        const char *line = h + i;
        size_t len = end - i;
        i = crlf ? end + 2 : n;
        const char *colon = memchr(line, ':', len);
        if (!colon || (size_t)(colon - line) != sizeof cd - 1 || strncasecmp(line, cd, sizeof cd - 1) != 0)
            continue;
        if (seen++)
            return err_set(err, "A part of the form has two Content-Disposition headers.");
        size_t pos = (size_t)(colon - line) + 1;
        while (pos < len && web_form_space(line[pos]))
            pos++;
        static const char fd[] = "form-data";
        if (len - pos < sizeof fd - 1 || strncasecmp(line + pos, fd, sizeof fd - 1) != 0 ||
            (len - pos > sizeof fd - 1 && line[pos + sizeof fd - 1] != ';' &&
             !web_form_space(line[pos + sizeof fd - 1])))
            return err_set(err, "A part of the form is not form-data.");
        if (web_form_params(line, len, pos + sizeof fd - 1, web_form_disp_param, d) < 0)
            return err_set(err, "A part of the form has a malformed Content-Disposition header.");
    }
    if (!d->has_name || d->name.len == 0)
        return err_set(err, "A part of the form has no name.");
    return 0;
}

int web_form_multipart(const char *boundary, const char *p, size_t n, WebForm *out, Err *err)
{
    static const char cut[] = "The form ends before its closing boundary: the upload was cut off. Nothing was saved.";
    Buf delim = BUF_INIT; /* CRLF "--" boundary */
    WebFormDisp d = {BUF_INIT, BUF_INIT, 0, 0};
    int rc = -1;
    out->too_big = 0;
    buf_puts(&delim, "\r\n--");
    buf_puts(&delim, boundary);
    const char *D = delim.data + 2; /* "--" boundary */
    size_t dlen = delim.len - 2, pos;
    if (n >= dlen && memcmp(p, D, dlen) == 0) {
        pos = 0;
    } else {
        const char *at = memmem(p, n, delim.data, delim.len);
        if (!at) {
            web_form_fail(out, 0, err, "The form has none of the boundaries its Content-Type announces.");
            goto out;
        }
        pos = (size_t)(at - p) + 2;
    }
    for (;;) {
        /* p + pos is at "--" boundary */
        size_t q = pos + dlen;
        if (n - q >= 2 && p[q] == '-' && p[q + 1] == '-')
            break; /* the closing boundary; the epilogue is ignored */
        while (q < n && web_form_space(p[q]))
            q++;
        if (n - q < 2) {
            if (q == n || p[q] == '\r' || p[q] == '-') {
                web_form_fail(out, 0, err, cut);
                goto out;
            }
        }
        if (n - q < 2 || p[q] != '\r' || p[q + 1] != '\n') {
            web_form_fail(out, 0, err, "A boundary of the form is followed by something other than a line end.");
            goto out;
        }
        size_t h = q + 2, b;
        const char *he = NULL;
        if (n - h >= 2 && p[h] == '\r' && p[h + 1] == '\n') {
            b = h + 2; /* no headers at all */
        } else {
            size_t window = n - h < WEB_FORM_PART_HEADERS_MAX + 4 ? n - h : WEB_FORM_PART_HEADERS_MAX + 4;
            he = memmem(p + h, window, "\r\n\r\n", 4);
            if (!he) {
                if (window == n - h)
                    web_form_fail(out, 0, err, cut);
                else
                    web_form_fail(out, 1, err, "A part of the form has headers longer than the server accepts.");
                goto out;
            }
            b = (size_t)(he - p) + 4;
            if (memmem(p + h - 2, (size_t)(he - p) + 2 - (h - 2), delim.data, delim.len)) {
                web_form_fail(out, 0, err, "A part of the form has no empty line after its headers.");
                goto out;
            }
        }
        buf_reset(&d.name);
        buf_reset(&d.filename);
        d.has_name = d.has_filename = 0;
        if (web_form_part_headers(p + h, he ? (size_t)(he - (p + h)) : 0, &d, err) < 0) {
            out->too_big = 0;
            goto out;
        }
        if (web_form_name_ok(out, d.name.data, d.name.len, err) < 0)
            goto out;
        if (d.filename.len > WEB_FORM_NAME_MAX) {
            web_form_fail(out, 1, err, "A file name in the form is too long.");
            goto out;
        }
        const char *end = memmem(p + b, n - b, delim.data, delim.len);
        if (!end) {
            web_form_fail(out, 0, err, cut);
            goto out;
        }
        WebField *f = web_form_add(out, d.name.data, d.name.len, err);
        if (!f)
            goto out;
        if (d.has_filename)
            f->filename = memchr(d.filename.data ? d.filename.data : "", '\0', d.filename.len)
                              ? xstrdup("upload")
                              : xstrndup(d.filename.data ? d.filename.data : "", d.filename.len);
        buf_append(&f->value, p + b, (size_t)(end - (p + b)));
        pos = (size_t)(end - p) + 2;
    }
    rc = 0;
out:
    buf_release(&delim);
    buf_release(&d.name);
    buf_release(&d.filename);
    return rc;
}
