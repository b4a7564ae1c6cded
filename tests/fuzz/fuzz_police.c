/* fuzz_police.c — libFuzzer harness for the police.uk street-level row parser
 * (src/police_parse.c). The first byte picks a block size (1..256), the rest
 * is a street-level CSV file. It is parsed twice: whole, in one call with
 * eof set, and fed block by block as police_read.c feeds it (the unconsumed
 * tail of a block carried into the next, eof only when nothing follows). Both
 * must count the same rows into the same keys, or fail on the same line for
 * the same reason. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "police.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse text whole. Returns 0 or -1 (p keeps the error). */
static int parse_whole(PoliceParser *p, const char *text, size_t len)
{
    int64_t used = police_parse(p, text, len, 1);
    if (used < 0)
        return -1;
    if ((size_t)used != len)
        abort(); /* at the end everything is consumed */
    return 0;
}

/* Parse text in blocks of step bytes, carrying what is not consumed. */
static int parse_blocks(PoliceParser *p, const char *text, size_t len, size_t step)
{
    char *buf = xmalloc(len + 1);
    size_t carry = 0, at = 0;
    int rc = -1;
    for (size_t rounds = 0; rounds <= len + 1; rounds++) {
        size_t n = len - at < step ? len - at : step;
        memcpy(buf + carry, text + at, n);
        at += n;
        size_t have = carry + n;
        int64_t used = police_parse(p, buf, have, n == 0);
        if (used < 0)
            goto out;
        if ((size_t)used > have)
            abort();
        if (n == 0) {
            if ((size_t)used != have)
                abort();
            rc = 0;
            goto out;
        }
        carry = have - (size_t)used;
        memmove(buf, buf + used, carry);
    }
    abort(); /* the loop ends when the input does */
out:
    free(buf);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t step = 1 + data[0];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    PoliceAgg a1, a2;
    PoliceParser p1, p2;
    police_agg_init(&a1);
    police_agg_init(&a2);
    police_parser_init(&p1, &a1, 1);
    police_parser_init(&p2, &a2, 1);
    int r1 = parse_whole(&p1, text, len);
    int r2 = parse_blocks(&p2, text, len, step);
    if (r1 != r2) {
        fprintf(stderr, "whole: %d (%ld: %s); in blocks of %zu: %d (%ld: %s)\n", r1, p1.err_line,
                buf_cstr(&p1.err_reason), step, r2, p2.err_line, buf_cstr(&p2.err_reason));
        abort();
    }
    if (r1 < 0) {
        if (p1.err_reason.len == 0 || p1.err_line != p2.err_line ||
            strcmp(buf_cstr(&p1.err_reason), buf_cstr(&p2.err_reason)) != 0) {
            fprintf(stderr, "whole: line %ld: %s; in blocks of %zu: line %ld: %s\n", p1.err_line,
                    buf_cstr(&p1.err_reason), step, p2.err_line, buf_cstr(&p2.err_reason));
            abort();
        }
    } else {
        if (p1.rows != p2.rows || a1.rows != p1.rows || a1.counts.len != a2.counts.len ||
            p1.line != p2.line) {
            fprintf(stderr, "whole: %lld rows, line %ld; in blocks of %zu: %lld rows, line %ld\n",
                    (long long)p1.rows, p1.line, step, (long long)p2.rows, p2.line);
            abort();
        }
        int64_t total = 0;
        for (size_t i = 0; i < a1.counts.nslots; i++) {
            const PoliceCount *c = &a1.counts.slots[i];
            if (!c->key)
                continue;
            total += c->n;
            if (police_counts_get(&a2.counts, c->key) != c->n)
                abort();
            uint32_t force, district, type;
            int month;
            police_key_split(c->key, &force, &month, &district, &type);
            if (police_key(force, month, district, type) != c->key || force >= a1.forces.n ||
                type >= a1.types.n || district > a1.districts.n)
                abort();
            Buf code = BUF_INIT;
            if (police_code(&code, a1.types.str[type], a1.types.len[type]) != 0)
                abort();
            buf_release(&code);
        }
        if (total != p1.rows)
            abort(); /* every row counted once */
    }
    police_parser_release(&p1);
    police_parser_release(&p2);
    police_agg_release(&a1);
    police_agg_release(&a2);
    return 0;
}
