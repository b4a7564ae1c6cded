/* police_read.c — finding and reading the street-level files of one
 * `kpi import police`, on every core, in bounded memory.
 *
 * The paths become inputs: a plain file, a gzip file, or one entry of a zip
 * archive. Inputs become jobs: a big plain file is cut into byte ranges that
 * start after a line end, one job each; any other input is one job. Worker
 * threads (one per core) take jobs in order. A plain job reads its range with
 * pread(); a compressed job inflates in a reader thread of its own (zlib or
 * libzip) while the worker parses the blocks it hands over.
 *
 * A range that starts after a line end may still start inside a quoted field
 * that holds a line break. Each job reports where its last record ended; when
 * the inputs' jobs are all done, the worker that finished last checks that
 * each range begins where the one before ended, and reads the rest of the
 * file again from the first place where that is not so (and only an error
 * found on a range that passed that check is real). The files of the real
 * data have no quotes at all, so this never costs anything there.
 *
 * Memory: per worker one read buffer (POLICE_BLOCK plus the longest row
 * allowed) and, for compressed input, POLICE_PIPE_BLOCKS blocks; per job the
 * counts of its range, which grow with distinct (force, month, district,
 * type) keys, never with rows. */
#include "police.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>
#include "lazy_zip.h" /* after the library's header */

#define POLICE_BLOCK (512 * 1024)          /* bytes one read() or inflate step hands the parser */
#define POLICE_PIPE_BLOCKS 4               /* blocks in flight between an inflater and its parser */
#define POLICE_CHUNK_MIN (16LL << 20)      /* smallest byte range worth a job of its own */
#define POLICE_CHUNKS_PER_WORKER 4         /* ranges per worker for a big file: evens out the finish */
#define POLICE_HEADER_MAX (64 * 1024)      /* bytes the header row may take */
#define POLICE_MAX_WORKERS 16              /* threads, whatever the machine has */
#define POLICE_DIR_DEPTH 32                /* directory levels searched */
#define POLICE_PROGRESS_NS 100000000L      /* redraw the bar every 0.1 s */
#define POLICE_BAR 24                      /* characters of the bar */

enum { IN_PLAIN = 1, IN_GZ = 2, IN_ZIP = 3 };
enum { JOB_TODO, JOB_OK, JOB_FAIL, JOB_SKIP };

/* ---- the merged result ---------------------------------------------------- */

uint64_t police_gkey(uint32_t gen, uint32_t district, uint32_t type)
{
    return ((uint64_t)gen << 32) | ((uint64_t)district << 8) | type;
}

void police_gkey_split(uint64_t key, uint32_t *gen, uint32_t *district, uint32_t *type)
{
    *gen = (uint32_t)(key >> 32);
    *district = (uint32_t)((key >> 8) & 0xFFFFFF);
    *type = (uint32_t)(key & 0xFF);
}

void police_read_init(PoliceRead *r)
{
    memset(r, 0, sizeof *r);
    police_strs_init(&r->forces);
    police_strs_init(&r->districts);
    police_strs_init(&r->types);
    police_counts_init(&r->fm_index);
    police_counts_init(&r->counts);
    r->capgens = 16;
    r->gen_fm = xcalloc(r->capgens, sizeof *r->gen_fm);
    r->ngens = 1; /* gen 0 is never used: a key must not be 0 */
}

void police_read_release(PoliceRead *r)
{
    police_strs_release(&r->forces);
    police_strs_release(&r->districts);
    police_strs_release(&r->types);
    police_counts_release(&r->fm_index);
    police_counts_release(&r->counts);
    free(r->fms);
    free(r->gen_fm);
    memset(r, 0, sizeof *r);
}

static uint32_t police_read_gen(PoliceRead *r, uint32_t fm)
{
    if (r->ngens == r->capgens) {
        r->capgens *= 2;
        r->gen_fm = xrealloc(r->gen_fm, r->capgens * sizeof *r->gen_fm);
    }
    r->gen_fm[r->ngens] = fm;
    return r->ngens++;
}

int police_read_current(const PoliceRead *r, uint64_t gkey)
{
    uint32_t gen, d, t;
    police_gkey_split(gkey, &gen, &d, &t);
    return gen < r->ngens && r->fms[r->gen_fm[gen]].gen == gen;
}

void police_read_merge(PoliceRead *r, int file, const PoliceAgg *a)
{
    uint32_t *fmap = xcalloc(a->forces.n + 1, sizeof *fmap);
    uint32_t *dmap = xcalloc(a->districts.n + 1, sizeof *dmap);
    uint32_t *tmap = xcalloc(a->types.n + 1, sizeof *tmap);
    for (uint32_t i = 0; i < a->forces.n; i++)
        fmap[i] = police_strs_intern(&r->forces, a->forces.str[i], a->forces.len[i]);
    for (uint32_t i = 0; i < a->districts.n; i++)
        dmap[i + 1] = police_strs_intern(&r->districts, a->districts.str[i], a->districts.len[i]) + 1;
    for (uint32_t i = 0; i < a->types.n; i++)
        tmap[i] = police_strs_intern(&r->types, a->types.str[i], a->types.len[i]);

    for (size_t k = 0; k < a->counts.nslots; k++) {
        const PoliceCount *c = &a->counts.slots[k];
        if (!c->key)
            continue;
        uint32_t force, district, type;
        int month;
        police_key_split(c->key, &force, &month, &district, &type);
        uint64_t fmkey = (((uint64_t)fmap[force] << 20) | (uint64_t)month) + 1;
        int64_t idx = police_counts_get(&r->fm_index, fmkey) - 1;
        PoliceFm *fm;
        if (idx < 0) {
            if (r->nfms == r->capfms) {
                r->capfms = r->capfms ? r->capfms * 2 : 64;
                r->fms = xrealloc(r->fms, r->capfms * sizeof *r->fms);
            }
            idx = r->nfms++;
            police_counts_add(&r->fm_index, fmkey, idx + 1);
            fm = &r->fms[idx];
            fm->force = fmap[force];
            fm->month = month;
            fm->file = file;
            fm->gen = police_read_gen(r, (uint32_t)idx);
        } else {
            fm = &r->fms[idx];
            if (fm->file > file)
                continue; /* a later file holds this force-month: it wins */
            if (fm->file < file) {
                fm->file = file; /* this file replaces an earlier one's force-month */
                fm->gen = police_read_gen(r, (uint32_t)idx);
                fm = &r->fms[idx];
            }
        }
        police_counts_add(&r->counts, police_gkey(fm->gen, dmap[district], tmap[type]), c->n);
    }
    free(fmap);
    free(dmap);
    free(tmap);
}

/* ---- names ------------------------------------------------------------------ */

static int police_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int police_name_kind(const char *name)
{
    if (police_ends_with(name, "-street.csv"))
        return IN_PLAIN;
    if (police_ends_with(name, "-street.csv.gz"))
        return IN_GZ;
    if (police_ends_with(name, ".zip"))
        return IN_ZIP;
    return 0;
}

int police_entry_ok(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    /* YYYY-MM- then at least one character of force, then -street.csv */
    if (n < 8 + 1 + 11 || !police_ends_with(base, "-street.csv") || base[7] != '-')
        return 0;
    return police_month(base, 7) >= 0;
}

/* ---- inputs ------------------------------------------------------------------ */

typedef struct PoliceInput {
    int kind;             /* IN_PLAIN, IN_GZ, IN_ZIP */
    char *path;           /* the file on disk (the archive for an entry) */
    char *name;           /* for messages: path, or "archive.zip/entry" */
    int64_t zindex;       /* IN_ZIP: entry index */
    int64_t size;         /* progress units: bytes on disk (compressed bytes for an entry) */
    int64_t usize;        /* IN_ZIP: bytes inflated */
    int first_job, njobs;
    int chunked;          /* plain file read in ranges: header read while planning */
    int64_t data_start;   /* chunked: offset of the first row */
    long data_line;       /* chunked: its line */
    int col[POLICE_NCOLS];
    int ncols;
    int remaining;        /* jobs not finished (under the lock) */
    atomic_int bad_chunk; /* lowest range that failed; later ranges need not run */
} PoliceInput;

typedef struct PoliceJob {
    int input, chunk;     /* chunk -1: a rerun after a range check failed */
    int64_t start;        /* plain: where the range starts */
    int64_t stop_at;      /* plain: the next range's start (-1 = read to the end) */
    int status;           /* JOB_* */
    PoliceAgg agg;
    int64_t end;          /* offset after the last record read */
    long lines;           /* lines read */
    long err_line;        /* JOB_FAIL: line, counted from the job's first line (0) */
    int err_full;         /* JOB_FAIL: err is a whole message (I/O), not a row's reason */
    Buf err;
} PoliceJob;

typedef struct PoliceCtx {
    PoliceInput *in;
    int nin, capin;
    PoliceJob *jobs;
    int njobs;
    int nworkers;
    pthread_mutex_t mu;
    pthread_cond_t cv;    /* a worker finished */
    int next_job;         /* under mu */
    int workers_left;     /* under mu */
    atomic_int failed;    /* an error is final: stop */
    int fail_input;       /* under mu: the input whose error is kept */
    Err *err;             /* under mu */
    PoliceRead *out;      /* under mu */
    atomic_llong bytes_done, rows_done;
    int64_t bytes_total;
} PoliceCtx;

typedef struct PoliceWorker {
    PoliceCtx *c;
    pthread_t th;
    char *buf;            /* read buffer, POLICE_BLOCK + carry + padding */
    size_t cap;
    zip_t *za;            /* the archive last opened, kept for its next entry */
    char *za_path;
} PoliceWorker;

static PoliceInput *police_add_input(PoliceCtx *c, int kind, const char *path, const char *name)
{
    if (c->nin == c->capin) {
        c->capin = c->capin ? c->capin * 2 : 16;
        c->in = xrealloc(c->in, (size_t)c->capin * sizeof *c->in);
    }
    PoliceInput *in = &c->in[c->nin++];
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->path = xstrdup(path);
    in->name = xstrdup(name);
    return in;
}

/* What the file holds, by its first bytes: IN_GZ, IN_ZIP or IN_PLAIN. */
static int police_sniff(const char *path, int64_t *size, Err *err)
{
    unsigned char m[4] = {0};
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, "%s: %s", path, strerror(errno));
    if (fstat(fd, &sb) < 0 || pread(fd, m, sizeof m, 0) < 0) {
        err_set(err, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    *size = (int64_t)sb.st_size;
    if (m[0] == 0x1F && m[1] == 0x8B)
        return IN_GZ;
    if (m[0] == 'P' && m[1] == 'K' && ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6)))
        return IN_ZIP;
    return IN_PLAIN;
}

static int police_zip_error(Err *err, const char *path, int code)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    err_set(err, "%s: not a readable zip archive: %s", path, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return -1;
}

/* Each street-level entry of an archive becomes an input. */
static int police_add_zip(PoliceCtx *c, const char *path, Err *err)
{
    int code = 0, found = 0;
    if (lazy_zip_load(err) < 0) /* before the readers' threads open archives */
        return -1;
    zip_t *za = zip_open(path, ZIP_RDONLY, &code);
    Buf name = BUF_INIT;
    if (!za)
        return police_zip_error(err, path, code);
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        const char *entry = zip_get_name(za, (zip_uint64_t)i, 0);
        if (!entry || !police_entry_ok(entry))
            continue;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0) {
            err_set(err, "%s/%s: %s", path, entry, zip_strerror(za));
            zip_discard(za);
            buf_release(&name);
            return -1;
        }
        buf_reset(&name);
        buf_printf(&name, "%s/%s", path, entry);
        PoliceInput *in = police_add_input(c, IN_ZIP, path, buf_cstr(&name));
        in->zindex = i;
        in->usize = (st.valid & ZIP_STAT_SIZE) ? (int64_t)st.size : 0;
        in->size = (st.valid & ZIP_STAT_COMP_SIZE) ? (int64_t)st.comp_size : in->usize;
        found++;
    }
    zip_discard(za);
    buf_release(&name);
    if (!found)
        return err_set(err, "%s: no street-level files in the archive (YYYY-MM/YYYY-MM-<force>-street.csv)", path);
    return 0;
}

static int police_add_file(PoliceCtx *c, const char *path, Err *err)
{
    int64_t size = 0;
    int kind = police_sniff(path, &size, err);
    if (kind < 0)
        return -1;
    if (kind == IN_ZIP)
        return police_add_zip(c, path, err);
    PoliceInput *in = police_add_input(c, kind, path, path);
    in->size = size;
    return 0;
}

static int police_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the street-level files under dir (sorted, recursively). */
static int police_walk(const char *dir, int depth, char ***list, int *n, int *cap, Err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return err_set(err, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        Buf p = BUF_INIT;
        struct stat sb;
        buf_printf(&p, "%s/%s", dir, e->d_name);
        if (stat(buf_cstr(&p), &sb) < 0) {
            buf_release(&p);
            continue; /* a dangling link */
        }
        if (S_ISDIR(sb.st_mode)) {
            if (depth < POLICE_DIR_DEPTH && police_walk(buf_cstr(&p), depth + 1, list, n, cap, err) < 0) {
                buf_release(&p);
                closedir(d);
                return -1;
            }
            buf_release(&p);
            continue;
        }
        if (!S_ISREG(sb.st_mode) || !police_name_kind(e->d_name)) {
            buf_release(&p);
            continue;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *list = xrealloc(*list, (size_t)*cap * sizeof **list);
        }
        (*list)[(*n)++] = buf_detach(&p);
    }
    closedir(d);
    return 0;
}

static int police_collect(PoliceCtx *c, char *const *paths, int npaths, Err *err)
{
    for (int i = 0; i < npaths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) < 0)
            return err_set(err, "%s: %s", paths[i], strerror(errno));
        if (!S_ISDIR(sb.st_mode)) {
            if (police_add_file(c, paths[i], err) < 0)
                return -1;
            continue;
        }
        char **list = NULL;
        int n = 0, cap = 0, rc = 0;
        /* Trailing slashes only make names uglier. */
        char *dir = xstrdup(paths[i]);
        size_t dl = strlen(dir);
        while (dl > 1 && dir[dl - 1] == '/')
            dir[--dl] = '\0';
        if (police_walk(dir, 0, &list, &n, &cap, err) < 0)
            rc = -1;
        if (rc == 0 && n == 0)
            rc = err_set(err, "%s: no street-level files in it (*-street.csv, *-street.csv.gz, *.zip)", paths[i]);
        if (rc == 0 && n > 0)
            qsort(list, (size_t)n, sizeof *list, police_cmp_str);
        for (int k = 0; k < n; k++) {
            if (rc == 0 && police_add_file(c, list[k], err) < 0)
                rc = -1;
            free(list[k]);
        }
        free(list);
        free(dir);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- planning ------------------------------------------------------------- */

static PoliceJob *police_add_job(PoliceCtx *c, int *capjobs, int input, int chunk, int64_t start, int64_t stop_at)
{
    if (c->njobs == *capjobs) {
        *capjobs = *capjobs ? *capjobs * 2 : 32;
        c->jobs = xrealloc(c->jobs, (size_t)*capjobs * sizeof *c->jobs);
    }
    PoliceJob *j = &c->jobs[c->njobs++];
    memset(j, 0, sizeof *j);
    j->input = input;
    j->chunk = chunk;
    j->start = start;
    j->stop_at = stop_at;
    j->status = JOB_TODO;
    police_agg_init(&j->agg);
    buf_init(&j->err);
    return j;
}

/* Read a big plain file's header, and find where each range starts: just
 * after a line end near each cut. */
static int police_plan_chunks(PoliceCtx *c, int input, int *capjobs, Err *err)
{
    PoliceInput *in = &c->in[input];
    int fd = open(in->path, O_RDONLY | O_CLOEXEC);
    char *buf = xmalloc(POLICE_HEADER_MAX);
    PoliceAgg agg;
    PoliceParser p;
    int rc = -1;
    police_agg_init(&agg);
    police_parser_init(&p, &agg, 1);
    p.header_only = 1;
    if (fd < 0) {
        err_set(err, "%s: %s", in->name, strerror(errno));
        goto out;
    }
    ssize_t n = pread(fd, buf, POLICE_HEADER_MAX, 0);
    if (n < 0) {
        err_set(err, "%s: cannot read: %s", in->name, strerror(errno));
        goto out;
    }
    if (police_parse(&p, buf, (size_t)n, n < POLICE_HEADER_MAX) < 0) {
        err_at(err, in->name, p.err_line, "%s", buf_cstr(&p.err_reason));
        goto out;
    }
    if (p.want_header) {
        err_at(err, in->name, 1, "the header row is longer than %d bytes", POLICE_HEADER_MAX);
        goto out;
    }
    in->chunked = 1;
    in->data_start = p.offset;
    in->data_line = p.line;
    memcpy(in->col, p.col, sizeof in->col);
    in->ncols = p.ncols;

    int64_t body = in->size - in->data_start;
    int64_t want = body / ((int64_t)c->nworkers * POLICE_CHUNKS_PER_WORKER);
    if (want < POLICE_CHUNK_MIN)
        want = POLICE_CHUNK_MIN;
    int nchunks = (int)((body + want - 1) / want);
    int64_t *cuts = xcalloc((size_t)nchunks + 1, sizeof *cuts);
    int ncuts = 0;
    cuts[ncuts++] = in->data_start;
    for (int k = 1; k < nchunks; k++) {
        int64_t at = in->data_start + body / nchunks * k;
        if (at <= cuts[ncuts - 1])
            continue;
        /* The first line end at or after `at`. */
        int64_t found = -1;
        while (found < 0) {
            ssize_t r = pread(fd, buf, POLICE_HEADER_MAX, at);
            if (r < 0) {
                err_set(err, "%s: cannot read: %s", in->name, strerror(errno));
                free(cuts);
                goto out;
            }
            if (r == 0)
                break;
            char *nl = memchr(buf, '\n', (size_t)r);
            if (nl)
                found = at + (nl - buf) + 1;
            else
                at += r;
        }
        if (found < 0 || found >= in->size)
            break;
        if (found > cuts[ncuts - 1])
            cuts[ncuts++] = found;
    }
    in->first_job = c->njobs;
    for (int k = 0; k < ncuts; k++)
        police_add_job(c, capjobs, input, k, cuts[k], k + 1 < ncuts ? cuts[k + 1] : -1);
    in->njobs = ncuts;
    free(cuts);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    police_parser_release(&p);
    police_agg_release(&agg);
    return rc;
}

static int police_plan(PoliceCtx *c, Err *err)
{
    int capjobs = 0;
    for (int i = 0; i < c->nin; i++) {
        PoliceInput *in = &c->in[i];
        c->bytes_total += in->size;
        atomic_init(&in->bad_chunk, 1 << 30);
        if (in->kind == IN_PLAIN && in->size >= 2 * POLICE_CHUNK_MIN) {
            if (police_plan_chunks(c, i, &capjobs, err) < 0)
                return -1;
        } else {
            in->first_job = c->njobs;
            in->njobs = 1;
            police_add_job(c, &capjobs, i, 0, 0, -1);
        }
        in->remaining = in->njobs;
    }
    return 0;
}

/* ---- reading ---------------------------------------------------------------- */

/* A source of bytes: returns bytes read, 0 at the end, -1 with msg set. */
typedef int64_t (*PoliceReadFn)(void *arg, char *dst, size_t n, Buf *msg);

typedef struct PoliceGz {
    gzFile gz;
    const char *path;     /* as given to gzopen */
    PoliceCtx *c;
    int64_t counted;      /* compressed bytes already counted in bytes_done */
} PoliceGz;

static int64_t police_gz_read(void *arg, char *dst, size_t n, Buf *msg)
{
    PoliceGz *g = arg;
    int r = gzread(g->gz, dst, (unsigned)n);
    int code = Z_OK;
    if (r == 0)
        gzerror(g->gz, &code); /* a cut-off stream ends "cleanly" with Z_BUF_ERROR */
    if (r < 0 || code != Z_OK) {
        const char *what = gzerror(g->gz, &code);
        /* zlib says "PATH: what": the caller names the file already. */
        size_t plen = strlen(g->path);
        if (what && strncmp(what, g->path, plen) == 0 && strncmp(what + plen, ": ", 2) == 0)
            what += plen + 2;
        buf_printf(msg, "broken gzip data: %s", what && *what ? what : "unknown error");
        return -1;
    }
    int64_t off = (int64_t)gzoffset(g->gz);
    if (off > g->counted) {
        atomic_fetch_add_explicit(&g->c->bytes_done, off - g->counted, memory_order_relaxed);
        g->counted = off;
    }
    return r;
}

typedef struct PoliceZipSrc {
    zip_file_t *zf;
    PoliceCtx *c;
    const PoliceInput *in;
    int64_t read;         /* bytes inflated */
    int64_t counted;      /* progress units counted */
} PoliceZipSrc;

static int64_t police_zip_read(void *arg, char *dst, size_t n, Buf *msg)
{
    PoliceZipSrc *z = arg;
    zip_int64_t r = zip_fread(z->zf, dst, n);
    if (r < 0) {
        buf_printf(msg, "broken archive entry: %s", zip_file_strerror(z->zf));
        return -1;
    }
    z->read += r;
    if (z->in->usize > 0) {
        int64_t units = (int64_t)((double)z->in->size * (double)z->read / (double)z->in->usize);
        if (units > z->in->size)
            units = z->in->size;
        if (units > z->counted) {
            atomic_fetch_add_explicit(&z->c->bytes_done, units - z->counted, memory_order_relaxed);
            z->counted = units;
        }
    }
    return r;
}

/* An inflater thread and the parser it feeds, through a ring of blocks. */
typedef struct PolicePipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *blk[POLICE_PIPE_BLOCKS];
    size_t len[POLICE_PIPE_BLOCKS];
    int head, count;      /* filled blocks: head .. head+count-1 */
    int eof, stop, failed;
    Buf msg;              /* the inflater's error */
    PoliceReadFn read;
    void *arg;
    pthread_t th;
} PolicePipe;

static void *police_pipe_main(void *arg)
{
    PolicePipe *pp = arg;
    for (;;) {
        pthread_mutex_lock(&pp->mu);
        while (pp->count == POLICE_PIPE_BLOCKS && !pp->stop)
            pthread_cond_wait(&pp->cv, &pp->mu);
        if (pp->stop) {
            pthread_mutex_unlock(&pp->mu);
            break;
        }
        int slot = (pp->head + pp->count) % POLICE_PIPE_BLOCKS;
        pthread_mutex_unlock(&pp->mu);

        Buf msg = BUF_INIT;
        int64_t n = pp->read(pp->arg, pp->blk[slot], POLICE_BLOCK, &msg);

        pthread_mutex_lock(&pp->mu);
        if (n <= 0) {
            pp->eof = 1;
            if (n < 0) {
                pp->failed = 1;
                buf_puts(&pp->msg, buf_cstr(&msg));
            }
        } else {
            pp->len[slot] = (size_t)n;
            pp->count++;
        }
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        buf_release(&msg);
        if (n <= 0)
            break;
    }
    return NULL;
}

static void police_pipe_start(PolicePipe *pp, PoliceReadFn read, void *arg)
{
    memset(pp, 0, sizeof *pp);
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->cv, NULL);
    for (int i = 0; i < POLICE_PIPE_BLOCKS; i++)
        pp->blk[i] = xmalloc(POLICE_BLOCK);
    buf_init(&pp->msg);
    pp->read = read;
    pp->arg = arg;
    if (pthread_create(&pp->th, NULL, police_pipe_main, pp) != 0)
        PANIC("cannot start a thread");
}

/* The parser's side: copy the next block into dst (room for POLICE_BLOCK). */
static int64_t police_pipe_read(void *arg, char *dst, size_t n, Buf *msg)
{
    PolicePipe *pp = arg;
    (void)n;
    pthread_mutex_lock(&pp->mu);
    while (pp->count == 0 && !pp->eof)
        pthread_cond_wait(&pp->cv, &pp->mu);
    if (pp->count == 0) {
        int failed = pp->failed;
        if (failed)
            buf_puts(msg, buf_cstr(&pp->msg));
        pthread_mutex_unlock(&pp->mu);
        return failed ? -1 : 0;
    }
    char *src = pp->blk[pp->head];
    size_t len = pp->len[pp->head];
    pthread_mutex_unlock(&pp->mu);
    memcpy(dst, src, len); /* the head block is ours until head moves on */
    pthread_mutex_lock(&pp->mu);
    pp->head = (pp->head + 1) % POLICE_PIPE_BLOCKS;
    pp->count--;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
    return (int64_t)len;
}

static void police_pipe_finish(PolicePipe *pp)
{
    pthread_mutex_lock(&pp->mu);
    pp->stop = 1;
    pthread_cond_broadcast(&pp->cv);
    pthread_mutex_unlock(&pp->mu);
    pthread_join(pp->th, NULL);
    for (int i = 0; i < POLICE_PIPE_BLOCKS; i++)
        free(pp->blk[i]);
    buf_release(&pp->msg);
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->cv);
}

typedef struct PolicePlain {
    int fd;
    int64_t off;          /* next byte to read */
    int64_t count_left;   /* bytes of this range still to count for progress */
    PoliceCtx *c;
} PolicePlain;

static int64_t police_plain_read(void *arg, char *dst, size_t n, Buf *msg)
{
    PolicePlain *pl = arg;
    ssize_t r;
    do
        r = pread(pl->fd, dst, n, pl->off);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        buf_printf(msg, "cannot read: %s", strerror(errno));
        return -1;
    }
    pl->off += r;
    int64_t count = r < pl->count_left ? r : pl->count_left;
    if (count > 0) {
        atomic_fetch_add_explicit(&pl->c->bytes_done, count, memory_order_relaxed);
        pl->count_left -= count;
    }
    return r;
}

/* Should this job stop (an error elsewhere makes its work useless)? */
static int police_cancelled(PoliceCtx *c, const PoliceJob *j)
{
    if (atomic_load_explicit(&c->failed, memory_order_relaxed))
        return 1;
    return j->chunk > atomic_load_explicit(&c->in[j->input].bad_chunk, memory_order_relaxed);
}

static void police_job_fail_io(PoliceJob *j, const PoliceInput *in, const char *what)
{
    j->status = JOB_FAIL;
    j->err_full = 1;
    buf_reset(&j->err);
    buf_printf(&j->err, "%s: %s", in->name, what);
}

/* Feed the parser from rd until the stream ends, the range is done, or an error. */
static void police_feed(PoliceWorker *w, PoliceJob *j, PoliceParser *p, PoliceReadFn rd, void *arg)
{
    PoliceCtx *c = w->c;
    const PoliceInput *in = &c->in[j->input];
    size_t carry = 0;
    int64_t rows_seen = 0;
    Buf msg = BUF_INIT;

    for (;;) {
        if (police_cancelled(c, j)) {
            j->status = JOB_SKIP;
            goto out;
        }
        if (w->cap < carry + POLICE_BLOCK) {
            w->cap = carry + POLICE_BLOCK;
            w->buf = xrealloc(w->buf, w->cap);
        }
        int64_t n = rd(arg, w->buf + carry, POLICE_BLOCK, &msg);
        if (n < 0) {
            police_job_fail_io(j, in, buf_cstr(&msg));
            goto out;
        }
        size_t len = carry + (size_t)n;
        int64_t used = police_parse(p, w->buf, len, n == 0);
        atomic_fetch_add_explicit(&c->rows_done, p->rows - rows_seen, memory_order_relaxed);
        rows_seen = p->rows;
        if (used < 0) {
            j->status = JOB_FAIL;
            j->err_line = p->err_line;
            buf_reset(&j->err);
            buf_puts(&j->err, buf_cstr(&p->err_reason));
            goto out;
        }
        if (p->done || n == 0)
            break;
        carry = len - (size_t)used;
        if (carry > POLICE_MAX_RECORD) {
            j->status = JOB_FAIL;
            j->err_line = p->line;
            buf_reset(&j->err);
            buf_printf(&j->err, "a row longer than %d bytes", POLICE_MAX_RECORD);
            goto out;
        }
        if (carry)
            memmove(w->buf, w->buf + used, carry);
    }
    if (p->want_header) {
        j->status = JOB_FAIL;
        j->err_line = 0;
        buf_reset(&j->err);
        buf_puts(&j->err, "an empty file: no header row");
        goto out;
    }
    j->status = JOB_OK;
    j->end = p->offset;
    j->lines = p->line;
out:
    buf_release(&msg);
}

static void police_run_job(PoliceWorker *w, PoliceJob *j)
{
    PoliceCtx *c = w->c;
    PoliceInput *in = &c->in[j->input];
    PoliceParser p;
    police_parser_init(&p, &j->agg, 0);

    if (in->kind == IN_PLAIN) {
        PolicePlain pl = {.fd = -1, .off = j->start, .c = c};
        pl.fd = open(in->path, O_RDONLY | O_CLOEXEC);
        if (pl.fd < 0) {
            police_job_fail_io(j, in, strerror(errno));
            goto out;
        }
        if (in->chunked) {
            memcpy(p.col, in->col, sizeof p.col);
            p.ncols = in->ncols;
            p.want_header = 0;
            p.at_start = 0;
        }
        p.offset = j->start;
        p.stop_at = j->stop_at;
        pl.count_left = j->chunk < 0 ? 0 : (j->stop_at >= 0 ? j->stop_at : in->size) - j->start;
#ifdef POSIX_FADV_SEQUENTIAL
        posix_fadvise(pl.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
        police_feed(w, j, &p, police_plain_read, &pl);
        close(pl.fd);
    } else if (in->kind == IN_GZ) {
        PoliceGz g = {.c = c, .path = in->path};
        PolicePipe pp;
        g.gz = gzopen(in->path, "rb");
        if (!g.gz) {
            police_job_fail_io(j, in, errno ? strerror(errno) : "cannot open");
            goto out;
        }
        gzbuffer(g.gz, POLICE_BLOCK);
        police_pipe_start(&pp, police_gz_read, &g);
        police_feed(w, j, &p, police_pipe_read, &pp);
        police_pipe_finish(&pp);
        gzclose(g.gz);
    } else {
        if (!w->za || strcmp(w->za_path, in->path) != 0) {
            int code = 0;
            if (w->za)
                zip_discard(w->za);
            free(w->za_path);
            w->za_path = NULL;
            w->za = zip_open(in->path, ZIP_RDONLY, &code);
            if (!w->za) {
                Err e = ERR_INIT;
                police_zip_error(&e, in->path, code);
                police_job_fail_io(j, in, err_msg(&e));
                err_release(&e);
                goto out;
            }
            w->za_path = xstrdup(in->path);
        }
        PoliceZipSrc z = {.c = c, .in = in};
        PolicePipe pp;
        z.zf = zip_fopen_index(w->za, (zip_uint64_t)in->zindex, 0);
        if (!z.zf) {
            police_job_fail_io(j, in, zip_strerror(w->za));
            goto out;
        }
        police_pipe_start(&pp, police_zip_read, &z);
        police_feed(w, j, &p, police_pipe_read, &pp);
        police_pipe_finish(&pp);
        zip_fclose(z.zf);
    }
out:
    police_parser_release(&p);
}

/* ---- finishing an input ------------------------------------------------ */

/* Record an input's error unless one for an earlier input is kept (under mu). */
static void police_keep_error(PoliceCtx *c, int input, const PoliceJob *j, long line)
{
    if (atomic_load(&c->failed) && c->fail_input <= input)
        return;
    c->fail_input = input;
    if (j->err_full)
        err_set(c->err, "%s", buf_cstr(&j->err));
    else
        err_at(c->err, c->in[input].name, line, "%s", buf_cstr(&j->err));
    atomic_store(&c->failed, 1);
}

/* Every job of the input is done: check the ranges join up, read again
 * where they do not, and merge the counts or keep the error. */
static void police_finish_input(PoliceWorker *w, int input)
{
    PoliceCtx *c = w->c;
    PoliceInput *in = &c->in[input];
    PoliceJob *rerun = NULL;
    PoliceJob *bad = NULL;
    long bad_line = 0;
    int use = 0; /* jobs whose counts stand */

    if (atomic_load(&c->failed))
        goto out;
    int64_t prev_end = in->chunked ? in->data_start : 0;
    long base = in->chunked ? in->data_line : 1;
    for (int k = 0; k < in->njobs; k++) {
        PoliceJob *j = &c->jobs[in->first_job + k];
        if ((in->chunked && j->start != prev_end) || j->status == JOB_SKIP) {
            /* A range began inside a quoted field: read on from where the
             * last good one stopped, in this thread. */
            rerun = xcalloc(1, sizeof *rerun);
            rerun->input = input;
            rerun->chunk = -1;
            rerun->start = prev_end;
            rerun->stop_at = -1;
            police_agg_init(&rerun->agg);
            buf_init(&rerun->err);
            police_run_job(w, rerun);
            if (rerun->status == JOB_FAIL) {
                bad = rerun;
                bad_line = base + rerun->err_line;
            } else if (rerun->status == JOB_SKIP) {
                goto out; /* failed elsewhere meanwhile */
            }
            break;
        }
        if (j->status == JOB_FAIL) {
            bad = j;
            bad_line = base + j->err_line;
            break;
        }
        use++;
        prev_end = j->end;
        base += j->lines;
    }
    pthread_mutex_lock(&c->mu);
    if (bad) {
        police_keep_error(c, input, bad, bad_line);
    } else if (!atomic_load(&c->failed)) {
        for (int k = 0; k < use; k++) {
            PoliceJob *j = &c->jobs[in->first_job + k];
            police_read_merge(c->out, input, &j->agg);
            c->out->rows += j->agg.rows;
        }
        if (rerun) {
            police_read_merge(c->out, input, &rerun->agg);
            c->out->rows += rerun->agg.rows;
        }
        c->out->nfiles++;
    }
    pthread_mutex_unlock(&c->mu);
out:
    for (int k = 0; k < in->njobs; k++)
        police_agg_release(&c->jobs[in->first_job + k].agg);
    if (rerun) {
        police_agg_release(&rerun->agg);
        buf_release(&rerun->err);
        free(rerun);
    }
}

static void *police_worker_main(void *arg)
{
    PoliceWorker *w = arg;
    PoliceCtx *c = w->c;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        if (atomic_load(&c->failed) || c->next_job >= c->njobs) {
            pthread_mutex_unlock(&c->mu);
            break;
        }
        PoliceJob *j = &c->jobs[c->next_job++];
        pthread_mutex_unlock(&c->mu);

        if (police_cancelled(c, j))
            j->status = JOB_SKIP;
        else
            police_run_job(w, j);

        PoliceInput *in = &c->in[j->input];
        pthread_mutex_lock(&c->mu);
        if (j->status == JOB_FAIL) {
            int cur = atomic_load(&in->bad_chunk);
            if (j->chunk < cur)
                atomic_store(&in->bad_chunk, j->chunk);
        }
        int last = --in->remaining == 0;
        pthread_mutex_unlock(&c->mu);
        if (last)
            police_finish_input(w, j->input);
    }
    if (w->za)
        zip_discard(w->za);
    free(w->za_path);
    free(w->buf);
    w->za = NULL;
    w->za_path = NULL;
    w->buf = NULL;
    pthread_mutex_lock(&c->mu);
    c->workers_left--;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* ---- progress ---------------------------------------------------------- */

static double police_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void police_human_bytes(Buf *b, double v)
{
    if (v >= 1e9)
        buf_printf(b, "%.2f GB", v / 1e9);
    else
        buf_printf(b, "%.1f MB", v / 1e6);
}

/* One line on the terminal: bar, bytes, rows a second, time left. */
static void police_progress_draw(PoliceCtx *c, double elapsed)
{
    Buf b = BUF_INIT;
    double done = (double)atomic_load_explicit(&c->bytes_done, memory_order_relaxed);
    double rows = (double)atomic_load_explicit(&c->rows_done, memory_order_relaxed);
    double total = (double)c->bytes_total;
    double frac = total > 0 ? done / total : 0;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * POLICE_BAR);
    buf_printf(&b, "\r%3d%% [", (int)(frac * 100));
    for (int i = 0; i < POLICE_BAR; i++)
        buf_putc(&b, i < fill ? '#' : ' ');
    buf_puts(&b, "] ");
    police_human_bytes(&b, done);
    buf_puts(&b, " / ");
    police_human_bytes(&b, total);
    if (elapsed > 0.2 && rows > 0)
        buf_printf(&b, "  %.2f M rows/s", rows / elapsed / 1e6);
    if (elapsed > 0.5 && frac > 0.01) {
        long left = (long)(elapsed * (1 - frac) / frac + 0.5);
        buf_printf(&b, "  %ld:%02ld left", left / 60, left % 60);
    }
    buf_puts(&b, "\033[K");
    fwrite(b.data, 1, b.len, stderr);
    fflush(stderr);
    buf_release(&b);
}

static void police_progress_erase(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* ---- the whole read --------------------------------------------------------- */

static int police_nworkers(void)
{
    const char *env = getenv("KPI_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > POLICE_MAX_WORKERS)
        n = POLICE_MAX_WORKERS;
    return (int)n;
}

static void police_ctx_release(PoliceCtx *c)
{
    for (int i = 0; i < c->nin; i++) {
        free(c->in[i].path);
        free(c->in[i].name);
    }
    free(c->in);
    for (int k = 0; k < c->njobs; k++) {
        police_agg_release(&c->jobs[k].agg);
        buf_release(&c->jobs[k].err);
    }
    free(c->jobs);
}

int police_read(char *const *paths, int npaths, int progress, PoliceRead *out, Err *err)
{
    PoliceCtx c;
    PoliceWorker *w = NULL;
    int rc = -1;

    memset(&c, 0, sizeof c);
    police_read_init(out);
    c.err = err;
    c.out = out;
    c.nworkers = police_nworkers();
    atomic_init(&c.failed, 0);
    atomic_init(&c.bytes_done, 0);
    atomic_init(&c.rows_done, 0);
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.cv, NULL);

    if (npaths <= 0) {
        err_set(err, "import police: name at least one file or directory");
        err->usage = 1;
        goto out;
    }
    if (police_collect(&c, paths, npaths, err) < 0 || police_plan(&c, err) < 0)
        goto out;
    out->bytes = c.bytes_total;
    if (c.nworkers > c.njobs)
        c.nworkers = c.njobs;

    double t0 = police_now();
    w = xcalloc((size_t)c.nworkers, sizeof *w);
    c.workers_left = c.nworkers;
    for (int i = 0; i < c.nworkers; i++) {
        w[i].c = &c;
        if (pthread_create(&w[i].th, NULL, police_worker_main, &w[i]) != 0)
            PANIC("cannot start a thread");
    }
    if (progress) {
        pthread_mutex_lock(&c.mu);
        while (c.workers_left > 0) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += POLICE_PROGRESS_NS;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&c.cv, &c.mu, &ts);
            if (c.workers_left > 0) {
                pthread_mutex_unlock(&c.mu);
                police_progress_draw(&c, police_now() - t0);
                pthread_mutex_lock(&c.mu);
            }
        }
        pthread_mutex_unlock(&c.mu);
        police_progress_erase();
    }
    for (int i = 0; i < c.nworkers; i++)
        pthread_join(w[i].th, NULL);
    if (atomic_load(&c.failed))
        goto out;
    rc = 0;
out:
    free(w);
    police_ctx_release(&c);
    pthread_mutex_destroy(&c.mu);
    pthread_cond_destroy(&c.cv);
    if (rc < 0)
        police_read_release(out); /* left zeroed: freeing it again is harmless */
    return rc;
}
