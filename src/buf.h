/* buf.h — the one growable byte buffer: owns its bytes, always NUL-terminated.
 * Pair buf_init (or BUF_INIT) with buf_free. Allocation failure aborts: kpi does
 * not try to limp on without memory. */
#ifndef KPI_BUF_H
#define KPI_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct Buf {
    char *data;   /* NUL-terminated when cap > 0; NULL when empty and never grown */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_init(Buf *b);
void buf_free(Buf *b);
void buf_reset(Buf *b);                       /* len = 0, keeps the memory */
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
const char *buf_cstr(const Buf *b);           /* "" for an empty buffer, never NULL */
char *buf_detach(Buf *b);                     /* caller frees the result; b is left empty */

/* xmalloc and friends abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
