/* rows.c — choose a row source by what a file holds, and the calls that
 * dispatch to it. A zip archive (an .xlsx workbook, whatever its name) is
 * read as a spreadsheet; anything else as CSV. */
#include "rows.h"

#include <stdio.h>
#include <string.h>

static const unsigned char ROWS_ZIP_MAGIC[4] = {'P', 'K', 3, 4};

/* 1 when the file starts like a zip archive. */
static int rows_is_zip(const char *path)
{
    unsigned char head[sizeof ROWS_ZIP_MAGIC];
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return n == sizeof head && memcmp(head, ROWS_ZIP_MAGIC, sizeof head) == 0;
}

int rows_open(Rows *r, const char *path, const char *sheet, Err *err)
{
    if (rows_is_zip(path))
        return rows_open_xlsx(r, path, sheet, err);
    if (rows_open_csv(r, path, err) < 0)
        return -1;
    if (sheet)
        return err_set(err, "%s: --sheet '%s' applies to .xlsx workbooks, and this is not one", path, sheet);
    return 0;
}

void rows_close(Rows *r)
{
    if (r->ops)
        r->ops->close(r);
    memset(r, 0, sizeof *r);
}

int rows_next(Rows *r, Err *err)
{
    return r->ops->next(r, err);
}

const char *rows_field(const Rows *r, int i)
{
    return r->ops->field(r, i);
}

void rows_where(const Rows *r, int i, Buf *out)
{
    r->ops->where(r, i, out);
}

int rows_check_width(Rows *r, int width, Err *err)
{
    return r->ops->check_width(r, width, err);
}
