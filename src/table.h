/* table.h — plain-text tables with columns aligned by display width (UTF-8
 * aware), for `--format table` output. */
#ifndef KPI_TABLE_H
#define KPI_TABLE_H

#include "buf.h"

typedef struct Table {
    int ncols;
    int nrows;
    char **cells;  /* nrows × ncols, owned */
    int cap;
} Table;

void table_init(Table *t, int ncols);
void table_release(Table *t);
/* Copies the cells (NULL is empty); a control character in a cell (newline,
 * tab...) becomes a space, so that every row is one line. */
void table_add_row(Table *t, const char *const *cells);
/* First row is the header, underlined with dashes; numbers right-aligned. */
void table_render(const Table *t, Buf *out);
/* Display width of UTF-8 text (code points; no wide-character tables). */
size_t table_width(const char *s);

#endif
