/* xml.c — a streaming pull reader for OOXML parts, the one XML escape and the
 * one HTML escape.
 * The reader keeps only the token being read in memory (bounded by
 * XML_MAX_TOKEN), so a worksheet of any size streams through. It is not a
 * validating parser: it reads well-formed documents and refuses what it
 * cannot read (a DTD, an unknown entity, a tag cut off by the end). */
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XML_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, for what XML cannot carry */

void xml_init(XmlReader *x, XmlFill fill, void *ctx, const char *what)
{
    memset(x, 0, sizeof *x);
    x->fill = fill;
    x->ctx = ctx;
    x->what = what ? what : "XML";
}

void xml_init_mem(XmlReader *x, const char *data, size_t len, const char *what)
{
    xml_init(x, NULL, NULL, what);
    buf_append(&x->in, data, len);
    x->eof = 1;
}

void xml_release(XmlReader *x)
{
    buf_release(&x->in);
    buf_release(&x->name);
    buf_release(&x->text);
    buf_release(&x->attrs);
}

static size_t xml_avail(const XmlReader *x)
{
    return x->in.len - x->pos;
}

/* Read more input after what is there, first dropping what was consumed.
 * Returns 1 when bytes were added, 0 at the end, -1 on error. */
static int xml_more(XmlReader *x, Err *err)
{
    if (x->eof)
        return 0;
    if (xml_avail(x) > XML_MAX_TOKEN)
        return err_set(err, "%s: an XML token larger than %d bytes", x->what, XML_MAX_TOKEN);
    if (x->pos > 0) {
        size_t left = xml_avail(x);
        memmove(x->in.data, x->in.data + x->pos, left);
        x->in.len = left;
        x->in.data[left] = '\0';
        x->pos = 0;
    }
    char chunk[XML_CHUNK];
    long got = x->fill(x->ctx, chunk, sizeof chunk, err);
    if (got < 0)
        return -1;
    if (got == 0) {
        x->eof = 1;
        return 0;
    }
    buf_append(&x->in, chunk, (size_t)got);
    return 1;
}

/* Offset (from pos) of pat at or after `from`, reading more as needed;
 * -1 when the input ends first, -2 on error. */
static long xml_find(XmlReader *x, size_t from, const char *pat, Err *err)
{
    size_t plen = strlen(pat);
    for (;;) {
        size_t avail = xml_avail(x);
        if (from > avail)
            from = avail;
        if (avail >= plen && avail - from >= plen) {
            const char *base = x->in.data + x->pos;
            const char *hit = memmem(base + from, avail - from, pat, plen);
            if (hit)
                return (long)(hit - base);
        }
        if (avail >= plen && avail - plen + 1 > from)
            from = avail - plen + 1;
        int m = xml_more(x, err);
        if (m < 0)
            return -2;
        if (m == 0)
            return -1;
    }
}

/* Append code point cp as UTF-8. */
static void xml_put_utf8(Buf *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_append(out, b, n);
}

/* Decode character data s[0..n) (entities) onto out. */
static int xml_decode(const XmlReader *x, const char *s, size_t n, Buf *out, Err *err)
{
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t run = amp ? (size_t)(amp - (s + i)) : n - i;
        buf_append(out, s + i, run);
        i += run;
        if (!amp)
            break;
        const char *semi = memchr(s + i, ';', n - i);
        if (!semi || semi - (s + i) > 12)
            return err_set(err, "%s: a bare '&' in text", x->what);
        const char *ent = s + i + 1;
        size_t elen = (size_t)(semi - ent);
        if (elen == 2 && !memcmp(ent, "lt", 2))
            buf_putc(out, '<');
        else if (elen == 2 && !memcmp(ent, "gt", 2))
            buf_putc(out, '>');
        else if (elen == 3 && !memcmp(ent, "amp", 3))
            buf_putc(out, '&');
        else if (elen == 4 && !memcmp(ent, "quot", 4))
            buf_putc(out, '"');
        else if (elen == 4 && !memcmp(ent, "apos", 4))
            buf_putc(out, '\'');
        else if (elen >= 2 && ent[0] == '#') {
            int hex = ent[1] == 'x' || ent[1] == 'X';
            uint32_t cp = 0;
            size_t k = hex ? 2 : 1;
            if (k == elen)
                return err_set(err, "%s: bad character reference '&%.*s;'", x->what, (int)elen, ent);
            for (; k < elen; k++) {
                int d;
                char c = ent[k];
                if (c >= '0' && c <= '9')
                    d = c - '0';
                else if (hex && c >= 'a' && c <= 'f')
                    d = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F')
                    d = c - 'A' + 10;
                else
                    return err_set(err, "%s: bad character reference '&%.*s;'", x->what, (int)elen, ent);
                cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
                if (cp > 0x10FFFF)
                    return err_set(err, "%s: bad character reference '&%.*s;'", x->what, (int)elen, ent);
            }
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                return err_set(err, "%s: bad character reference '&%.*s;'", x->what, (int)elen, ent);
            xml_put_utf8(out, cp);
        } else {
            return err_set(err, "%s: unknown entity '&%.*s;'", x->what, (int)elen, ent);
        }
        i = (size_t)(semi - s) + 1;
    }
    return 0;
}

static int xml_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy the local part of a qualified name s[0..n) into out. */
static void xml_local(const char *s, size_t n, Buf *out)
{
    const char *colon = memchr(s, ':', n);
    if (colon) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    buf_append(out, s, n);
}

/* Parse the start tag s[0..n) (between '<' and '>') into name and attributes. */
static int xml_start_tag(XmlReader *x, const char *s, size_t n, Err *err)
{
    size_t i = 0;
    if (n && s[n - 1] == '/') {
        x->pending_end = 1;
        n--;
    }
    while (i < n && !xml_is_space(s[i]))
        i++;
    if (i == 0)
        return err_set(err, "%s: an element without a name", x->what);
    buf_reset(&x->name);
    xml_local(s, i, &x->name);
    buf_reset(&x->attrs);
    x->nattrs = 0;
    for (;;) {
        while (i < n && xml_is_space(s[i]))
            i++;
        if (i >= n)
            break;
        size_t a = i;
        while (i < n && s[i] != '=' && !xml_is_space(s[i]))
            i++;
        size_t alen = i - a;
        while (i < n && xml_is_space(s[i]))
            i++;
        if (i >= n || s[i] != '=' || alen == 0)
            return err_set(err, "%s: <%s>: an attribute without a value", x->what, buf_cstr(&x->name));
        i++;
        while (i < n && xml_is_space(s[i]))
            i++;
        if (i >= n || (s[i] != '"' && s[i] != '\''))
            return err_set(err, "%s: <%s>: an unquoted attribute", x->what, buf_cstr(&x->name));
        char q = s[i++];
        const char *end = memchr(s + i, q, n - i);
        if (!end)
            return err_set(err, "%s: <%s>: an unclosed attribute", x->what, buf_cstr(&x->name));
        size_t vlen = (size_t)(end - (s + i));
        int is_ns = (alen == 5 && !memcmp(s + a, "xmlns", 5)) || (alen > 6 && !memcmp(s + a, "xmlns:", 6));
        if (!is_ns) {
            if (x->nattrs == XML_MAX_ATTRS)
                return err_set(err, "%s: <%s>: more than %d attributes", x->what, buf_cstr(&x->name),
                               XML_MAX_ATTRS);
            x->attr_off[x->nattrs++] = x->attrs.len;
            xml_local(s + a, alen, &x->attrs);
            buf_putc(&x->attrs, '\0');
            if (xml_decode(x, s + i, vlen, &x->attrs, err) < 0)
                return -1;
            buf_putc(&x->attrs, '\0');
        }
        i += vlen + 1;
    }
    return 0;
}

/* Offset (from pos) of the '>' closing the tag that starts at pos, outside
 * quoted attribute values; -1 at the end of input, -2 on error. */
static long xml_tag_end(XmlReader *x, Err *err)
{
    size_t i = 1;
    char q = 0;
    for (;;) {
        while (x->pos + i < x->in.len) {
            char c = x->in.data[x->pos + i];
            if (q) {
                if (c == q)
                    q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '>') {
                return (long)i;
            }
            i++;
        }
        int m = xml_more(x, err);
        if (m < 0)
            return -2;
        if (m == 0)
            return -1;
    }
}

/* Make sure at least n bytes are available (fewer only at the end). */
static int xml_want(XmlReader *x, size_t n, Err *err)
{
    while (xml_avail(x) < n) {
        int m = xml_more(x, err);
        if (m <= 0)
            return m;
    }
    return 1;
}

static int xml_starts(const XmlReader *x, const char *pat)
{
    size_t n = strlen(pat);
    return xml_avail(x) >= n && memcmp(x->in.data + x->pos, pat, n) == 0;
}

int xml_next(XmlReader *x, Err *err)
{
    if (x->pending_end) {
        x->pending_end = 0;
        x->depth--;
        return XML_END;
    }
    for (;;) {
        if (xml_want(x, 1, err) < 0)
            return -1;
        if (xml_avail(x) == 0) {
            if (x->depth > 0)
                return err_set(err, "%s: the document ends inside an element", x->what);
            return XML_EOF;
        }
        if (x->in.data[x->pos] != '<') {
            long lt = xml_find(x, 0, "<", err);
            if (lt == -2)
                return -1;
            size_t n = lt < 0 ? xml_avail(x) : (size_t)lt;
            const char *s = x->in.data + x->pos;
            buf_reset(&x->text);
            if (xml_decode(x, s, n, &x->text, err) < 0)
                return -1;
            x->pos += n;
            if (x->depth == 0)
                continue; /* white space around the root element */
            return XML_TEXT;
        }
        if (xml_want(x, 9, err) < 0)
            return -1;
        const char *close = NULL;
        int kind = 0; /* 1 comment, 2 PI, 3 CDATA, 4 declaration */
        if (xml_starts(x, "<!--"))
            kind = 1, close = "-->";
        else if (xml_starts(x, "<?"))
            kind = 2, close = "?>";
        else if (xml_starts(x, "<![CDATA["))
            kind = 3, close = "]]>";
        else if (xml_starts(x, "<!"))
            kind = 4, close = ">";
        if (kind) {
            long end = xml_find(x, 2, close, err);
            if (end == -2)
                return -1;
            if (end < 0)
                return err_set(err, "%s: the document ends inside a markup declaration", x->what);
            const char *s = x->in.data + x->pos;
            size_t total = (size_t)end + strlen(close);
            if (kind == 4 && memchr(s, '[', (size_t)end))
                return err_set(err, "%s: a document type definition is not supported", x->what);
            if (kind == 3) {
                buf_reset(&x->text);
                buf_append(&x->text, s + 9, (size_t)end - 9);
                x->pos += total;
                return XML_TEXT;
            }
            x->pos += total;
            continue;
        }
        long end = xml_tag_end(x, err);
        if (end == -2)
            return -1;
        if (end < 0)
            return err_set(err, "%s: the document ends inside a tag", x->what);
        const char *s = x->in.data + x->pos;
        if (s[1] == '/') {
            size_t n = (size_t)end - 2;
            while (n && xml_is_space(s[2 + n - 1]))
                n--;
            buf_reset(&x->name);
            xml_local(s + 2, n, &x->name);
            x->pos += (size_t)end + 1;
            if (x->depth == 0)
                return err_set(err, "%s: </%s> closes nothing", x->what, buf_cstr(&x->name));
            x->depth--;
            return XML_END;
        }
        if (xml_start_tag(x, s + 1, (size_t)end - 1, err) < 0)
            return -1;
        x->pos += (size_t)end + 1;
        x->depth++;
        return XML_START;
    }
}

const char *xml_name(const XmlReader *x)
{
    return buf_cstr(&x->name);
}

const char *xml_text(const XmlReader *x)
{
    return buf_cstr(&x->text);
}

const char *xml_attr(const XmlReader *x, const char *local)
{
    for (int i = 0; i < x->nattrs; i++) {
        const char *name = x->attrs.data + x->attr_off[i];
        if (strcmp(name, local) == 0)
            return name + strlen(name) + 1;
    }
    return NULL;
}

int xml_skip(XmlReader *x, Err *err)
{
    int target = x->depth - 1;
    while (x->depth > target) {
        int ev = xml_next(x, err);
        if (ev < 0)
            return -1;
        if (ev == XML_EOF)
            return err_set(err, "%s: the document ends inside an element", x->what);
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 when it is not one. */
static size_t xml_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t need;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        need = 1, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        need = 2, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        need = 3, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (need >= n)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return need + 1;
}

void xml_escape(Buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: bytes before i copied in one go */
    while (i < n) {
        const char *rep = NULL;
        size_t len = 1;
        switch (p[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\t': case '\n': case '\r': break;
        default:
            if (p[i] < 0x20) {
                rep = XML_REPLACEMENT;
            } else if (p[i] >= 0x80) {
                len = xml_utf8_len(p + i, n - i);
                if (len == 0) {
                    rep = XML_REPLACEMENT;
                    len = 1;
                }
            }
            break;
        }
        if (!rep) {
            i += len;
            run += len;
            continue;
        }
        buf_append(out, s + i - run, run);
        buf_puts(out, rep);
        run = 0;
        i += len;
    }
    buf_append(out, s + n - run, run);
}

void xml_puts(Buf *out, const char *s)
{
    if (s)
        xml_escape(out, s, strlen(s));
}

void render_html_escape(Buf *out, const char *s, size_t n)
{
    size_t run = 0; /* bytes since the last escaped character, copied in one go */
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (!rep) {
            run++;
            continue;
        }
        buf_append(out, s + i - run, run);
        buf_puts(out, rep);
        run = 0;
    }
    buf_append(out, s + n - run, run);
}

void render_html_text(Buf *out, const char *s)
{
    if (s)
        render_html_escape(out, s, strlen(s));
}
