/* cmd_user.c — `kpi user` and `kpi token`: accounts of the web application.
 * A password is read from the first line of standard input (never from the
 * command line, where other users could see it); a token is printed once, on
 * the last line, and only its hash is stored. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cycle.h"
#include "users.h"
#include "web.h"

/* The first line of stdin, without its line ending. */
static int user_read_password(Buf *out, Err *err)
{
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        buf_putc(out, (char)c);
        if (out->len > 4096)
            return err_set(err, "the password is too long");
    }
    if (out->len && out->data[out->len - 1] == '\r')
        out->data[--out->len] = '\0';
    if (!out->len)
        return err_set(err, "give the password on the first line of standard input (it is empty)");
    if (memchr(out->data, '\0', out->len))
        return err_set(err, "the password holds a NUL byte");
    return 0;
}

static int user_add(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    UserRole role;
    Buf pw = BUF_INIT;
    char hash[crypto_pwhash_STRBYTES];
    int rc = -1, opened = 0, created = 0;

    CliCtx sub = {ctx->db_url, ctx->argc - 1, ctx->argv + 1, ctx->cmd};
    if (cli_parse(&sub, &o, err) < 0)
        return -1;
    const char *name = o.npos == 1 ? o.pos[0] : NULL, *partner = cli_opt(&o, "partner");
    if (!name) {
        cli_usage_error(err, "user add needs exactly one NAME");
        goto out;
    }
    if (!cli_opt(&o, "role") || users_role_parse(cli_opt(&o, "role"), &role) < 0) {
        cli_usage_error(err, "--role must be admin, editor or viewer (or officer)");
        goto out;
    }
    const char *email = cli_opt(&o, "email");
    if (email && (strlen(email) > 254 || !strchr(email, '@') || strpbrk(email, " \t\r\n<>,;\"") ||
                  email[0] == '@' || strchr(email, '@')[1] == '\0')) {
        cli_usage_error(err, "--email '%s' is not an e-mail address (name@example.org)", email);
        goto out;
    }
    if (role == ROLE_EDITOR && !partner) {
        cli_usage_error(err, "an editor needs --partner (the organisation whose data it enters)");
        goto out;
    }
    if (users_name_check(name, err) < 0 || user_read_password(&pw, err) < 0)
        goto out;
    if (sodium_init() < 0) {
        err_set(err, "libsodium cannot start");
        goto out;
    }
    if (web_auth_password_hash(buf_cstr(&pw), hash, err) < 0)
        goto out;
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    int64_t pid = 0;
    if (partner && store_partner_id(&s, partner, 0, &pid, err) < 0)
        goto out;
    created = partner && !pid;
    if (store_begin(&s, err) < 0)
        goto out;
    if (users_add(&s, name, role, partner, 1, hash, err) < 0 ||
        (email && cycle_user_email_set(&s, name, email, err) < 0) || store_commit(&s, err) < 0) {
        store_rollback(&s);
        goto out;
    }
    printf("added user %s (%s%s%s%s%s%s)\n", name, users_role_name(role), partner ? ", partner " : "",
           partner ? partner : "", created ? ", a new partner" : "", email ? ", " : "", email ? email : "");
    rc = 0;
out:
    if (opened)
        store_close(&s);
    if (pw.data)
        sodium_memzero(pw.data, pw.len);
    buf_release(&pw);
    cli_opts_release(&o);
    return rc;
}

static int user_list(CliCtx *ctx, Err *err)
{
    Store s;
    User *users = NULL;
    int n = 0, rc = -1;
    if (ctx->argc != 1)
        return cli_usage_error(err, "user list takes no arguments");
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        return -1;
    if (users_list(&s, &users, &n, err) < 0)
        goto out;
    printf("name,role,partner\n");
    for (int i = 0; i < n; i++)
        printf("%s,%s,%s\n", users[i].name, users_role_name(users[i].role), users[i].partner ? users[i].partner : "");
    rc = 0;
out:
    users_list_free(users, n);
    store_close(&s);
    return rc;
}

int cmd_user(CliCtx *ctx, Err *err)
{
    if (ctx->argc >= 1 && strcmp(ctx->argv[0], "add") == 0)
        return user_add(ctx, err);
    if (ctx->argc >= 1 && strcmp(ctx->argv[0], "list") == 0)
        return user_list(ctx, err);
    return cli_usage_error(err, "expected `user add NAME --role R [--partner P]` or `user list`");
}

int cmd_token(CliCtx *ctx, Err *err)
{
    Store s;
    User u;
    char tok[2 * WEB_SECRET_BYTES + 1], hash[WEB_HASH_HEX + 1];
    int found = 0, rc = -1;

    if (ctx->argc != 2 || strcmp(ctx->argv[0], "add") != 0)
        return cli_usage_error(err, "expected `token add NAME`");
    if (sodium_init() < 0)
        return err_set(err, "libsodium cannot start");
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        return -1;
    if (users_find(&s, ctx->argv[1], &u, NULL, &found, err) < 0)
        goto out;
    if (!found) {
        err_set(err, "no user '%s' (add it with `kpi user add`)", ctx->argv[1]);
        goto out;
    }
    web_auth_random_hex(tok, WEB_SECRET_BYTES);
    web_auth_hash_hex(tok, hash);
    if (store_begin(&s, err) < 0)
        goto out;
    if (users_token_add(&s, u.id, hash, err) < 0 || store_commit(&s, err) < 0) {
        store_rollback(&s);
        goto out;
    }
    printf("API token for %s (%s). It is shown only now; send it as `Authorization: Bearer TOKEN`:\n%s\n", u.name,
           users_role_name(u.role), tok);
    sodium_memzero(tok, sizeof tok);
    rc = 0;
out:
    if (found)
        users_release(&u);
    store_close(&s);
    return rc;
}
