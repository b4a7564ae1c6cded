/* police_parse.c — the street-level row parser and the counting tables of
 * `kpi import police`. Pure: no I/O, no globals, so every worker thread runs
 * its own parser over its own byte range.
 *
 * Speed comes from finding the bytes that matter 64 at a time: one pass of
 * SSE2 compares marks every comma, line end, quote, NUL and non-ASCII byte in
 * a 64-bit mask, and the loop walks the set bits. A row of the real files
 * (about 210 bytes, 12 fields) costs four masks and 13 bits. Quoted fields
 * (RFC 4180; the real files have none) leave the fast path and are scanned
 * with memchr. */
#include "police.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define POLICE_MAXF 64          /* field positions kept per row; more is an error anyway */
#define POLICE_STRS_MIN 64      /* first hash size of a string table */
#define POLICE_COUNTS_MIN 1024  /* first hash size of a count table */
#define POLICE_SHOW 60          /* bytes of a bad field quoted in a message */

/* The street-level header (docs/police.md "What it reads"), in the order the col[] array keeps it. */
static const char *const police_header_names[POLICE_NCOLS] = {
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
    "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
};
enum { COL_MONTH = 1, COL_FORCE = 3, COL_LSOA = 8, COL_TYPE = 9 };

/* ---- names ------------------------------------------------------------ */

int police_code(Buf *out, const char *type, size_t len)
{
    size_t start = out->len;
    int pending_dash = 0, any = 0;
    buf_puts(out, STORE_POLICE_CODE_PREFIX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)type[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending_dash && any)
                buf_putc(out, '-');
            pending_dash = 0;
            buf_putc(out, (char)c);
            any = 1;
        } else {
            pending_dash = 1;
        }
    }
    if (!any) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        return -1;
    }
    return 0;
}

const char *police_district(const char *name, size_t len, size_t *dlen)
{
    size_t end = len;
    size_t i = end;
    while (i > 0 && name[i - 1] >= 'A' && name[i - 1] <= 'Z')
        i--;
    size_t letters_start = i;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    /* A code is digits then capitals, after a space, with something before it. */
    if (i < letters_start && i > 1 && name[i - 1] == ' ') {
        size_t d = i - 1;
        while (d > 0 && name[d - 1] == ' ')
            d--;
        if (d > 0) {
            *dlen = d;
            return name;
        }
    }
    *dlen = len;
    return name;
}

int police_month(const char *s, size_t len)
{
    if (len != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (year < 1 || month < 1 || month > 12)
        return -1;
    return year * 12 + month - 1;
}

/* ---- interned strings ------------------------------------------------- */

/* A fast hash for short strings, 8 bytes at a time. */
static uint64_t police_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xFF51AFD7ED558CCDULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    }
    h ^= h >> 32;
    return h * 0x9E3779B97F4A7C15ULL;
}

void police_strs_init(PoliceStrs *t)
{
    memset(t, 0, sizeof *t);
}

void police_strs_release(PoliceStrs *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        free(t->str[i]);
    free(t->str);
    free(t->len);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static size_t police_strs_slot(const PoliceStrs *t, const char *s, size_t len, int *found)
{
    size_t mask = t->nslots - 1;
    size_t i = (size_t)(police_hash(s, len) >> 20) & mask;
    for (;;) {
        uint32_t v = t->slots[i];
        if (v == 0) {
            *found = 0;
            return i;
        }
        if (t->len[v - 1] == len && memcmp(t->str[v - 1], s, len) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static void police_strs_grow(PoliceStrs *t)
{
    uint32_t n = t->nslots ? t->nslots * 2 : POLICE_STRS_MIN;
    free(t->slots);
    t->slots = xcalloc(n, sizeof *t->slots);
    t->nslots = n;
    for (uint32_t id = 0; id < t->n; id++) {
        int found;
        size_t i = police_strs_slot(t, t->str[id], t->len[id], &found);
        t->slots[i] = id + 1;
    }
}

int64_t police_strs_find(const PoliceStrs *t, const char *s, size_t len)
{
    if (t->nslots == 0)
        return -1;
    int found;
    size_t i = police_strs_slot(t, s, len, &found);
    return found ? (int64_t)t->slots[i] - 1 : -1;
}

uint32_t police_strs_intern(PoliceStrs *t, const char *s, size_t len)
{
    if ((t->n + 1) * 2 > t->nslots)
        police_strs_grow(t);
    int found;
    size_t i = police_strs_slot(t, s, len, &found);
    if (found)
        return t->slots[i] - 1;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->str = xrealloc(t->str, t->cap * sizeof *t->str);
        t->len = xrealloc(t->len, t->cap * sizeof *t->len);
    }
    t->str[t->n] = xstrndup(s, len);
    t->len[t->n] = (uint32_t)len;
    t->slots[i] = t->n + 1;
    return t->n++;
}

/* ---- counts ----------------------------------------------------------- */

uint64_t police_key(uint32_t force, int month, uint32_t district, uint32_t type)
{
    return ((uint64_t)force << 48) | ((uint64_t)(uint32_t)month << 28) | ((uint64_t)district << 8) | type;
}

void police_key_split(uint64_t key, uint32_t *force, int *month, uint32_t *district, uint32_t *type)
{
    *force = (uint32_t)(key >> 48);
    *month = (int)((key >> 28) & 0xFFFFF);
    *district = (uint32_t)((key >> 8) & 0xFFFFF);
    *type = (uint32_t)(key & 0xFF);
}

void police_counts_init(PoliceCounts *c)
{
    memset(c, 0, sizeof *c);
}

void police_counts_release(PoliceCounts *c)
{
    free(c->slots);
    memset(c, 0, sizeof *c);
}

/* A key's home slot: every bit of the key mixed into the low bits (the
 * finaliser of MurmurHash3). Keys put their ids in the high half (area or
 * force-month << 32), which the middle bits of a plain multiplication
 * barely saw: thousands of areas shared a handful of homes. */
static size_t police_counts_home(const PoliceCounts *c, uint64_t key)
{
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDULL;
    key ^= key >> 33;
    key *= 0xC4CEB9FE1A85EC53ULL;
    key ^= key >> 33;
    return (size_t)key & (c->nslots - 1);
}

static void police_counts_grow(PoliceCounts *c)
{
    size_t n = c->nslots ? c->nslots * 2 : POLICE_COUNTS_MIN;
    PoliceCount *old = c->slots;
    size_t nold = c->nslots;
    c->slots = xcalloc(n, sizeof *c->slots);
    c->nslots = n;
    for (size_t k = 0; k < nold; k++) {
        if (!old[k].key)
            continue;
        size_t i = police_counts_home(c, old[k].key);
        while (c->slots[i].key)
            i = (i + 1) & (n - 1);
        c->slots[i] = old[k];
    }
    free(old);
}

void police_counts_add(PoliceCounts *c, uint64_t key, int64_t n)
{
    if (key == 0)
        PANIC("police count key 0");
    if ((c->len + 1) * 2 > c->nslots)
        police_counts_grow(c);
    size_t mask = c->nslots - 1;
    size_t i = police_counts_home(c, key);
    for (;;) {
        if (c->slots[i].key == key) {
            c->slots[i].n += n;
            return;
        }
        if (c->slots[i].key == 0) {
            c->slots[i].key = key;
            c->slots[i].n = n;
            c->len++;
            return;
        }
        i = (i + 1) & mask;
    }
}

const PoliceCount *police_counts_find(const PoliceCounts *c, uint64_t key)
{
    if (c->nslots == 0 || key == 0)
        return NULL;
    size_t mask = c->nslots - 1;
    for (size_t i = police_counts_home(c, key);; i = (i + 1) & mask) {
        if (c->slots[i].key == key)
            return &c->slots[i];
        if (c->slots[i].key == 0)
            return NULL;
    }
}

int64_t police_counts_get(const PoliceCounts *c, uint64_t key)
{
    const PoliceCount *e = police_counts_find(c, key);
    return e ? e->n : 0;
}

void police_agg_init(PoliceAgg *a)
{
    memset(a, 0, sizeof *a);
    police_strs_init(&a->forces);
    police_strs_init(&a->districts);
    police_strs_init(&a->types);
    police_counts_init(&a->counts);
}

void police_agg_release(PoliceAgg *a)
{
    police_strs_release(&a->forces);
    police_strs_release(&a->districts);
    police_strs_release(&a->types);
    police_counts_release(&a->counts);
}

/* ---- the parser ------------------------------------------------------- */

void police_parser_init(PoliceParser *p, PoliceAgg *agg, long line)
{
    memset(p, 0, sizeof *p);
    p->want_header = 1;
    p->at_start = 1;
    p->line = line;
    p->stop_at = -1;
    p->agg = agg;
    buf_init(&p->err_reason);
    buf_init(&p->scratch);
    buf_init(&p->last_force);
    buf_init(&p->last_lsoa);
    buf_init(&p->last_type);
}

void police_parser_release(PoliceParser *p)
{
    buf_release(&p->err_reason);
    buf_release(&p->scratch);
    buf_release(&p->last_force);
    buf_release(&p->last_lsoa);
    buf_release(&p->last_type);
}

static int police_fail(PoliceParser *p, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int police_fail(PoliceParser *p, long line, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&p->err_reason);
    va_start(ap, fmt);
    buf_vprintf(&p->err_reason, fmt, ap);
    va_end(ap);
    p->err_line = line;
    return -1;
}

/* Where the fields of the record being cut lie. A field is b[start, end);
 * quoted fields still include their quotes. */
typedef struct PoliceFields {
    uint32_t start[POLICE_MAXF + 1];
    uint32_t end[POLICE_MAXF + 1];
    uint64_t quoted;   /* bit i: field i is quoted */
    uint64_t escaped;  /* bit i: field i holds a doubled quote */
    int n;             /* fields so far (may exceed POLICE_MAXF: then only counted) */
} PoliceFields;

/* The text of field i: unquoted, undoubled (into scratch when needed). */
static const char *police_field(const unsigned char *b, const PoliceFields *f, int i, Buf *scratch, size_t *len)
{
    const char *s = (const char *)b + f->start[i];
    size_t n = f->end[i] - f->start[i];
    if (!(f->quoted >> i & 1)) {
        *len = n;
        return s;
    }
    s++;
    n -= 2;
    if (!(f->escaped >> i & 1)) {
        *len = n;
        return s;
    }
    buf_reset(scratch);
    for (size_t k = 0; k < n; k++) {
        buf_putc(scratch, s[k]);
        if (s[k] == '"')
            k++;
    }
    *len = scratch->len;
    return scratch->data;
}

/* Append a field's text to a message, cut short and without control bytes. */
static const char *police_show(Buf *b, const char *s, size_t n)
{
    buf_reset(b);
    for (size_t i = 0; i < n && i < POLICE_SHOW; i++)
        buf_putc(b, (unsigned char)s[i] < 0x20 ? '?' : s[i]);
    if (n > POLICE_SHOW)
        buf_puts(b, "...");
    return buf_cstr(b);
}

/* Check the header record and learn where each column is. */
static int police_header(PoliceParser *p, const unsigned char *b, const PoliceFields *f, long line)
{
    Buf show = BUF_INIT;
    int rc = -1;
    for (int k = 0; k < POLICE_NCOLS; k++)
        p->col[k] = -1;
    if (f->n != POLICE_NCOLS) {
        police_fail(p, line, "not a street-level crime file: the header has %d columns, not the %d of `%s,...,%s`",
                    f->n, POLICE_NCOLS, police_header_names[0], police_header_names[POLICE_NCOLS - 1]);
        goto out;
    }
    for (int i = 0; i < f->n; i++) {
        size_t n;
        const char *s = police_field(b, f, i, &p->scratch, &n);
        int k;
        for (k = 0; k < POLICE_NCOLS; k++)
            if (strlen(police_header_names[k]) == n && strncasecmp(police_header_names[k], s, n) == 0)
                break;
        if (k == POLICE_NCOLS) {
            police_fail(p, line, "not a street-level crime file: unknown column \"%s\"", police_show(&show, s, n));
            goto out;
        }
        if (p->col[k] >= 0) {
            police_fail(p, line, "column \"%s\" appears twice in the header", police_header_names[k]);
            goto out;
        }
        p->col[k] = i;
    }
    p->ncols = f->n;
    p->want_header = 0;
    rc = 0;
out:
    buf_release(&show);
    return rc;
}

/* Is s the same text as the Buf (a one-entry cache)? */
static inline int police_same(const Buf *b, const char *s, size_t n)
{
    return b->len == n && memcmp(b->data, s, n) == 0;
}

static inline void police_remember(Buf *b, const char *s, size_t n)
{
    buf_reset(b);
    buf_append(b, s, n);
}

/* One complete record: b[rec, end) with its fields. */
static int police_record(PoliceParser *p, const unsigned char *b, size_t rec, size_t end, PoliceFields *f,
                         int nonascii, long line)
{
    PoliceAgg *a = p->agg;
    Buf show = BUF_INIT;
    int rc = -1;

    if (f->n == 1 && f->end[0] == f->start[0] && !(f->quoted & 1))
        return 0; /* a blank line */
    if (nonascii && !csv_utf8_valid((const char *)b + rec, end - rec))
        return police_fail(p, line, "not UTF-8 text: binary data?");
    if (p->want_header)
        return police_header(p, b, f, line);
    if (f->n != p->ncols)
        return police_fail(p, line, "%d fields, but the header has %d", f->n, p->ncols);

    size_t mlen, flen, llen, tlen;
    const char *ms = police_field(b, f, p->col[COL_MONTH], &p->scratch, &mlen);
    int month = police_month(ms, mlen);
    if (month < 0) {
        if (mlen == 5 && strncasecmp(ms, "Month", 5) == 0)
            return 0; /* the header again (files joined with cat): not a row */
        police_fail(p, line, "Month \"%s\" is not YYYY-MM", police_show(&show, ms, mlen));
        goto out;
    }
    /* Fields taken from scratch must be copied before the next one reuses it:
     * only quoted fields with doubled quotes go there, so take them one by one. */
    const char *fs = police_field(b, f, p->col[COL_FORCE], &p->scratch, &flen);
    if (flen == 0) {
        police_fail(p, line, "Falls within is empty");
        goto out;
    }
    uint32_t force;
    if (p->have_force && police_same(&p->last_force, fs, flen)) {
        force = p->last_force_id;
    } else {
        if (police_strs_find(&a->forces, fs, flen) < 0 && a->forces.n >= POLICE_MAX_FORCES) {
            police_fail(p, line, "more than %d forces in one import", POLICE_MAX_FORCES);
            goto out;
        }
        force = police_strs_intern(&a->forces, fs, flen);
        police_remember(&p->last_force, fs, flen);
        p->last_force_id = force;
        p->have_force = 1;
    }

    const char *ts = police_field(b, f, p->col[COL_TYPE], &p->scratch, &tlen);
    if (tlen == 0) {
        police_fail(p, line, "Crime type is empty");
        goto out;
    }
    uint32_t type;
    if (p->have_type && police_same(&p->last_type, ts, tlen)) {
        type = p->last_type_id;
    } else {
        if (police_strs_find(&a->types, ts, tlen) < 0) {
            Buf code = BUF_INIT;
            int bad = police_code(&code, ts, tlen);
            int clash = !bad && strcmp(buf_cstr(&code), POLICE_ALL_CRIME) == 0;
            buf_release(&code);
            if (bad) {
                police_fail(p, line, "Crime type \"%s\" has no letter or digit", police_show(&show, ts, tlen));
                goto out;
            }
            if (clash) {
                police_fail(p, line, "Crime type \"%s\" would be the code %s, which is every type together",
                            police_show(&show, ts, tlen), POLICE_ALL_CRIME);
                goto out;
            }
            if (a->types.n >= POLICE_MAX_TYPES) {
                police_fail(p, line, "more than %d crime types", POLICE_MAX_TYPES);
                goto out;
            }
        }
        type = police_strs_intern(&a->types, ts, tlen);
        police_remember(&p->last_type, ts, tlen);
        p->last_type_id = type;
        p->have_type = 1;
    }

    const char *ls = police_field(b, f, p->col[COL_LSOA], &p->scratch, &llen);
    uint32_t district = 0;
    if (llen > 0) {
        if (p->have_lsoa && police_same(&p->last_lsoa, ls, llen)) {
            district = p->last_district_id;
        } else {
            size_t dlen;
            const char *ds = police_district(ls, llen, &dlen);
            if (police_strs_find(&a->districts, ds, dlen) < 0 && a->districts.n >= POLICE_MAX_DISTRICTS) {
                police_fail(p, line, "more than %d districts in one import", POLICE_MAX_DISTRICTS);
                goto out;
            }
            district = police_strs_intern(&a->districts, ds, dlen) + 1;
            police_remember(&p->last_lsoa, ls, llen);
            p->last_district_id = district;
            p->have_lsoa = 1;
        }
    }
    police_counts_add(&a->counts, police_key(force, month, district, type), 1);
    a->rows++;
    p->rows++;
    rc = 0;
out:
    buf_release(&show);
    return rc;
}

/* Mark the bytes that end a field or need a look: , \n \r " NUL, and bytes
 * >= 0x80. Bit i stands for p[i]; n bytes are looked at (64 when n >= 64). */
static const unsigned char police_special_tab[256] = {
    [','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [0] = 1,
    [0x80 ... 0xFF] = 1,
};

static inline uint64_t police_mask_slow(const unsigned char *p, size_t n)
{
    uint64_t m = 0;
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)police_special_tab[p[i]] << i;
    return m;
}

#if defined(__SSE2__)
static inline uint64_t police_mask64(const unsigned char *p)
{
    const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const __m128i quote = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, nl)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
        e = _mm_or_si128(e, _mm_cmpeq_epi8(v, zero));
        uint32_t bits = (uint32_t)_mm_movemask_epi8(e) | (uint32_t)_mm_movemask_epi8(v);
        m |= (uint64_t)bits << (16 * k);
    }
    return m;
}
#else
static inline uint64_t police_mask64(const unsigned char *p)
{
    return police_mask_slow(p, 64);
}
#endif

int64_t police_parse(PoliceParser *p, const char *buf, size_t len, int eof)
{
    const unsigned char *b = (const unsigned char *)buf;
    PoliceFields f;
    size_t rec = 0, pos = 0;
    int nonascii = 0;
    long nl_quoted = 0; /* newlines inside quotes in the record being cut */

    if (len > UINT32_MAX - 1)
        PANIC("police_parse: block of %zu bytes", len);
    if (p->at_start) {
        if (len < 3 && !eof)
            return 0;
        p->at_start = 0;
        if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
            rec = pos = 3;
    }
    f.n = 0;
    f.start[0] = (uint32_t)rec;
    f.quoted = f.escaped = 0;

    while (pos < len) {
        size_t avail = len - pos;
        uint64_t m = avail >= 64 ? police_mask64(b + pos) : police_mask_slow(b + pos, avail);
        size_t next = pos + (avail >= 64 ? 64 : avail);
        while (m) {
            size_t o = pos + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            unsigned c = b[o];
            if (c == ',') {
                if (f.n < POLICE_MAXF) {
                    f.end[f.n] = (uint32_t)o;
                    f.start[f.n + 1] = (uint32_t)(o + 1);
                }
                f.n++;
                continue;
            }
            if (c == '\n') {
                if (f.n < POLICE_MAXF) {
                    size_t e = o;
                    if (e > f.start[f.n] && b[e - 1] == '\r')
                        e--;
                    f.end[f.n] = (uint32_t)e;
                }
                f.n++;
                long line = p->line;
                if (f.n > POLICE_MAXF)
                    return police_fail(p, line, "more than %d fields", POLICE_MAXF);
                if (police_record(p, b, rec, o + 1, &f, nonascii, line) < 0)
                    return -1;
                p->line += 1 + nl_quoted;
                nl_quoted = 0;
                nonascii = 0;
                rec = o + 1;
                f.n = 0;
                f.start[0] = (uint32_t)rec;
                f.quoted = f.escaped = 0;
                if ((p->stop_at >= 0 && p->offset + (int64_t)rec >= p->stop_at) ||
                    (p->header_only && !p->want_header)) {
                    p->done = 1;
                    p->offset += (int64_t)rec;
                    return (int64_t)rec;
                }
                continue;
            }
            if (c == '\r') {
                if (o + 1 >= len) {
                    if (!eof)
                        goto incomplete;
                    return police_fail(p, p->line + nl_quoted, "a carriage return not followed by a line feed");
                }
                if (b[o + 1] != '\n')
                    return police_fail(p, p->line + nl_quoted, "a carriage return not followed by a line feed");
                continue;
            }
            if (c == '"') {
                if (f.n < POLICE_MAXF && o != f.start[f.n])
                    return police_fail(p, p->line + nl_quoted, "broken quoting: a quote inside an unquoted field");
                size_t q = o + 1;
                int escaped = 0;
                for (;;) {
                    const unsigned char *r = q < len ? memchr(b + q, '"', len - q) : NULL;
                    if (!r) {
                        if (!eof)
                            goto incomplete;
                        return police_fail(p, p->line, "broken quoting: a quoted field is not closed");
                    }
                    q = (size_t)(r - b);
                    if (q + 1 >= len && !eof)
                        goto incomplete; /* a doubled quote may follow */
                    if (q + 1 < len && b[q + 1] == '"') {
                        escaped = 1;
                        q += 2;
                        continue;
                    }
                    break;
                }
                /* b[o] and b[q] are the quotes; look at what lies between. */
                for (size_t k = o + 1; k < q; k++) {
                    unsigned char d = b[k];
                    if (d == '\n')
                        nl_quoted++;
                    else if (d == 0)
                        return police_fail(p, p->line + nl_quoted, "not a text file (NUL byte): binary data?");
                    else if (d >= 0x80)
                        nonascii = 1;
                }
                if (q + 1 < len && b[q + 1] != ',' && b[q + 1] != '\n' && b[q + 1] != '\r')
                    return police_fail(p, p->line + nl_quoted, "broken quoting: text after a closing quote");
                if (f.n < POLICE_MAXF) { /* past that the row is refused anyway */
                    f.quoted |= 1ULL << f.n;
                    if (escaped)
                        f.escaped |= 1ULL << f.n;
                }
                next = q + 1; /* look again from after the closing quote */
                break;
            }
            if (c == 0)
                return police_fail(p, p->line + nl_quoted, "not a text file (NUL byte): binary data?");
            nonascii = 1;
        }
        pos = next;
    }
    if (eof && rec < len) {
        /* The last record, without a line end. */
        if (f.n < POLICE_MAXF)
            f.end[f.n] = (uint32_t)len;
        f.n++;
        long line = p->line;
        if (f.n > POLICE_MAXF)
            return police_fail(p, line, "more than %d fields", POLICE_MAXF);
        if (police_record(p, b, rec, len, &f, nonascii, line) < 0)
            return -1;
        p->line += 1 + nl_quoted;
        rec = len;
        if (p->stop_at >= 0 && p->offset + (int64_t)rec >= p->stop_at)
            p->done = 1;
    }
incomplete:
    p->offset += (int64_t)rec;
    return (int64_t)rec;
}
