/* fuzz_json.c — libFuzzer harness for the JSON reader (src/json.c,
 * json_parse_object: the API's request bodies). The input is the body. An
 * object that parses must find each member by its key, and written back with
 * json_string (strings) or as it was written (numbers, true, false, null) it
 * must parse again to the same members. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    JsonObject o;
    Err err = ERR_INIT;
    if (json_parse_object((const char *)data, size, &o, &err) != 0) {
        if (!err_is_set(&err))
            abort(); /* a refusal always says why */
        if (o.n != 0)
            abort(); /* and leaves nothing behind */
        err_release(&err);
        return 0;
    }
    Buf b = BUF_INIT;
    buf_putc(&b, '{');
    for (int i = 0; i < o.n; i++) {
        const JsonMember *m = &o.v[i];
        if (json_get(&o, m->key) != m)
            abort();
        if ((m->type == JSON_NULL) != (m->text == NULL))
            abort();
        if (i > 0)
            buf_putc(&b, ',');
        json_string(&b, m->key);
        buf_putc(&b, ':');
        if (m->type == JSON_STRING)
            json_string(&b, m->text);
        else if (m->type == JSON_NULL)
            buf_puts(&b, "null");
        else
            buf_puts(&b, m->text);
    }
    buf_putc(&b, '}');
    JsonObject back;
    if (json_parse_object(b.data, b.len, &back, &err) != 0) {
        fprintf(stderr, "written back as %s: %s\n", buf_cstr(&b), err_msg(&err));
        abort();
    }
    if (back.n != o.n)
        abort();
    for (int i = 0; i < o.n; i++) {
        const JsonMember *m = &o.v[i], *n = &back.v[i];
        if (strcmp(m->key, n->key) != 0 || m->type != n->type ||
            (m->text && strcmp(m->text, n->text) != 0)) {
            fprintf(stderr, "member %d changed written back as %s\n", i, buf_cstr(&b));
            abort();
        }
    }
    json_object_release(&back);
    json_object_release(&o);
    buf_release(&b);
    err_release(&err);
    return 0;
}
