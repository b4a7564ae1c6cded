/* lazy_curl.h — sending e-mail over SMTP (kpi remind) through libcurl.
 * The library is opened on first use (lazy.h), so that a command that does
 * not send mail does not load it (libcurl pulls in TLS, HTTP/2, LDAP and
 * Kerberos libraries). Include this instead of <curl/curl.h>; call
 * lazy_curl_load before the first call. Every function of the library kpi
 * calls is listed here: kpi does not link the library, so a call to one not
 * listed fails the link. */
#ifndef KPI_LAZY_CURL_H
#define KPI_LAZY_CURL_H

#define CURL_DISABLE_TYPECHECK /* curl_easy_setopt a plain function, not GCC's checking macro */
#include <curl/curl.h>

#include "err.h"
#include "lazy.h"

#define LAZY_CURL_SYMS(X) \
    X(curl_easy_cleanup) \
    X(curl_easy_init) \
    X(curl_easy_perform) \
    X(curl_easy_setopt) \
    X(curl_easy_strerror) \
    X(curl_global_cleanup) \
    X(curl_global_init) \
    X(curl_slist_append) \
    X(curl_slist_free_all)

typedef struct LazyFnsCurl {
    LAZY_CURL_SYMS(LAZY_FIELD)
} LazyFnsCurl;
extern LazyFnsCurl lazy_curl;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libcurl.so.4, which cannot be
 * loaded: ..." in err. */
int lazy_curl_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define curl_easy_cleanup (lazy_curl.curl_easy_cleanup)
#define curl_easy_init (lazy_curl.curl_easy_init)
#define curl_easy_perform (lazy_curl.curl_easy_perform)
#undef curl_easy_setopt /* curl.h wraps it in a macro of its own */
#define curl_easy_setopt (lazy_curl.curl_easy_setopt)
#define curl_easy_strerror (lazy_curl.curl_easy_strerror)
#define curl_global_cleanup (lazy_curl.curl_global_cleanup)
#define curl_global_init (lazy_curl.curl_global_init)
#define curl_slist_append (lazy_curl.curl_slist_append)
#define curl_slist_free_all (lazy_curl.curl_slist_free_all)
#endif

#endif
