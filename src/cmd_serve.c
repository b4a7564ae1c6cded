/* cmd_serve.c — `kpi serve`: a supervisor and a worker.
 *
 * The supervisor binds the listening socket, then forks a worker that serves
 * on it (web_serve, web.c). When the worker dies, by any signal or exit, the
 * supervisor says so on standard error, naming the requests it was serving
 * (the worker publishes them in a shared-memory WebInflight), and starts a new
 * worker on the same socket at once: connections arriving meanwhile wait in
 * the socket's queue, so a crash costs the requests in flight, not the site.
 * Workers dying in a tight loop are restarted more and more slowly. SIGTERM or
 * SIGINT to the supervisor stops the worker (in-flight requests finish) and
 * then the supervisor: exit 0 when the worker stopped cleanly.
 * `--no-supervise` serves in this process, without a supervisor (debugging). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "web.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"
#define SERVE_BURST 10         /* this many worker deaths ... */
#define SERVE_BURST_SECONDS 10 /* ... within this many seconds (a crash loop) slow the restarts down */
#define SERVE_MAX_DELAY 30     /* seconds between restarts at most */
#define SERVE_STOP_SECONDS 20  /* a stopping worker gets this long before SIGKILL */

/* "ADDR:PORT" (IPv4, or [IPv6]:PORT) into a socket address. */
static int serve_listen_parse(const char *text, struct sockaddr_storage *ss, Err *err)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text)
        return cli_usage_error(err, "--listen '%s': expected ADDR:PORT (e.g. 127.0.0.1:8080)", text);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535)
        return cli_usage_error(err, "--listen '%s': bad port", text);
    char *host = xstrndup(text, (size_t)(colon - text));
    int rc = 0;
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[strlen(host) - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            rc = cli_usage_error(err, "--listen '%s': bad address", text);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &a4->sin_addr) != 1)
            rc = cli_usage_error(err, "--listen '%s': bad address", text);
    }
    free(host);
    return rc;
}

/* A listening TCP socket on ss; -1 with err set. */
static int serve_listen(const struct sockaddr_storage *ss, const char *text, Err *err)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err_set(err, "cannot listen on %s: %s", text, strerror(errno));
        return -1;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (ss->ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        err_set(err, "cannot listen on %s: %s", text, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static double serve_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How the worker ended, in words, into b. */
static void serve_status_text(Buf *b, int status)
{
    if (WIFSIGNALED(status))
        buf_printf(b, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        buf_printf(b, "exited with status %d", WEXITSTATUS(status));
}

/* The requests the dead worker was serving, into b; the slots are cleared. */
static void serve_inflight_text(Buf *b, WebInflight *in)
{
    static const char *const stage[] = {"", "reading the request", "running", "sending the response"};
    int n = 0;
    for (int i = 0; i < WEB_INFLIGHT_SLOTS; i++) {
        WebSlot *sl = &in->slots[i];
        int st = atomic_load(&sl->state);
        if (st == WEB_SLOT_FREE)
            continue;
        buf_puts(b, n++ ? "; " : " while serving: ");
        for (int k = 0; k < WEB_INFLIGHT_LINE && sl->line[k]; k++) {
            unsigned char c = (unsigned char)sl->line[k];
            buf_putc(b, c < 0x20 || c == 0x7f ? '?' : (char)c); /* the path is the client's */
        }
        if (st > WEB_SLOT_FREE && st <= WEB_SLOT_SENDING)
            buf_printf(b, " (%s)", stage[st]);
    }
    if (!n)
        buf_puts(b, " with no request in flight");
    memset(in, 0, sizeof *in);
}

/* The worker's side of the fork: serve until told to stop, then exit. */
static int serve_worker(const WebConfig *cfg, const sigset_t *mask, pid_t supervisor, Err *err)
{
    /* Stop when the supervisor dies, whatever kills it; leave the terminal's
     * Ctrl-C to the supervisor, which stops the worker itself. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != supervisor)
        return 0; /* it died before prctl */
    setpgid(0, 0);
    sigprocmask(SIG_SETMASK, mask, NULL);
    return web_serve(cfg, err);
}

typedef struct Supervisor {
    WebConfig cfg;
    sigset_t old_mask;     /* the mask the worker starts with */
    pid_t worker;          /* 0: none running */
    int started;           /* workers started so far */
    double started_at;     /* when the running worker started */
    int delay;             /* seconds between restarts while workers keep dying; 0: none */
    double deaths[SERVE_BURST];
    int ndeaths;
} Supervisor;

/* Fork a worker. Returns 1 in the worker (which then serves and returns its
 * result in *worker_rc), 0 in the supervisor, -1 when fork fails. */
static int serve_fork(Supervisor *sv, int *worker_rc, Err *err)
{
    fflush(NULL);
    pid_t self = getpid(), pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        *worker_rc = serve_worker(&sv->cfg, &sv->old_mask, self, err);
        return 1;
    }
    sv->worker = pid;
    sv->started++;
    sv->started_at = serve_now();
    fprintf(stderr, "kpi serve: worker %ld started\n", (long)pid);
    return 0;
}

/* Stop the worker: SIGTERM, then SIGKILL after SERVE_STOP_SECONDS. Returns
 * its wait status. */
static int serve_stop_worker(Supervisor *sv, const sigset_t *set)
{
    int status = 0;
    kill(sv->worker, SIGTERM);
    double deadline = serve_now() + SERVE_STOP_SECONDS;
    for (;;) {
        pid_t w = waitpid(sv->worker, &status, WNOHANG);
        if (w == sv->worker || (w < 0 && errno != EINTR))
            break;
        double left = deadline - serve_now();
        if (left <= 0) {
            fprintf(stderr, "kpi serve: worker %ld did not stop within %d s: killing it\n", (long)sv->worker,
                    SERVE_STOP_SECONDS);
            kill(sv->worker, SIGKILL);
            waitpid(sv->worker, &status, 0);
            break;
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        sigtimedwait(set, NULL, &ts); /* a SIGCHLD, or another SIGTERM: look again */
    }
    sv->worker = 0;
    return status;
}

/* Run the supervisor until SIGTERM or SIGINT. Returns 0 after a clean stop, 1
 * in a worker that has served and stopped (its result in *worker_rc), -1 with
 * err set when the first worker could not start or the stop was not clean. */
static int serve_supervise(Supervisor *sv, int *worker_rc, Err *err)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, &sv->old_mask);
    double restart_at = 0;
    int rc;

    if ((rc = serve_fork(sv, worker_rc, err)) != 0) {
        if (rc < 0)
            err_set(err, "cannot start a worker: %s", strerror(errno));
        goto out;
    }
    for (;;) {
        siginfo_t info;
        struct timespec ts = {1, 0};
        if (!sv->worker) {
            double left = restart_at - serve_now();
            if (left < 0)
                left = 0;
            ts.tv_sec = (time_t)left;
            ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
        }
        int sig = sigtimedwait(&set, &info, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            if (!sv->worker) {
                rc = 0;
                goto out;
            }
            int status = serve_stop_worker(sv, &set);
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                rc = 0;
            } else {
                Buf m = BUF_INIT;
                serve_status_text(&m, status);
                err_set(err, "the worker %s while stopping", buf_cstr(&m));
                buf_release(&m);
                rc = -1;
            }
            goto out;
        }
        int status;
        pid_t w;
        while (sv->worker && (w = waitpid(-1, &status, WNOHANG)) > 0) {
            if (w != sv->worker)
                continue;
            int was_ready = atomic_load(&sv->cfg.inflight->ready);
            Buf m = BUF_INIT;
            buf_printf(&m, "kpi serve: worker %ld ", (long)w);
            serve_status_text(&m, status);
            serve_inflight_text(&m, sv->cfg.inflight);
            fprintf(stderr, "%s\n", buf_cstr(&m));
            buf_release(&m);
            sv->worker = 0;
            if (sv->started == 1 && !was_ready) {
                err_set(err, "the server did not start");
                rc = -1;
                goto out;
            }
            /* Restart at once, unless workers keep dying (SERVE_BURST deaths
             * within SERVE_BURST_SECONDS): then wait 1 s, and twice as long
             * after each worker that again lives less than that, up to
             * SERVE_MAX_DELAY; a worker that lives longer ends the waits. */
            double now = serve_now(), lived = now - sv->started_at;
            memmove(sv->deaths + 1, sv->deaths, (SERVE_BURST - 1) * sizeof *sv->deaths);
            sv->deaths[0] = now;
            if (sv->ndeaths < SERVE_BURST)
                sv->ndeaths++;
            if (sv->delay && lived < SERVE_BURST_SECONDS)
                sv->delay = sv->delay * 2 > SERVE_MAX_DELAY ? SERVE_MAX_DELAY : sv->delay * 2;
            else
                sv->delay = 0;
            if (!sv->delay && sv->ndeaths == SERVE_BURST && now - sv->deaths[SERVE_BURST - 1] < SERVE_BURST_SECONDS)
                sv->delay = 1;
            restart_at = now + sv->delay;
            if (sv->delay)
                fprintf(stderr, "kpi serve: workers keep dying (%d within %d s): waiting %d s before the next\n",
                        SERVE_BURST, SERVE_BURST_SECONDS, sv->delay);
        }
        if (!sv->worker && serve_now() >= restart_at) {
            if ((rc = serve_fork(sv, worker_rc, err)) > 0)
                goto out;
            if (rc < 0) {
                fprintf(stderr, "kpi serve: cannot start a worker: %s\n", strerror(errno));
                restart_at = serve_now() + 1;
            }
        }
    }
out:
    if (rc != 1)
        sigprocmask(SIG_SETMASK, &sv->old_mask, NULL);
    return rc;
}

int cmd_serve(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    struct sockaddr_storage ss;
    WebInflight *inflight = MAP_FAILED;
    int rc = -1, fd = -1;

    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos) {
        cli_usage_error(err, "unexpected argument '%s'", o.pos[0]);
        goto out;
    }
    if (cli_opt(&o, "routes")) { /* the route table, as `kpi help` lists commands */
        static const char *const who[] = {"anyone", "signed in", "editor", "admin"};
        for (const WebRoute *rt = web_routes; rt->path; rt++)
            printf("%-4s %-18s %-9s %s\n", rt->method, rt->path, who[rt->access], rt->help);
        rc = 0;
        goto out;
    }
    const char *listen_text = cli_opt(&o, "listen") ? cli_opt(&o, "listen") : SERVE_DEFAULT_LISTEN;
    if (serve_listen_parse(listen_text, &ss, err) < 0)
        goto out;
    /* One server thread per core by default. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cores < WEB_MIN_THREADS ? WEB_MIN_THREADS : (unsigned)cores;
    if (cli_opt(&o, "threads")) {
        char *end;
        long t = strtol(cli_opt(&o, "threads"), &end, 10);
        if (*end || t < 1 || t > WEB_MAX_THREADS) {
            cli_usage_error(err, "--threads must be a number from 1 to %d", WEB_MAX_THREADS);
            goto out;
        }
        threads = (unsigned)t;
    }
    const char *templates = cli_opt(&o, "templates");
    struct stat st;
    if (templates && (stat(templates, &st) != 0 || !S_ISDIR(st.st_mode))) {
        err_set(err, "--templates %s: not a folder", templates);
        goto out;
    }
    /* Open once here: brings an older database up to date, and fails early.
     * Closed again before any fork: a worker opens its own. */
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    store_close(&s);
    if ((fd = serve_listen(&ss, listen_text, err)) < 0)
        goto out;
    int public_mode = cli_opt(&o, "public") != NULL;
    fprintf(stderr, "kpi: serving %s on http://%s/%s\n", ctx->db_url, listen_text,
            public_mode ? " (public: anyone may read)" : "");
    WebConfig cfg = {ctx->db_url, public_mode, templates, threads, fd, NULL};
    if (cli_opt(&o, "no-supervise")) {
        fd = -1; /* the server owns it now */
        rc = web_serve(&cfg, err);
        goto out;
    }
    inflight = mmap(NULL, sizeof *inflight, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (inflight == MAP_FAILED) {
        err_set(err, "cannot map shared memory: %s", strerror(errno));
        goto out;
    }
    cfg.inflight = inflight;
    Supervisor sv;
    memset(&sv, 0, sizeof sv);
    sv.cfg = cfg;
    signal(SIGPIPE, SIG_IGN);
    int worker_rc = -1;
    rc = serve_supervise(&sv, &worker_rc, err);
    if (rc == 1) { /* this is a worker that has stopped: its listening socket is closed */
        fd = -1;
        rc = worker_rc;
    }
out:
    if (fd >= 0)
        close(fd);
    if (inflight != MAP_FAILED)
        munmap(inflight, sizeof *inflight);
    cli_opts_release(&o);
    return rc;
}
