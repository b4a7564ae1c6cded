/* lazy_mhd.h — the web server (libmicrohttpd).
 * The library is opened on first use (lazy.h), so
 * that a command that does not need it does not load it. Include this after
 * the library's own header; call lazy_mhd_load before the first call. Every
 * function of the library kpi calls is listed here: kpi does not link the
 * library, so a call to one not listed fails the link. */
#ifndef KPI_LAZY_MHD_H
#define KPI_LAZY_MHD_H

#include <microhttpd.h>

#include "err.h"
#include "lazy.h"

#define LAZY_MHD_SYMS(X) \
    X(MHD_add_response_header) \
    X(MHD_create_response_from_buffer) \
    X(MHD_destroy_response) \
    X(MHD_get_connection_info) \
    X(MHD_lookup_connection_value) \
    X(MHD_queue_response) \
    X(MHD_start_daemon) \
    X(MHD_stop_daemon)

typedef struct LazyFnsMhd {
    LAZY_MHD_SYMS(LAZY_FIELD)
} LazyFnsMhd;
extern LazyFnsMhd lazy_mhd;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libmicrohttpd.so.12, which cannot be
 * loaded: ..." in err. */
int lazy_mhd_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define MHD_add_response_header (lazy_mhd.MHD_add_response_header)
#define MHD_create_response_from_buffer (lazy_mhd.MHD_create_response_from_buffer)
#define MHD_destroy_response (lazy_mhd.MHD_destroy_response)
#define MHD_get_connection_info (lazy_mhd.MHD_get_connection_info)
#define MHD_lookup_connection_value (lazy_mhd.MHD_lookup_connection_value)
#define MHD_queue_response (lazy_mhd.MHD_queue_response)
#define MHD_start_daemon (lazy_mhd.MHD_start_daemon)
#define MHD_stop_daemon (lazy_mhd.MHD_stop_daemon)
#endif

#endif
