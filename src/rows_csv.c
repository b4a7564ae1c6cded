/* rows_csv.c — the row source over a CSV file (csv.c): places are FILE:LINE,
 * the line a record starts on, whatever field is at fault. */
#include "rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

typedef struct RowsCsv {
    FILE *fp;
    CsvReader csv;
} RowsCsv;

static int rows_csv_next(Rows *r, Err *err)
{
    RowsCsv *c = r->impl;
    int got = csv_next(&c->csv, err);
    if (got > 0) {
        r->line = c->csv.line;
        r->nfields = csv_nfields(&c->csv);
    }
    return got;
}

static const char *rows_csv_field(const Rows *r, int i)
{
    const RowsCsv *c = r->impl;
    return i >= 0 && i < r->nfields ? csv_field(&c->csv, i) : "";
}

static void rows_csv_where(const Rows *r, int field, Buf *out)
{
    (void)field;
    buf_printf(out, "%s:%ld", r->path, r->line);
}

static int rows_csv_check_width(Rows *r, int width, Err *err)
{
    if (r->nfields != width)
        return err_at(err, r->path, r->line, "%d fields, but the header has %d", r->nfields, width);
    return 0;
}

static void rows_csv_close(Rows *r)
{
    RowsCsv *c = r->impl;
    if (c->fp)
        fclose(c->fp);
    csv_release(&c->csv);
    free(c);
}

static const RowsOps ROWS_CSV_OPS = {
    rows_csv_next, rows_csv_field, rows_csv_where, rows_csv_check_width, rows_csv_close,
};

int rows_open_csv(Rows *r, const char *path, Err *err)
{
    RowsCsv *c = xcalloc(1, sizeof *c);
    memset(r, 0, sizeof *r);
    r->ops = &ROWS_CSV_OPS;
    r->path = path;
    r->unit = "line";
    r->line = 1; /* an empty file is faulted at its first line */
    r->impl = c;
    csv_init(&c->csv, NULL, path);
    c->fp = fopen(path, "rb");
    if (!c->fp)
        return err_at(err, path, 0, "cannot open: %s", strerror(errno));
    c->csv.fp = c->fp;
    return 0;
}
