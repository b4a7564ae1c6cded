/* test_lazy.c — libraries opened on first use (lazy.h): a library found and
 * its functions looked up once; a library missing, or without a function
 * kpi calls, is a clear error (naming the file and the Debian package) every
 * time it is asked for, and nothing is called through an empty table; the
 * real tables load (libpq, cairo and pango, libzip, libxlsxwriter,
 * libmicrohttpd are installed wherever kpi builds). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <string.h>

#include "lazy.h"
#include "lazy_gfx.h"
#include "lazy_mhd.h"
#include "lazy_pq.h"
#include "lazy_xlsxwriter.h"
#include "lazy_zip.h"

static int fills;
static const char *(*zlib_version)(void);

static const char *fill_zlib(void *h)
{
    fills++;
    if (!(*(void **)&zlib_version = dlsym(h, "zlibVersion")))
        return "zlibVersion";
    return NULL;
}

static const char *fill_missing(void *h)
{
    (void)h;
    return "no_such_function";
}

static void test_found(void **state)
{
    (void)state;
    static const char *const names[] = {"libz.so.1", NULL};
    static LazyLib lib = {"compression", "zlib1g", names, fill_zlib, PTHREAD_MUTEX_INITIALIZER, 0, ""};
    Err err = ERR_INIT;
    assert_int_equal(lazy_load(&lib, &err), 0);
    assert_int_equal(lazy_load(&lib, &err), 0);
    assert_int_equal(fills, 1); /* looked up once */
    assert_non_null(zlib_version);
    assert_true(strlen(zlib_version()) > 0);
    err_release(&err);
}

static void test_missing_library(void **state)
{
    (void)state;
    static const char *const names[] = {"libkpi-no-such-library.so.9", "libkpi-no-such-library.so", NULL};
    static LazyLib lib = {"charts (a test)", "libkpi-none9", names, fill_zlib, PTHREAD_MUTEX_INITIALIZER, 0, ""};
    for (int k = 0; k < 2; k++) { /* the same answer when asked again */
        Err err = ERR_INIT;
        assert_int_equal(lazy_load(&lib, &err), -1);
        assert_non_null(strstr(err_msg(&err), "charts (a test) needs libkpi-no-such-library.so.9, which cannot be loaded"));
        assert_non_null(strstr(err_msg(&err), "(Debian package libkpi-none9)"));
        err_release(&err);
    }
}

static void test_missing_function(void **state)
{
    (void)state;
    static const char *const names[] = {"libz.so.1", NULL};
    static LazyLib lib = {"compression", "zlib1g", names, fill_missing, PTHREAD_MUTEX_INITIALIZER, 0, ""};
    Err err = ERR_INIT;
    assert_int_equal(lazy_load(&lib, &err), -1);
    assert_string_equal(err_msg(&err), "compression: libz.so.1 has no function no_such_function (too old a version?)");
    err_release(&err);
}

static void test_real_tables(void **state)
{
    (void)state;
    Err err = ERR_INIT;
    assert_int_equal(lazy_pq_load(&err), 0);
    assert_int_equal(lazy_gfx_load(&err), 0);
    assert_int_equal(lazy_zip_load(&err), 0);
    assert_int_equal(lazy_xlsxwriter_load(&err), 0);
    assert_int_equal(lazy_mhd_load(&err), 0);
    /* each table is filled, and a call through it reaches the library */
    assert_true(PQconnectdbParams != NULL); /* the macros name the tables' entries */
    assert_true(cairo_create != NULL);
    assert_true(zip_open != NULL);
    assert_true(workbook_new_opt != NULL);
    assert_true(MHD_start_daemon != NULL);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    err_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_missing_function),
        cmocka_unit_test(test_real_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
