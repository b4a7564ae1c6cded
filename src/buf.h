/* buf.h — the one growable byte buffer: owns its bytes, always NUL-terminated.
 * Pair buf_init (or BUF_INIT) with buf_release. Allocation failure aborts: kpi does
 * not try to limp on without memory.
 *
 * What the words mean, in every file (as in Git):
 *   X_release(X *x)  frees what x holds, not x itself (x lives on the stack or
 *                    inside something else); x is left as its initialiser leaves
 *                    it, so it may be used or released again.
 *   X_free(X *x)     frees x itself too (it came from X_new or malloc); NULL is
 *                    nothing to do. X_free(X *v, int n) frees an array of n and
 *                    what each element holds.
 *   X_clear(...)     makes a thing empty again for reuse, freeing nothing of the
 *                    thing itself (a flag, a list whose storage is kept).
 *   X_reset(...)     back to the start, keeping the memory (buf_reset, db_reset).
 * scripts/rename-release applied this rule to the functions it lists (run
 * it again after merging a branch written before: it changes nothing twice). */
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
void buf_release(Buf *b);
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
