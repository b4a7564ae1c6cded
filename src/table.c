/* table.c — aligned plain-text tables. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

void table_init(Table *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
}

void table_release(Table *t)
{
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void table_add_row(Table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = xrealloc(t->cells, (size_t)t->cap * (size_t)t->ncols * sizeof *t->cells);
    }
    for (int c = 0; c < t->ncols; c++) {
        char *cell = xstrdup(cells[c] ? cells[c] : "");
        /* One line per row: a newline, tab or other control character in a
         * cell (a title may hold one) would break the row and its alignment. */
        for (char *q = cell; *q; q++)
            if ((unsigned char)*q < 0x20 || *q == 0x7f)
                *q = ' ';
        t->cells[t->nrows * t->ncols + c] = cell;
    }
    t->nrows++;
}

size_t table_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    }
    return w;
}

/* Does the cell look like a number (for right alignment)? */
static int table_numeric(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if ((*s < '0' || *s > '9') && *s != '.')
            return 0;
    }
    return 1;
}

void table_render(const Table *t, Buf *out)
{
    size_t *w = xcalloc((size_t)t->ncols, sizeof *w);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            size_t cw = table_width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (int r = 0; r < t->nrows; r++) {
        Buf line = BUF_INIT;
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t pad = w[c] - table_width(s);
            if (c)
                buf_puts(&line, "  ");
            int right = r > 0 && table_numeric(s);
            for (size_t k = 0; right && k < pad; k++)
                buf_putc(&line, ' ');
            buf_puts(&line, s);
            for (size_t k = 0; !right && k < pad && c + 1 < t->ncols; k++)
                buf_putc(&line, ' ');
        }
        while (line.len && line.data[line.len - 1] == ' ')
            line.len--;
        buf_append(out, line.data ? line.data : "", line.len);
        buf_putc(out, '\n');
        buf_release(&line);
        if (r == 0) {
            for (int c = 0; c < t->ncols; c++) {
                if (c)
                    buf_puts(out, "  ");
                for (size_t k = 0; k < w[c]; k++)
                    buf_putc(out, '-');
            }
            buf_putc(out, '\n');
        }
    }
    free(w);
}
