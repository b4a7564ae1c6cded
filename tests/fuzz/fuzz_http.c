/* fuzz_http.c — libFuzzer harness for the HTTP layer's parsers (src/web_form.c):
 * the query string / urlencoded body, the Cookie header, and multipart bodies.
 * The first byte picks the parser:
 *   0  web_form_urlencoded(rest), then what it parsed, encoded again, must
 *      parse to the same fields (a round trip)
 *   1  web_form_cookies(rest)
 *   2  web_form_multipart(boundary "XyZ", rest)
 *   3  rest = Content-Type line, '\n', body: web_form_boundary, then
 *      web_form_multipart with that boundary
 * Every answer is checked against the contract of web_form.h: on success each
 * field has a non-empty NUL-free name and at most WEB_FORM_MAX_FIELDS fields;
 * on failure the error is set. Seed corpus: tests/fuzz/corpus/http/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_form(const WebForm *f, int rc, const Err *err)
{
    if (rc < 0) {
        if (!err_is_set(err))
            abort();
        return;
    }
    if (rc != 0 || f->n > WEB_FORM_MAX_FIELDS || err_is_set(err))
        abort();
    for (int i = 0; i < f->n; i++) {
        const WebField *w = &f->fields[i];
        size_t nl = strlen(w->name);
        if (nl == 0 || nl > WEB_FORM_NAME_MAX)
            abort();
        if (buf_cstr(&w->value)[w->value.len] != '\0')
            abort();
        if (w->filename && strlen(w->filename) > WEB_FORM_NAME_MAX)
            abort();
    }
}

static void encode(Buf *out, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_')
            buf_putc(out, (char)c);
        else if (c == ' ')
            buf_putc(out, '+');
        else {
            buf_putc(out, '%');
            buf_putc(out, hex[c >> 4]);
            buf_putc(out, hex[c & 15]);
        }
    }
}

static void round_trip(const WebForm *f)
{
    Buf enc = BUF_INIT;
    for (int i = 0; i < f->n; i++) {
        if (i)
            buf_putc(&enc, '&');
        encode(&enc, f->fields[i].name, strlen(f->fields[i].name));
        buf_putc(&enc, '=');
        encode(&enc, buf_cstr(&f->fields[i].value), f->fields[i].value.len);
    }
    WebForm g = WEB_FORM_INIT;
    Err err = ERR_INIT;
    if (web_form_urlencoded(buf_cstr(&enc), enc.len, &g, &err) != 0 || g.n != f->n)
        abort();
    for (int i = 0; i < f->n; i++) {
        if (strcmp(f->fields[i].name, g.fields[i].name) != 0 || f->fields[i].value.len != g.fields[i].value.len ||
            memcmp(buf_cstr(&f->fields[i].value), buf_cstr(&g.fields[i].value), f->fields[i].value.len) != 0)
            abort();
    }
    web_form_release(&g);
    err_release(&err);
    buf_release(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % 4;
    /* A copy of exactly the input's bytes, so ASan sees any read past them. */
    size_t n = size - 1;
    char *p = malloc(n ? n : 1);
    if (!p)
        return 0;
    memcpy(p, data + 1, n);
    WebForm f = WEB_FORM_INIT;
    Err err = ERR_INIT;
    int rc;
    switch (which) {
    case 0:
        rc = web_form_urlencoded(p, n, &f, &err);
        check_form(&f, rc, &err);
        if (rc == 0)
            round_trip(&f);
        break;
    case 1:
        rc = web_form_cookies(p, n, &f, &err);
        check_form(&f, rc, &err);
        break;
    case 2:
        rc = web_form_multipart("XyZ", p, n, &f, &err);
        check_form(&f, rc, &err);
        break;
    default: {
        const char *nl = memchr(p, '\n', n);
        size_t clen = nl ? (size_t)(nl - p) : n;
        char *ctype = malloc(clen + 1);
        if (!ctype)
            break;
        memcpy(ctype, p, clen);
        ctype[clen] = '\0';
        Buf boundary = BUF_INIT;
        rc = web_form_boundary(ctype, &boundary, &err);
        if (rc == 0) {
            if (boundary.len == 0 || boundary.len > WEB_FORM_BOUNDARY_MAX)
                abort();
            size_t off = nl ? clen + 1 : n;
            rc = web_form_multipart(buf_cstr(&boundary), p + off, n - off, &f, &err);
            check_form(&f, rc, &err);
        } else if (!err_is_set(&err)) {
            abort();
        }
        buf_release(&boundary);
        free(ctype);
        break;
    }
    }
    web_form_release(&f);
    err_release(&err);
    free(p);
    return 0;
}
