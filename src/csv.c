/* csv.c — streaming RFC 4180 reader and field writer. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

void csv_init(CsvReader *r, FILE *fp, const char *path)
{
    memset(r, 0, sizeof *r);
    r->fp = fp;
    r->path = path;
    r->next_line = 1;
    /* one more than the fields: csv_end_field records where the next would start */
    r->offs = xcalloc(CSV_MAX_FIELDS + 1, sizeof *r->offs);
}

void csv_release(CsvReader *r)
{
    buf_release(&r->rec);
    free(r->offs);
    r->offs = NULL;
}

int csv_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t need;
        unsigned min;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return 0;
        }
        if (i + need >= n)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* End the current field: NUL-terminate it and record where the next starts. */
static int csv_end_field(CsvReader *r, Err *err)
{
    buf_putc(&r->rec, '\0');
    if (r->nfields >= CSV_MAX_FIELDS)
        return err_at(err, r->path, r->line, "more than %d fields in one row", CSV_MAX_FIELDS);
    r->nfields++;
    r->offs[r->nfields] = r->rec.len;
    return 0;
}

/* The next byte: one given back first, else the file's. */
static int csv_getc(CsvReader *r)
{
    return r->npending > 0 ? r->pending[--r->npending] : getc(r->fp);
}

/* Give a byte back (EOF is ignored); at most four are held. */
static void csv_unget(CsvReader *r, int c)
{
    if (c != EOF && r->npending < (int)(sizeof r->pending / sizeof r->pending[0]))
        r->pending[r->npending++] = c;
}

int csv_next(CsvReader *r, Err *err)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = START;
    int c;

    for (;;) {
        buf_reset(&r->rec);
        r->nfields = 0;
        r->offs[0] = 0;
        r->line = r->next_line;
        state = START;

        if (!r->bom_checked) {
            r->bom_checked = 1;
            int c1 = getc(r->fp);
            if (c1 == 0xEF) {
                int c2 = getc(r->fp), c3 = getc(r->fp);
                if (c2 == 0xBB && c3 != 0xBF)
                    return err_at(err, r->path, 1, "not UTF-8 text (a broken byte-order mark)");
                if (c2 != 0xBB) {
                    /* not a byte-order mark but text that starts with EF
                     * ("\xef\xbc\xa1" is a full-width A): read it as it is;
                     * the UTF-8 check of each field judges it */
                    csv_unget(r, c3);
                    csv_unget(r, c2);
                    csv_unget(r, c1);
                }
            } else if (c1 != EOF) {
                csv_unget(r, c1);
            }
        }

        size_t start_len = 0;
        int any = 0;
        for (;;) {
            c = csv_getc(r);
            if (c == EOF) {
                if (ferror(r->fp))
                    return err_at(err, r->path, r->line, "read error");
                if (state == QUOTED)
                    return err_at(err, r->path, r->line, "broken quoting: a quoted field is not closed");
                if (!any)
                    return 0;
                if (csv_end_field(r, err) < 0)
                    return -1;
                break;
            }
            any = 1;
            if (c == '\0')
                return err_at(err, r->path, r->next_line, "not a text file (NUL byte): binary data?");
            if (r->rec.len - start_len > CSV_MAX_RECORD)
                return err_at(err, r->path, r->line, "row longer than %d bytes", CSV_MAX_RECORD);
            if (state == QUOTED) {
                if (c == '"')
                    state = QUOTE_IN_QUOTED;
                else {
                    if (c == '\n')
                        r->next_line++;
                    buf_putc(&r->rec, (char)c);
                }
                continue;
            }
            if (state == QUOTE_IN_QUOTED) {
                if (c == '"') {
                    buf_putc(&r->rec, '"');
                    state = QUOTED;
                    continue;
                }
                if (c != ',' && c != '\n' && c != '\r')
                    return err_at(err, r->path, r->next_line,
                                  "broken quoting: text after a closing quote");
                state = UNQUOTED; /* fall through to the separators below */
            }
            if (c == '"') {
                if (state != START)
                    return err_at(err, r->path, r->next_line,
                                  "broken quoting: a quote inside an unquoted field");
                state = QUOTED;
                continue;
            }
            if (c == ',') {
                if (csv_end_field(r, err) < 0)
                    return -1;
                state = START;
                continue;
            }
            if (c == '\r') {
                int d = csv_getc(r);
                if (d != '\n') {
                    if (d != EOF)
                        csv_unget(r, d);
                    return err_at(err, r->path, r->next_line, "a carriage return not followed by a line feed");
                }
                c = '\n';
            }
            if (c == '\n') {
                r->next_line++;
                if (csv_end_field(r, err) < 0)
                    return -1;
                break;
            }
            buf_putc(&r->rec, (char)c);
            if (state == START)
                state = UNQUOTED;
        }
        /* A line with no bytes at all is blank: skip it. */
        if (r->nfields == 1 && r->rec.len == 1)
            continue;
        for (int i = 0; i < r->nfields; i++) {
            const char *f = r->rec.data + r->offs[i];
            if (!csv_utf8_valid(f, strlen(f)))
                return err_at(err, r->path, r->line, "not UTF-8 text in field %d: binary data?", i + 1);
        }
        return 1;
    }
}

int csv_nfields(const CsvReader *r)
{
    return r->nfields;
}

const char *csv_field(const CsvReader *r, int i)
{
    if (i < 0 || i >= r->nfields)
        PANIC("csv_field(%d) of %d fields", i, r->nfields);
    return r->rec.data + r->offs[i];
}

void csv_write_field(Buf *b, const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}
