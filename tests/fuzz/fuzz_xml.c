/* fuzz_xml.c — libFuzzer harness for the XML pull reader (src/xml.c). The
 * first byte picks a chunk size (1..64), the rest is the document. It is
 * read twice: from memory, and streamed through a fill callback that hands
 * out that many bytes at a time; both readings must give the same events
 * (names, attributes, text) and fail, if they fail, at the same event.
 * Elements whose name starts with 'x' are skipped with xml_skip. Then the
 * input escaped with xml_escape as the text of one element must read back
 * without error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#define MAX_EVENTS 200000 /* more than the bytes of any input we are given */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Feed {
    const char *p;
    size_t left, step;
} Feed;

static long feed_fill(void *ctx, char *buf, size_t cap, Err *err)
{
    (void)err;
    Feed *f = ctx;
    size_t n = f->left < f->step ? f->left : f->step;
    if (n > cap)
        n = cap;
    memcpy(buf, f->p, n);
    f->p += n;
    f->left -= n;
    return (long)n;
}

/* Read every event of x into trace; returns the last xml_next/xml_skip result. */
static int read_all(XmlReader *x, Buf *trace, Err *err)
{
    static const char *const probe[] = {"r", "t", "s", "id", "name", "Target", "Type"};
    for (int n = 0; n < MAX_EVENTS; n++) {
        int ev = xml_next(x, err);
        if (ev < 0 || ev == XML_EOF) {
            buf_printf(trace, "=%d", ev);
            return ev;
        }
        switch (ev) {
        case XML_START:
            buf_printf(trace, "<%s", xml_name(x));
            for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
                const char *v = xml_attr(x, probe[k]);
                if (v)
                    buf_printf(trace, " %s=[%s]", probe[k], v);
            }
            buf_putc(trace, '>');
            if (xml_name(x)[0] == 'x') {
                int rc = xml_skip(x, err);
                buf_printf(trace, "skip%d", rc);
                if (rc < 0)
                    return rc;
            }
            break;
        case XML_END:
            buf_printf(trace, "</%s>", xml_name(x));
            break;
        case XML_TEXT:
            buf_printf(trace, "[%zu:", strlen(xml_text(x)));
            buf_puts(trace, xml_text(x));
            buf_putc(trace, ']');
            break;
        default:
            abort();
        }
    }
    abort(); /* more events than bytes: the reader does not advance */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t step = 1 + data[0] % 64;
    const char *doc = (const char *)data + 1;
    size_t len = size - 1;

    Buf t1 = BUF_INIT, t2 = BUF_INIT;
    Err e1 = ERR_INIT, e2 = ERR_INIT;
    XmlReader x;
    xml_init_mem(&x, doc, len, "mem.xml");
    int r1 = read_all(&x, &t1, &e1);
    xml_release(&x);

    Feed f = {doc, len, step};
    xml_init(&x, feed_fill, &f, "mem.xml");
    int r2 = read_all(&x, &t2, &e2);
    xml_release(&x);
    if (r1 < 0 && !err_is_set(&e1))
        abort();
    if (r1 != r2 || strcmp(buf_cstr(&t1), buf_cstr(&t2)) != 0) {
        fprintf(stderr, "from memory:  %s (%s)\nstreamed by %zu: %s (%s)\n", buf_cstr(&t1), err_msg(&e1),
                step, buf_cstr(&t2), err_msg(&e2));
        abort();
    }

    /* Anything escaped reads back as text. */
    Buf esc = BUF_INIT;
    buf_puts(&esc, "<a>");
    xml_escape(&esc, doc, len);
    buf_puts(&esc, "</a>");
    xml_init_mem(&x, esc.data, esc.len, "escaped.xml");
    Err e3 = ERR_INIT;
    int ev;
    while ((ev = xml_next(&x, &e3)) > 0) {
        if (ev == XML_START && strcmp(xml_name(&x), "a") != 0)
            abort();
    }
    if (ev < 0) {
        fprintf(stderr, "escaped text does not read: %s\n", err_msg(&e3));
        abort();
    }
    xml_release(&x);

    buf_release(&esc);
    buf_release(&t1);
    buf_release(&t2);
    err_release(&e1);
    err_release(&e2);
    err_release(&e3);
    return 0;
}
