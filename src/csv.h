/* csv.h — a streaming RFC 4180 reader for the CSV of docs/files.md "CSV":
 * UTF-8, optional byte-order mark, LF or CRLF, quoted fields (with doubled
 * quotes and embedded newlines). Records come one at a time with the line
 * they start on, so every error can say FILE:LINE. Binary junk (NUL bytes,
 * invalid UTF-8) and broken quoting are errors, never guesses. */
#ifndef KPI_CSV_H
#define KPI_CSV_H

#include <stdio.h>

#include "buf.h"
#include "err.h"

#define CSV_MAX_RECORD (1024 * 1024) /* bytes one record may hold */
#define CSV_MAX_FIELDS 256           /* fields one record may hold */

typedef struct CsvReader {
    FILE *fp;             /* not owned */
    const char *path;     /* for messages; not owned */
    long line;            /* line the current record starts on (1-based) */
    long next_line;       /* line the next record starts on */
    Buf rec;              /* field bytes, each NUL-terminated */
    size_t *offs;         /* start of each field in rec (CSV_MAX_FIELDS + 1 entries) */
    int nfields;
    int bom_checked;
    int pending[4];       /* bytes read ahead and given back, last in first out */
    int npending;
} CsvReader;

void csv_init(CsvReader *r, FILE *fp, const char *path);
void csv_release(CsvReader *r);
/* Read the next record: 1 = a record, 0 = end of file, -1 = error (err set,
 * with FILE:LINE). A blank line (no bytes at all) is skipped. */
int csv_next(CsvReader *r, Err *err);
int csv_nfields(const CsvReader *r);
const char *csv_field(const CsvReader *r, int i); /* NUL-terminated, 0-based */

/* Check that s is valid UTF-8 without NUL bytes. 1 = valid. */
int csv_utf8_valid(const char *s, size_t n);

/* Append s as one CSV field (quoted when it needs to be). */
void csv_write_field(Buf *b, const char *s);

#endif
