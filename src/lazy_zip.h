/* lazy_zip.h — reading and writing zip archives (docx, xlsx, zipped police.uk months).
 * The library is opened on first use (lazy.h), so
 * that a command that does not need it does not load it. Include this after
 * the library's own header; call lazy_zip_load before the first call. Every
 * function of the library kpi calls is listed here: kpi does not link the
 * library, so a call to one not listed fails the link. */
#ifndef KPI_LAZY_ZIP_H
#define KPI_LAZY_ZIP_H

#include <zip.h>

#include "err.h"
#include "lazy.h"

#define LAZY_ZIP_SYMS(X) \
    X(zip_close) \
    X(zip_discard) \
    X(zip_error_fini) \
    X(zip_error_init) \
    X(zip_error_init_with_code) \
    X(zip_error_strerror) \
    X(zip_fclose) \
    X(zip_file_add) \
    X(zip_file_strerror) \
    X(zip_fopen) \
    X(zip_fopen_index) \
    X(zip_fread) \
    X(zip_get_name) \
    X(zip_get_num_entries) \
    X(zip_open) \
    X(zip_open_from_source) \
    X(zip_source_buffer) \
    X(zip_source_buffer_create) \
    X(zip_source_close) \
    X(zip_source_free) \
    X(zip_source_keep) \
    X(zip_source_open) \
    X(zip_source_read) \
    X(zip_source_stat) \
    X(zip_stat) \
    X(zip_stat_index) \
    X(zip_strerror)

typedef struct LazyFnsZip {
    LAZY_ZIP_SYMS(LAZY_FIELD)
} LazyFnsZip;
extern LazyFnsZip lazy_zip;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libzip.so.4, which cannot be
 * loaded: ..." in err. */
int lazy_zip_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define zip_close (lazy_zip.zip_close)
#define zip_discard (lazy_zip.zip_discard)
#define zip_error_fini (lazy_zip.zip_error_fini)
#define zip_error_init (lazy_zip.zip_error_init)
#define zip_error_init_with_code (lazy_zip.zip_error_init_with_code)
#define zip_error_strerror (lazy_zip.zip_error_strerror)
#define zip_fclose (lazy_zip.zip_fclose)
#define zip_file_add (lazy_zip.zip_file_add)
#define zip_file_strerror (lazy_zip.zip_file_strerror)
#define zip_fopen (lazy_zip.zip_fopen)
#define zip_fopen_index (lazy_zip.zip_fopen_index)
#define zip_fread (lazy_zip.zip_fread)
#define zip_get_name (lazy_zip.zip_get_name)
#define zip_get_num_entries (lazy_zip.zip_get_num_entries)
#define zip_open (lazy_zip.zip_open)
#define zip_open_from_source (lazy_zip.zip_open_from_source)
#define zip_source_buffer (lazy_zip.zip_source_buffer)
#define zip_source_buffer_create (lazy_zip.zip_source_buffer_create)
#define zip_source_close (lazy_zip.zip_source_close)
#define zip_source_free (lazy_zip.zip_source_free)
#define zip_source_keep (lazy_zip.zip_source_keep)
#define zip_source_open (lazy_zip.zip_source_open)
#define zip_source_read (lazy_zip.zip_source_read)
#define zip_source_stat (lazy_zip.zip_source_stat)
#define zip_stat (lazy_zip.zip_stat)
#define zip_stat_index (lazy_zip.zip_stat_index)
#define zip_strerror (lazy_zip.zip_strerror)
#endif

#endif
