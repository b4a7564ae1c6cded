/* lazy.h — shared libraries opened on first use. kpi links only what every
 * command needs (SQLite, libsodium, zlib); PostgreSQL's libpq, cairo and
 * pango, libzip, libxlsxwriter and libmicrohttpd (with some sixty libraries
 * they pull in) are opened with dlopen by the first command that needs them,
 * so `kpi help` or a CSV compare does not pay for loading them. Each library
 * has a header lazy_NAME.h: a table of the functions kpi calls (filled from
 * the library by lazy_NAME_load) and a macro per function that sends calls
 * through it, so the code calling the library is written as usual. */
#ifndef KPI_LAZY_H
#define KPI_LAZY_H

#include <pthread.h>

#include "err.h"

/* One library: what it is for (for the error), the Debian package that has
 * it, the file names tried in order, and fill, which looks every function up
 * in an opened library (NULL, or the name of the first missing). */
typedef struct LazyLib {
    const char *what, *package;
    const char *const *sonames;
    const char *(*fill)(void *handle);
    pthread_mutex_t lock;
    int state; /* 0 not tried, 1 loaded, -1 failed (why holds the message) */
    char why[512];
} LazyLib;

/* Open lib once (thread-safe; never closed). 0, or -1 with err set to
 * "WHAT needs SONAME, which cannot be loaded: DLERROR (Debian package PKG)". */
int lazy_load(LazyLib *lib, Err *err);

/* For the tables of lazy_NAME.h: a field per function, and its lookup. */
#define LAZY_FIELD(name) __typeof__(name) *name;
#define LAZY_FILL(table, handle, name)                                                                     \
    if (!(*(void **)&(table).name = dlsym(handle, #name)))                                                 \
        return #name;

#endif
