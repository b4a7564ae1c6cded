/* police.h — `kpi import police`: police.uk street-level crime files (plain
 * CSV, .csv.gz, or the .zip archive as downloaded; directories searched) into
 * monthly counts per crime type, per district and per force.
 *
 * The import is split in three files:
 *   police_parse.c  the row parser and the counting tables: pure, no I/O
 *   police_read.c   finding the files, reading them (read(), zlib, libzip) on
 *                   every core, the progress bar
 *   police.c        police_import: merging, and writing the store
 * docs/police.md is the specification ("Which rows count", "What it writes"). */
#ifndef KPI_POLICE_H
#define KPI_POLICE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"
#include "store_police.h"

/* Import every path (a file or a directory), all or nothing. Runs inside ONE
 * transaction that the caller opened (store_begin before, store_commit after;
 * on -1 the caller rolls back, so nothing is written). progress = 1 draws a
 * progress bar on stderr (stderr is a terminal). On success *summary gets the
 * one-line summary (files, rows, months, areas, seconds), without a newline. */
int police_import(Store *s, char *const *paths, int npaths, int progress, Buf *summary /* OUT */, Err *err);

/* ------------------------------------------------------------------------ */
/* The parts below are the importer's internals, declared here so that the  */
/* unit tests can reach them. Nothing outside police*.c and the tests uses   */
/* them.                                                                     */
/* ------------------------------------------------------------------------ */

#define POLICE_NCOLS 12                 /* columns of the street-level header */
#define POLICE_MAX_RECORD (1024 * 1024) /* bytes one row may hold */
#define POLICE_MAX_FORCES 65535         /* distinct forces one import may hold (16-bit key part) */
#define POLICE_MAX_DISTRICTS 1048575    /* distinct districts (20-bit key part, 0 = none) */
#define POLICE_MAX_TYPES 255            /* distinct crime types (8-bit key part) */
#define POLICE_ALL_CRIME STORE_POLICE_ALL_CRIME
#define POLICE_ASB "police.anti-social-behaviour" /* the one type all-crime leaves out */

/* Indicator code for a crime type: "police." + the type in lower case, each
 * run of other characters than ASCII letters and digits turned into one "-",
 * none at either end. Returns 0, or -1 when the type holds no letter or digit. */
int police_code(Buf *out, const char *type, size_t len);

/* The district of an LSOA name: the name without its trailing code, a last
 * word of digits followed by capital letters ("Chorley 012C" -> "Chorley").
 * A name without such a code is its own district. Sets *dlen; returns name. */
const char *police_district(const char *name, size_t len, size_t *dlen /* OUT */);

/* "YYYY-MM" to an absolute month number (period.h); -1 when not that form. */
int police_month(const char *s, size_t len);

/* Interned strings: each distinct string gets a dense id from 0. */
typedef struct PoliceStrs {
    char **str;       /* owned copies, NUL-terminated */
    uint32_t *len;
    uint32_t n, cap;  /* strings held; room in str/len */
    uint32_t *slots;  /* hash table of id + 1 (0 = empty) */
    uint32_t nslots;  /* power of two */
} PoliceStrs;

void police_strs_init(PoliceStrs *t);
void police_strs_release(PoliceStrs *t);
/* Id of s, adding it when new. */
uint32_t police_strs_intern(PoliceStrs *t, const char *s, size_t len);
/* Id of s, or -1 when absent. */
int64_t police_strs_find(const PoliceStrs *t, const char *s, size_t len);

/* Counts by key: force (16 bits), month (20 bits), district (20 bits, 0 = no
 * district), crime type (8 bits), packed in one 64-bit integer. */
typedef struct PoliceCount {
    uint64_t key;     /* 0 = empty slot */
    int64_t n;
} PoliceCount;

typedef struct PoliceCounts {
    PoliceCount *slots;
    size_t nslots;    /* power of two */
    size_t len;
} PoliceCounts;

uint64_t police_key(uint32_t force, int month, uint32_t district, uint32_t type);
void police_key_split(uint64_t key, uint32_t *force, int *month, uint32_t *district, uint32_t *type);
void police_counts_init(PoliceCounts *c);
void police_counts_release(PoliceCounts *c);
void police_counts_add(PoliceCounts *c, uint64_t key, int64_t n);
int64_t police_counts_get(const PoliceCounts *c, uint64_t key);
/* The slot holding key, or NULL. */
const PoliceCount *police_counts_find(const PoliceCounts *c, uint64_t key);

/* What one stream of rows adds up to: its strings and its counts. */
typedef struct PoliceAgg {
    PoliceStrs forces, districts, types; /* district id 0 is reserved for "none": ids here are 1 + index */
    PoliceCounts counts;
    int64_t rows;
} PoliceAgg;

void police_agg_init(PoliceAgg *a);
void police_agg_release(PoliceAgg *a);

/* The parser: fed blocks of one stream, it cuts records (RFC 4180: quotes,
 * doubled quotes, newlines in quotes, LF or CRLF, optional BOM), checks them
 * and counts them into a PoliceAgg. Errors are kept as a line and a reason,
 * so that a worker that does not yet know on which line its byte range
 * starts can still report one. */
typedef struct PoliceParser {
    int want_header;     /* 1 until the header record has been read */
    int col[POLICE_NCOLS]; /* column index of each docs/police.md column, from the header */
    int ncols;           /* fields of the header */
    int at_start;        /* 1 before the first byte of the stream (a BOM may come) */
    long line;           /* line the next record starts on */
    int64_t stop_at;     /* stream offset: stop after the record that reaches it (-1 = never) */
    int header_only;     /* stop after the header record */
    int64_t offset;      /* stream offset of the byte the next feed starts with */
    int done;            /* stop_at reached */
    int64_t rows;        /* data rows counted */
    PoliceAgg *agg;      /* not owned */
    long err_line;       /* line of the error (relative to the start line given) */
    Buf err_reason;      /* the reason, empty when no error */
    Buf scratch;         /* unquoted field text */
    /* One-entry caches in front of the hash tables: rows come in runs. */
    Buf last_force, last_lsoa, last_type;
    uint32_t last_force_id, last_district_id, last_type_id;
    int have_force, have_lsoa, have_type;
} PoliceParser;

/* line = the line the first fed byte is on (1 for the start of a file). */
void police_parser_init(PoliceParser *p, PoliceAgg *agg, long line);
void police_parser_release(PoliceParser *p);
/* Parse complete records in buf[0, len). eof = 1 when nothing follows (a last
 * record without a newline is complete). Returns the bytes consumed (whole
 * records; the caller keeps the rest and feeds it again with more after it),
 * or -1 on error (err_line, err_reason set). */
int64_t police_parse(PoliceParser *p, const char *buf, size_t len, int eof);

/* A force-month of an import, and which file it is counted from: when two
 * files hold the same force-month (an archive and its unpacked copy, or one
 * month given twice), the later file on the command line replaces the earlier. */
typedef struct PoliceFm {
    uint32_t force;      /* id in PoliceRead.forces */
    int month;           /* absolute month */
    uint32_t gen;        /* the version counted now (keys of PoliceRead.counts) */
    int file;            /* the input it comes from */
} PoliceFm;

/* Everything an import read: the strings, the force-months, the counts. */
typedef struct PoliceRead {
    PoliceStrs forces, districts, types; /* district ids in keys are 1 + index; 0 = no LSOA */
    PoliceFm *fms;
    uint32_t nfms, capfms;
    PoliceCounts fm_index;   /* (force << 20 | month) + 1 -> index into fms */
    uint32_t *gen_fm;        /* gen -> index into fms; gen 0 unused */
    uint32_t ngens, capgens;
    PoliceCounts counts;     /* police_gkey(gen, district, type) -> rows; stale gens are ignored */
    int nfiles;              /* street-level files read (an archive's entries one by one) */
    int64_t rows;            /* rows counted */
    int64_t bytes;           /* bytes of input (compressed where compressed) */
} PoliceRead;

uint64_t police_gkey(uint32_t gen, uint32_t district, uint32_t type);
void police_gkey_split(uint64_t key, uint32_t *gen, uint32_t *district, uint32_t *type);
void police_read_init(PoliceRead *r);
void police_read_release(PoliceRead *r);
/* Add what file number `file` counted (for a file read in pieces, each piece
 * with the same number): sums within a file, replaces across files. */
void police_read_merge(PoliceRead *r, int file, const PoliceAgg *a);
/* Is the count at slot key current (not replaced by a later file)? */
int police_read_current(const PoliceRead *r, uint64_t gkey);

/* Find the files named by paths, read and count them on every core. progress
 * as for police_import. Returns 0, or -1 with err set ("file:line: reason"). */
int police_read(char *const *paths, int npaths, int progress, PoliceRead *out /* OUT, police_read_release */,
                Err *err);

/* Is name (the last part of a path) one we take from a directory: 1 for
 * "*-street.csv", 2 for "*-street.csv.gz", 3 for "*.zip"; 0 = not taken. */
int police_name_kind(const char *name);
/* Is name an archive entry we take: "YYYY-MM-<force>-street.csv", in a
 * folder or not ("2022-07/2022-07-lancashire-street.csv")? 1 or 0. */
int police_entry_ok(const char *name);

#endif
