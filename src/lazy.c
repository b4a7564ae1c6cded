/* lazy.c — open a library on first use (lazy.h) and the tables of lazy_*.h. */
#define LAZY_IMPL /* the real functions here, not the tables' macros */
#include "lazy.h"

#include <dlfcn.h>
#include <stdio.h>

#include "lazy_curl.h"
#include "lazy_gfx.h"
#include "lazy_mhd.h"
#include "lazy_pq.h"
#include "lazy_xlsxwriter.h"
#include "lazy_zip.h"

int lazy_load(LazyLib *lib, Err *err)
{
    pthread_mutex_lock(&lib->lock);
    if (lib->state == 0) {
        void *h = NULL;
        const char *why = NULL;
        for (int k = 0; lib->sonames[k] && !h; k++) {
            h = dlopen(lib->sonames[k], RTLD_NOW | RTLD_LOCAL);
            if (!h && k == 0)
                snprintf(lib->why, sizeof lib->why, "%s needs %s, which cannot be loaded: %s (Debian package %s)",
                         lib->what, lib->sonames[0], dlerror(), lib->package);
        }
        if (h && (why = lib->fill(h)) != NULL)
            snprintf(lib->why, sizeof lib->why, "%s: %s has no function %s (too old a version?)", lib->what,
                     lib->sonames[0], why);
        lib->state = h && !why ? 1 : -1; /* the library stays open for the life of the process */
    }
    int rc = lib->state;
    pthread_mutex_unlock(&lib->lock);
    if (rc < 0)
        return err_set(err, "%s", lib->why);
    return 0;
}

LazyFnsPq lazy_pq;
static const char *const lazy_pq_sonames[] = {"libpq.so.5", "libpq.so", NULL};

static const char *lazy_pq_fill(void *h)
{
#define LAZY_PQ_FILL(name) LAZY_FILL(lazy_pq, h, name)
    LAZY_PQ_SYMS(LAZY_PQ_FILL)
#undef LAZY_PQ_FILL
    return NULL;
}

static LazyLib lazy_pq_lib = {"PostgreSQL (--db postgresql://...)", "libpq5",
                            lazy_pq_sonames, lazy_pq_fill, PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_pq_load(Err *err)
{
    return lazy_load(&lazy_pq_lib, err);
}

LazyFnsGfx lazy_gfx;
static const char *const lazy_gfx_sonames[] = {"libpangocairo-1.0.so.0", "libpangocairo-1.0.so", NULL};

static const char *lazy_gfx_fill(void *h)
{
#define LAZY_GFX_FILL(name) LAZY_FILL(lazy_gfx, h, name)
    LAZY_GFX_SYMS(LAZY_GFX_FILL)
#undef LAZY_GFX_FILL
    return NULL;
}

static LazyLib lazy_gfx_lib = {"PDF and charts as images (cairo and pango)", "libpangocairo-1.0-0",
                            lazy_gfx_sonames, lazy_gfx_fill, PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_gfx_load(Err *err)
{
    return lazy_load(&lazy_gfx_lib, err);
}

LazyFnsZip lazy_zip;
static const char *const lazy_zip_sonames[] = {"libzip.so.4", "libzip.so.5", "libzip.so", NULL};

static const char *lazy_zip_fill(void *h)
{
#define LAZY_ZIP_FILL(name) LAZY_FILL(lazy_zip, h, name)
    LAZY_ZIP_SYMS(LAZY_ZIP_FILL)
#undef LAZY_ZIP_FILL
    return NULL;
}

static LazyLib lazy_zip_lib = {"reading and writing zip archives (docx, xlsx, zipped police.uk months)", "libzip4",
                            lazy_zip_sonames, lazy_zip_fill, PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_zip_load(Err *err)
{
    return lazy_load(&lazy_zip_lib, err);
}

LazyFnsXlsxwriter lazy_xlsxwriter;
static const char *const lazy_xlsxwriter_sonames[] = {"libxlsxwriter.so.4", "libxlsxwriter.so.5", "libxlsxwriter.so",
                                                      NULL};

static const char *lazy_xlsxwriter_fill(void *h)
{
#define LAZY_XLSXWRITER_FILL(name) LAZY_FILL(lazy_xlsxwriter, h, name)
    LAZY_XLSXWRITER_SYMS(LAZY_XLSXWRITER_FILL)
#undef LAZY_XLSXWRITER_FILL
    return NULL;
}

static LazyLib lazy_xlsxwriter_lib = {"Excel output (libxlsxwriter)", "libxlsxwriter4",
                            lazy_xlsxwriter_sonames, lazy_xlsxwriter_fill, PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_xlsxwriter_load(Err *err)
{
    return lazy_load(&lazy_xlsxwriter_lib, err);
}

LazyFnsMhd lazy_mhd;
static const char *const lazy_mhd_sonames[] = {"libmicrohttpd.so.12", "libmicrohttpd.so", NULL};

static const char *lazy_mhd_fill(void *h)
{
#define LAZY_MHD_FILL(name) LAZY_FILL(lazy_mhd, h, name)
    LAZY_MHD_SYMS(LAZY_MHD_FILL)
#undef LAZY_MHD_FILL
    return NULL;
}

static LazyLib lazy_mhd_lib = {"the web server (libmicrohttpd)", "libmicrohttpd12",
                            lazy_mhd_sonames, lazy_mhd_fill, PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_mhd_load(Err *err)
{
    return lazy_load(&lazy_mhd_lib, err);
}

LazyFnsCurl lazy_curl;
static const char *const lazy_curl_sonames[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};

static const char *lazy_curl_fill(void *h)
{
#define LAZY_CURL_FILL(name) LAZY_FILL(lazy_curl, h, name)
    LAZY_CURL_SYMS(LAZY_CURL_FILL)
#undef LAZY_CURL_FILL
    return NULL;
}

static LazyLib lazy_curl_lib = {"sending e-mail (libcurl)", "libcurl4", lazy_curl_sonames, lazy_curl_fill,
                                PTHREAD_MUTEX_INITIALIZER, 0, ""};

int lazy_curl_load(Err *err)
{
    return lazy_load(&lazy_curl_lib, err);
}
