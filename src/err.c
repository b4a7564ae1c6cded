/* err.c — user-facing errors and panics for broken invariants. */
#include "err.h"

#include <stdio.h>
#include <stdlib.h>

void err_release(Err *e)
{
    buf_release(&e->msg);
    e->usage = 0;
}

int err_is_set(const Err *e)
{
    return e->msg.len > 0;
}

const char *err_msg(const Err *e)
{
    return buf_cstr(&e->msg);
}

int err_set(Err *e, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&e->msg);
    va_start(ap, fmt);
    buf_vprintf(&e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int err_at(Err *e, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&e->msg);
    if (line > 0)
        buf_printf(&e->msg, "%s:%ld: ", file, line);
    else
        buf_printf(&e->msg, "%s: ", file);
    va_start(ap, fmt);
    buf_vprintf(&e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void err_prefix(Err *e, const char *file, long line)
{
    Buf b = BUF_INIT;
    if (line > 0)
        buf_printf(&b, "%s:%ld: %s", file, line, err_msg(e));
    else
        buf_printf(&b, "%s: %s", file, err_msg(e));
    buf_release(&e->msg);
    e->msg = b;
}

_Noreturn void panic_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kpi: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
