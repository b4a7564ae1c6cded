/* fuzz_csv.c — libFuzzer harness for the CSV reader (src/csv.c).
 * The input is one CSV file, read record by record through csv_next until
 * the end or the first error; every field of every record is read. Each
 * record read is written back with csv_write_field and read again: the
 * fields must come back the same (the writer quotes what the reader needs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A FILE reading data[0..size); fmemopen refuses size 0. */
static FILE *open_mem(const uint8_t *data, size_t size)
{
    if (size == 0)
        return fopen("/dev/null", "r");
    return fmemopen((void *)data, size, "r");
}

/* Write the current record of r as one CSV line (after a byte-order mark,
 * which the reader drops, so a first field starting with U+FEFF survives)
 * and check that reading it back gives the same fields. */
static void round_trip(const CsvReader *r)
{
    Buf line = BUF_INIT;
    buf_append(&line, "\xEF\xBB\xBF", 3);
    for (int i = 0; i < csv_nfields(r); i++) {
        if (i > 0)
            buf_putc(&line, ',');
        csv_write_field(&line, csv_field(r, i));
    }
    buf_putc(&line, '\n');
    FILE *fp = open_mem((const uint8_t *)line.data, line.len);
    if (!fp)
        abort();
    CsvReader back;
    Err err = ERR_INIT;
    csv_init(&back, fp, "round-trip");
    int rc = csv_next(&back, &err);
    if (rc != 1) {
        fprintf(stderr, "re-reading a written record gave %d: %s\n", rc, err_msg(&err));
        abort();
    }
    if (csv_nfields(&back) != csv_nfields(r)) {
        fprintf(stderr, "re-read %d fields of %d\n", csv_nfields(&back), csv_nfields(r));
        abort();
    }
    for (int i = 0; i < csv_nfields(r); i++)
        if (strcmp(csv_field(&back, i), csv_field(r, i)) != 0) {
            fprintf(stderr, "field %d changed: [%s] -> [%s]\n", i + 1, csv_field(r, i), csv_field(&back, i));
            abort();
        }
    csv_release(&back);
    err_release(&err);
    fclose(fp);
    buf_release(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *fp = open_mem(data, size);
    if (!fp)
        abort();
    CsvReader r;
    Err err = ERR_INIT;
    csv_init(&r, fp, "fuzz.csv");
    size_t total = 0;
    for (int n = 0; n < 100000; n++) {
        int rc = csv_next(&r, &err);
        if (rc <= 0)
            break;
        for (int i = 0; i < csv_nfields(&r); i++)
            total += strlen(csv_field(&r, i));
        /* A lone empty field is a blank line, which the reader skips. */
        if (!(csv_nfields(&r) == 1 && csv_field(&r, 0)[0] == '\0'))
            round_trip(&r);
    }
    if (total > size)
        abort(); /* fields are never longer than the input */
    csv_release(&r);
    err_release(&err);
    fclose(fp);
    return 0;
}
