/* mail.c — one message at a time over SMTP through libcurl (see mail.h). */
#include "mail.h"

#include "lazy_curl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAIL_TIMEOUT_SECONDS 30L

int mail_config_env(MailConfig *c, Err *err)
{
    memset(c, 0, sizeof *c);
    c->url = getenv("KPI_SMTP_URL");
    c->user = getenv("KPI_SMTP_USER");
    c->password = getenv("KPI_SMTP_PASSWORD");
    c->from = getenv("KPI_MAIL_FROM");
    c->ca_file = getenv("KPI_SMTP_CA_FILE");
    if (!c->url || !*c->url)
        return err_set(err, "set KPI_SMTP_URL to the mail server (smtp://HOST:PORT or smtps://HOST:PORT)");
    if (strncmp(c->url, "smtp://", 7) != 0 && strncmp(c->url, "smtps://", 8) != 0)
        return err_set(err, "KPI_SMTP_URL '%s' must start with smtp:// or smtps://", c->url);
    /* user:password@ in the URL would escape the TLS rule (mail_send requires TLS only with
     * KPI_SMTP_USER) and be printed in errors */
    const char *host = strstr(c->url, "://") + 3;
    if (memchr(host, '@', strcspn(host, "/?#")))
        return err_set(err, "KPI_SMTP_URL holds a user name: put the user and password in KPI_SMTP_USER and "
                            "KPI_SMTP_PASSWORD instead");
    if (c->ca_file && !*c->ca_file)
        c->ca_file = NULL;
    if (c->ca_file) {
        FILE *f = fopen(c->ca_file, "r");
        if (!f)
            return err_set(err, "KPI_SMTP_CA_FILE '%s' cannot be read", c->ca_file);
        fclose(f);
    }
    if (c->user && !*c->user)
        c->user = NULL;
    if (c->password && !*c->password)
        c->password = NULL;
    if (!c->user != !c->password)
        return err_set(err, "set both KPI_SMTP_USER and KPI_SMTP_PASSWORD, or neither");
    if (!c->from || !*c->from)
        c->from = "kpi@localhost";
    return 0;
}

typedef struct MailReader {
    const char *data;
    size_t len, at;
} MailReader;

static size_t mail_read(char *ptr, size_t size, size_t nmemb, void *arg)
{
    MailReader *r = arg;
    size_t room = size * nmemb, n = r->len - r->at;
    if (n > room)
        n = room;
    memcpy(ptr, r->data + r->at, n);
    r->at += n;
    return n;
}

static int mail_header_ok(const char *s)
{
    return s && !strpbrk(s, "\r\n");
}

/* The body with every line ending CRLF (SMTP's), and a line that starts with
 * a dot kept as it is by libcurl (it escapes dots itself). */
static void mail_body(Buf *out, const char *body)
{
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            buf_putc(out, '\r');
        buf_putc(out, *p);
    }
    if (out->len < 2 || out->data[out->len - 1] != '\n')
        buf_puts(out, "\r\n");
}

int mail_send(const MailConfig *c, const char *to, const char *subject, const char *body, Err *err)
{
    if (!mail_header_ok(to) || !mail_header_ok(subject) || !mail_header_ok(c->from))
        return err_set(err, "an e-mail address or subject holds a line break");
    if (lazy_curl_load(err) < 0)
        return -1;
    Buf msg = BUF_INIT, addr = BUF_INIT;
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    buf_printf(&msg,
               "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
               date, c->from, to, subject);
    mail_body(&msg, body);

    int rc = -1;
    CURL *curl = curl_easy_init();
    struct curl_slist *rcpt = NULL;
    if (!curl) {
        err_set(err, "cannot start libcurl");
        goto out;
    }
    MailReader rd = {msg.data, msg.len, 0};
    buf_printf(&addr, "<%s>", c->from);
    curl_easy_setopt(curl, CURLOPT_URL, c->url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, buf_cstr(&addr));
    rcpt = curl_slist_append(rcpt, to);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &rd);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, MAIL_TIMEOUT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    /* smtp://: STARTTLS when the server offers it; smtps:// is TLS throughout */
    /* a password never travels in clear: with one, TLS is required */
    curl_easy_setopt(curl, CURLOPT_USE_SSL, c->user ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    if (c->ca_file) /* a private CA: trusted instead of the system's */
        curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
    if (c->user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c->password);
    }
    char why[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, why);
    CURLcode res = curl_easy_perform(curl);
    if (res != CURLE_OK) {
        const char *what = why[0] ? why : curl_easy_strerror(res);
        if (res == CURLE_LOGIN_DENIED)
            err_set(err, "mail to %s: the server %s refused the login of KPI_SMTP_USER '%s' (check it and "
                         "KPI_SMTP_PASSWORD): %s", to, c->url, c->user ? c->user : "", what);
        else if (res == CURLE_USE_SSL_FAILED)
            err_set(err, "mail to %s: the server %s offers no TLS (STARTTLS), and the password is never sent in "
                         "clear: %s", to, c->url, what);
        else if (res == CURLE_PEER_FAILED_VERIFICATION)
            err_set(err, "mail to %s: the certificate of the server %s is not trusted (for a private CA set "
                         "KPI_SMTP_CA_FILE to its PEM file): %s", to, c->url, what);
        else
            err_set(err, "mail to %s: server %s: %s", to, c->url, what);
        goto out;
    }
    rc = 0;
out:
    curl_slist_free_all(rcpt);
    if (curl)
        curl_easy_cleanup(curl);
    buf_release(&msg);
    buf_release(&addr);
    return rc;
}
