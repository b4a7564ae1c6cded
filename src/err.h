/* err.h — user-facing errors. An Err carries one message that says where and
 * what ("FILE:LINE: what is wrong"); the CLI prints it as "kpi: MESSAGE".
 * Broken invariants are bugs and go through PANIC instead, which aborts. */
#ifndef KPI_ERR_H
#define KPI_ERR_H

#include "buf.h"

typedef struct Err {
    Buf msg;   /* empty when no error */
    int usage; /* 1 for a usage error (exit status 2) */
} Err;

#define ERR_INIT {BUF_INIT, 0}

void err_release(Err *e);
int err_is_set(const Err *e);
const char *err_msg(const Err *e);
/* Set the message (replacing any earlier one). Returns -1 so callers can `return err_set(...)`. */
int err_set(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, prefixed with "FILE:LINE: " (LINE omitted when 0). */
int err_at(Err *e, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix an existing message with "FILE:LINE: " unless it already has a location. */
void err_prefix(Err *e, const char *file, long line);

#define PANIC(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
