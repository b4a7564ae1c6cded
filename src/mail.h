/* mail.h — sending e-mail over SMTP with libcurl (kpi remind). The server
 * and account come from the environment: KPI_SMTP_URL (smtp://HOST:PORT,
 * upgraded with STARTTLS when the server offers it, or smtps://HOST:PORT,
 * TLS from the start), KPI_SMTP_USER and KPI_SMTP_PASSWORD (both or
 * neither: AUTH when given), KPI_MAIL_FROM (the sender; default
 * kpi@localhost). With a user and password TLS is required (STARTTLS must be
 * offered); without, STARTTLS is used when offered. Certificates are verified
 * as libcurl does by default, against the system's CAs or, when
 * KPI_SMTP_CA_FILE names a PEM file, against the CAs in it instead. */
#ifndef KPI_MAIL_H
#define KPI_MAIL_H

#include "err.h"

typedef struct MailConfig {
    const char *url, *user, *password, *from; /* not owned (the environment's) */
    const char *ca_file;                      /* KPI_SMTP_CA_FILE, or NULL: the system's CAs */
} MailConfig;

/* Read the settings from the environment; -1 with err when KPI_SMTP_URL is
 * missing, not smtp:// or smtps:// or holds a user name, only one of user and
 * password is set, or KPI_SMTP_CA_FILE is set but cannot be read. */
int mail_config_env(MailConfig *c /* OUT */, Err *err);
/* Send one plain-text (UTF-8) message to one address; the subject and
 * addresses may not hold line breaks. 0, or -1 with err naming the address
 * and the server and saying what the server or connection said (in words for
 * a refused login, a server without TLS when a password is set, and a
 * certificate not trusted). Gives up after 30 seconds. */
int mail_send(const MailConfig *c, const char *to, const char *subject, const char *body, Err *err);

#endif
