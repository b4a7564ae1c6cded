/* test_police.c — the police.uk importer's pure parts and its reader:
 * indicator codes, districts, months; the row parser on tricky input (quotes,
 * doubled quotes, newlines in quotes, CRLF, BOM, short rows, junk), fed whole
 * and cut at every byte; the counting tables; merging with replacement; and
 * police_read on real files: plain, gzip, zip, directories, a big file read in
 * ranges, with quoted line breaks across the cuts and errors far in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "police.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1)

#define HEADER "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type," \
               "Last outcome category,Context"

/* ---- names ---- */

static void test_code(void **state)
{
    (void)state;
    static const struct {
        const char *type, *code;
    } cases[] = {
        {"Violence and sexual offences", "police.violence-and-sexual-offences"},
        {"Anti-social behaviour", "police.anti-social-behaviour"},
        {"Criminal damage and arson", "police.criminal-damage-and-arson"},
        {"Burglary", "police.burglary"},
        {"  Other -- theft!! ", "police.other-theft"},
        {"Theft from the person", "police.theft-from-the-person"},
        {"Drugs2", "police.drugs2"},
        {"BICYCLE theft", "police.bicycle-theft"},
        {"Caf\xc3\xa9 crime", "police.caf-crime"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        assert_int_equal(police_code(&b, cases[i].type, strlen(cases[i].type)), 0);
        assert_string_equal(buf_cstr(&b), cases[i].code);
        buf_release(&b);
    }
    Buf b = BUF_INIT;
    buf_puts(&b, "x");
    assert_int_equal(police_code(&b, " -- ", 4), -1);
    assert_string_equal(buf_cstr(&b), "x"); /* nothing left behind */
    assert_int_equal(police_code(&b, "", 0), -1);
    buf_release(&b);
}

static void test_district(void **state)
{
    (void)state;
    static const struct {
        const char *lsoa, *district;
    } cases[] = {
        {"Chorley 012C", "Chorley"},
        {"Blackburn with Darwen 001A", "Blackburn with Darwen"},
        {"Bexley 004D", "Bexley"},
        {"County Durham 062E", "County Durham"},
        {"Preston 012", "Preston"},           /* digits alone are a code too */
        {"Preston  012C", "Preston"},         /* extra spaces go */
        {"Preston", "Preston"},               /* no code: the name itself */
        {"012C", "012C"},                     /* nothing before the code */
        {"Area 51a", "Area 51a"},             /* lower-case letters: not a code */
        {"Chorley X12C", "Chorley X12C"},     /* letters before digits: not a code */
        {"Chorley 012CD", "Chorley"},
        {"", ""},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        size_t n;
        const char *d = police_district(cases[i].lsoa, strlen(cases[i].lsoa), &n);
        assert_int_equal(n, strlen(cases[i].district));
        assert_memory_equal(d, cases[i].district, n);
    }
}

static void test_month(void **state)
{
    (void)state;
    assert_int_equal(police_month("2022-07", 7), M(2022, 7));
    assert_int_equal(police_month("2019-12", 7), M(2019, 12));
    assert_int_equal(police_month("2022-01", 7), M(2022, 1));
    static const char *const bad[] = {"2022-13", "2022-00", "2022-7", "2022/07", "22-07", "2022-07-01", "abcd-ef",
                                      "0000-01", " 2022-07", ""};
    for (size_t i = 0; i < NELEM(bad); i++)
        assert_int_equal(police_month(bad[i], strlen(bad[i])), -1);
    assert_int_equal(police_month("2022-07x", 7), M(2022, 7)); /* only len bytes are looked at */
}

static void test_entry_and_name(void **state)
{
    (void)state;
    assert_true(police_entry_ok("2022-07/2022-07-lancashire-street.csv"));
    assert_true(police_entry_ok("2022-07-lancashire-street.csv"));
    assert_true(police_entry_ok("x/2022-07/2022-07-city-of-london-street.csv"));
    assert_false(police_entry_ok("2022-07/2022-07-lancashire-outcomes.csv"));
    assert_false(police_entry_ok("2022-07/2022-07-lancashire-stop-and-search.csv"));
    assert_false(police_entry_ok("2022-07/"));
    assert_false(police_entry_ok("2022-13/2022-13-x-street.csv"));
    assert_false(police_entry_ok("2022-07/2022-07--street.csv"));
    assert_int_equal(police_name_kind("2022-07-lancashire-street.csv"), 1);
    assert_int_equal(police_name_kind("2022-07-lancashire-street.csv.gz"), 2);
    assert_int_equal(police_name_kind("download.zip"), 3);
    assert_int_equal(police_name_kind("2022-07-lancashire-outcomes.csv"), 0);
    assert_int_equal(police_name_kind("notes.txt"), 0);
}

/* ---- tables ---- */

static void test_strs_and_counts(void **state)
{
    (void)state;
    PoliceStrs t;
    police_strs_init(&t);
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "district %d", i);
        assert_int_equal(police_strs_intern(&t, name, strlen(name)), (uint32_t)i);
    }
    for (int i = 0; i < 5000; i += 7) {
        snprintf(name, sizeof name, "district %d", i);
        assert_int_equal(police_strs_intern(&t, name, strlen(name)), (uint32_t)i);
        assert_int_equal(police_strs_find(&t, name, strlen(name)), i);
    }
    assert_int_equal(police_strs_find(&t, "nowhere", 7), -1);
    assert_int_equal(police_strs_find(&t, "district 1", 9), -1); /* a prefix is another string */
    police_strs_release(&t);

    PoliceCounts c;
    police_counts_init(&c);
    assert_int_equal(police_counts_get(&c, 5), 0);
    for (uint32_t d = 0; d < 3000; d++)
        for (uint32_t ty = 0; ty < 14; ty++)
            police_counts_add(&c, police_key(3, M(2022, 7), d, ty), d + ty);
    police_counts_add(&c, police_key(3, M(2022, 7), 17, 5), 100);
    assert_int_equal(c.len, 3000 * 14);
    assert_int_equal(police_counts_get(&c, police_key(3, M(2022, 7), 17, 5)), 17 + 5 + 100);
    assert_int_equal(police_counts_get(&c, police_key(3, M(2022, 7), 2999, 13)), 2999 + 13);
    assert_int_equal(police_counts_get(&c, police_key(4, M(2022, 7), 17, 5)), 0);
    police_counts_release(&c);

    uint32_t f, d, ty;
    int m;
    police_key_split(police_key(65535, M(9999, 12), 1048575, 255), &f, &m, &d, &ty);
    assert_int_equal(f, 65535);
    assert_int_equal(m, M(9999, 12));
    assert_int_equal(d, 1048575);
    assert_int_equal(ty, 255);
}

/* ---- the parser ---- */

typedef struct Parsed {
    PoliceAgg agg;
    int rc;             /* 0 or -1 */
    long err_line;
    char reason[256];
    long lines;         /* lines read */
} Parsed;

/* Parse text whole, or cut into pieces of `piece` bytes (0 = whole), the way
 * a reader does: unconsumed bytes are fed again with the next piece. */
static void parse_text(Parsed *out, const char *text, size_t len, size_t piece)
{
    PoliceParser p;
    police_agg_init(&out->agg);
    police_parser_init(&p, &out->agg, 1);
    out->rc = 0;
    char *buf = malloc(len + 1);
    size_t have = 0, fed = 0;
    for (;;) {
        size_t take = piece ? piece : len;
        if (take > len - fed)
            take = len - fed;
        memcpy(buf + have, text + fed, take);
        have += take;
        fed += take;
        int eof = fed == len;
        int64_t used = police_parse(&p, buf, have, eof);
        if (used < 0) {
            out->rc = -1;
            out->err_line = p.err_line;
            snprintf(out->reason, sizeof out->reason, "%s", buf_cstr(&p.err_reason));
            break;
        }
        memmove(buf, buf + used, have - (size_t)used);
        have -= (size_t)used;
        if (eof)
            break;
    }
    out->lines = p.line - 1;
    free(buf);
    police_parser_release(&p);
}

static int64_t count_of(const PoliceAgg *a, const char *force, int month, const char *district, const char *type)
{
    int64_t f = police_strs_find(&a->forces, force, strlen(force));
    int64_t t = police_strs_find(&a->types, type, strlen(type));
    int64_t d = district ? police_strs_find(&a->districts, district, strlen(district)) + 1 : 0;
    if (f < 0 || t < 0 || d < 0)
        return 0;
    return police_counts_get(&a->counts, police_key((uint32_t)f, month, (uint32_t)d, (uint32_t)t));
}

/* Sum of counts over every district (the force-wide count) for a type. */
static int64_t force_total(const PoliceAgg *a, const char *type)
{
    int64_t t = police_strs_find(&a->types, type, strlen(type)), n = 0;
    for (size_t i = 0; i < a->counts.nslots; i++) {
        if (!a->counts.slots[i].key)
            continue;
        uint32_t f, d, ty;
        int m;
        police_key_split(a->counts.slots[i].key, &f, &m, &d, &ty);
        if ((int64_t)ty == t)
            n += a->counts.slots[i].n;
    }
    return n;
}

#define ROW(month, lsoa, type) \
    "abc123," month ",Lancashire Constabulary,Lancashire Constabulary,-2.6,53.6,On or near X,E01000001," lsoa "," type ",Under investigation,\r\n"

static const char GOOD[] =
    HEADER "\r\n"
    ROW("2022-07", "Chorley 012C", "Burglary")
    ROW("2022-07", "Chorley 001A", "Burglary")
    ROW("2022-07", "Chorley 001A", "Anti-social behaviour")
    ROW("2022-07", "Preston 003B", "Burglary")
    ROW("2022-07", "", "Drugs")
    ROW("2022-08", "Chorley 012C", "Burglary")
    /* quoted fields: a comma, a doubled quote, a line break */
    ",2022-08,Lancashire Constabulary,\"Lancashire Constabulary\",,,\"On or near \"\"The Green\"\", Euxton\",E1,"
    "\"Chorley 002B\",\"Vehicle crime\",\"Line one\r\nline two\",\r\n"
    /* a blank line, then the header again (files joined with cat) */
    "\r\n" HEADER "\r\n"
    /* LF only, and no line end at the very end */
    ",2022-08,Lancashire Constabulary,Lancashire Constabulary,,,,,Chorley 002B,Vehicle crime,,\n"
    ",2022-08,Lancashire Constabulary,Lancashire Constabulary,,,,,Chorley 002B,Vehicle crime,,";

static void check_good(const Parsed *r)
{
    const PoliceAgg *a = &r->agg;
    assert_int_equal(r->rc, 0);
    assert_int_equal(a->rows, 9);
    assert_int_equal(r->lines, 13); /* 12 line ends, and a last line without one */
    assert_int_equal(a->forces.n, 1);
    assert_int_equal(a->districts.n, 2);
    const char *F = "Lancashire Constabulary";
    assert_int_equal(count_of(a, F, M(2022, 7), "Chorley", "Burglary"), 2);
    assert_int_equal(count_of(a, F, M(2022, 7), "Chorley", "Anti-social behaviour"), 1);
    assert_int_equal(count_of(a, F, M(2022, 7), "Preston", "Burglary"), 1);
    assert_int_equal(count_of(a, F, M(2022, 7), NULL, "Drugs"), 1);
    assert_int_equal(count_of(a, F, M(2022, 8), "Chorley", "Burglary"), 1);
    assert_int_equal(count_of(a, F, M(2022, 8), "Chorley", "Vehicle crime"), 3);
    assert_int_equal(force_total(a, "Burglary"), 4);
}

static void test_parse_good(void **state)
{
    (void)state;
    Parsed r;
    parse_text(&r, GOOD, strlen(GOOD), 0);
    check_good(&r);
    police_agg_release(&r.agg);
}

/* Cut at every byte: the same counts and lines whatever the cuts. */
static void test_parse_pieces(void **state)
{
    (void)state;
    for (size_t piece = 1; piece <= 80; piece++) {
        Parsed r;
        parse_text(&r, GOOD, strlen(GOOD), piece);
        check_good(&r);
        police_agg_release(&r.agg);
    }
}

static void test_parse_bom_and_header_order(void **state)
{
    (void)state;
    static const char text[] =
        "\xEF\xBB\xBF"
        "crime type,MONTH,LSOA name,Falls Within,Crime ID,Reported by,Longitude,Latitude,Location,LSOA code,"
        "Last outcome category,Context\n"
        "Robbery,2021-03,Wyre 001A,Lancashire Constabulary,,,,,,,,\n";
    Parsed r;
    parse_text(&r, text, strlen(text), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(count_of(&r.agg, "Lancashire Constabulary", M(2021, 3), "Wyre", "Robbery"), 1);
    police_agg_release(&r.agg);
}

static void test_parse_non_ascii(void **state)
{
    (void)state;
    static const char text[] = HEADER "\n"
                                      ",2021-03,Heddlu,Heddlu Gogledd Cymru,,,,,Ynys M\xc3\xb4n 001A,Robbery,,\n";
    Parsed r;
    parse_text(&r, text, strlen(text), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(count_of(&r.agg, "Heddlu Gogledd Cymru", M(2021, 3), "Ynys M\xc3\xb4n", "Robbery"), 1);
    police_agg_release(&r.agg);
}

typedef struct Bad {
    const char *name;
    const char *text;   /* after the header line */
    long line;
    const char *reason; /* a part of it */
} Bad;

static void test_parse_errors(void **state)
{
    (void)state;
    static const Bad cases[] = {
        {"short row", ",2022-07,P,P,,,,,Chorley 012C,Burglary\r\n", 2, "10 fields, but the header has 12"},
        {"long row", ",2022-07,P,P,,,,,Chorley 012C,Burglary,,,x\r\n", 2, "13 fields, but the header has 12"},
        {"third row", ROW("2022-07", "A 001A", "Drugs") ROW("2022-07", "A 001A", "Drugs") ",2022-07\n", 4,
         "2 fields"},
        {"bad month", ",July 2022,P,P,,,,,Chorley 012C,Burglary,,\n", 2, "Month \"July 2022\" is not YYYY-MM"},
        {"month 13", ",2022-13,P,P,,,,,Chorley 012C,Burglary,,\n", 2, "is not YYYY-MM"},
        {"no force", ",2022-07,P,,,,,,Chorley 012C,Burglary,,\n", 2, "Falls within is empty"},
        {"no type", ",2022-07,P,P,,,,,Chorley 012C,,,\n", 2, "Crime type is empty"},
        {"type of punctuation", ",2022-07,P,P,,,,,Chorley 012C,--,,\n", 2, "has no letter or digit"},
        {"type clashing with all-crime", ",2022-07,P,P,,,,,Chorley 012C,All crime,,\n", 2, "police.all-crime"},
        {"quote inside a field", ",2022-07,P,P,,,On \"x\",,Chorley 012C,Burglary,,\n", 2, "quote inside an unquoted"},
        {"text after a closing quote", ",2022-07,P,P,,,\"On\"x,,Chorley 012C,Burglary,,\n", 2,
         "text after a closing quote"},
        {"quote never closed", ",2022-07,P,P,,,\"On x,,Chorley 012C,Burglary,,\n", 2, "not closed"},
        {"bare carriage return", ",2022-07,P,P,,,On\rx,,Chorley 012C,Burglary,,\n", 2, "carriage return"},
        {"NUL byte", ",2022-07,P,P,,,On\0x,,Chorley 012C,Burglary,,\n", 2, "NUL byte"},
        {"not UTF-8", ",2022-07,P,P,,,On \xff x,,Chorley 012C,Burglary,,\n", 2, "not UTF-8"},
        {"after a quoted line break", ",2022-07,P,P,,,\"a\nb\",,C 001A,Burglary,,\n,2022-07\n", 4, "2 fields"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        /* The NUL case holds a NUL: measure the text by its known tail. */
        size_t tlen = strlen(cases[i].text);
        if (strstr(cases[i].name, "NUL"))
            tlen += 1 + strlen(cases[i].text + tlen + 1);
        size_t hlen = strlen(HEADER "\n");
        char *text = malloc(hlen + tlen);
        memcpy(text, HEADER "\n", hlen);
        memcpy(text + hlen, cases[i].text, tlen);
        for (size_t piece = 0; piece <= 7; piece += 7) {
            Parsed r;
            parse_text(&r, text, hlen + tlen, piece);
            if (r.rc != -1 || r.err_line != cases[i].line || !strstr(r.reason, cases[i].reason))
                fail_msg("%s (piece %zu): rc %d line %ld reason \"%s\"", cases[i].name, piece, r.rc, r.err_line,
                         r.reason);
            police_agg_release(&r.agg);
        }
        free(text);
    }
}

/* A row of very many fields, quoted ones past the 64 whose places are kept. */
static void test_parse_many_fields(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, HEADER "\n,2022-07,P,P,,,,,A 001A,Drugs,,");
    for (int i = 0; i < 100; i++)
        buf_puts(&b, ",\"x\"\"y\"");
    buf_puts(&b, "\n");
    for (size_t piece = 0; piece <= 5; piece += 5) {
        Parsed r;
        parse_text(&r, b.data, b.len, piece);
        assert_int_equal(r.rc, -1);
        assert_int_equal(r.err_line, 2);
        if (!strstr(r.reason, "more than 64 fields"))
            fail_msg("\"%s\"", r.reason);
        police_agg_release(&r.agg);
    }
    buf_release(&b);
}

static void test_parse_bad_headers(void **state)
{
    (void)state;
    static const struct {
        const char *text, *reason;
    } cases[] = {
        {"Crime ID,Month,Reported by,Falls within\n", "the header has 4 columns"},
        {"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
         "Last outcome category,Colour\n",
         "unknown column \"Colour\""},
        {"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
         "Last outcome category,Month\n",
         "\"Month\" appears twice"},
        {"Reference,Date,Value\n", "not a street-level crime file"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Parsed r;
        parse_text(&r, cases[i].text, strlen(cases[i].text), 0);
        assert_int_equal(r.rc, -1);
        assert_int_equal(r.err_line, 1);
        if (!strstr(r.reason, cases[i].reason))
            fail_msg("header %zu: \"%s\"", i, r.reason);
        police_agg_release(&r.agg);
    }
}

/* A record that reaches stop_at ends the parse: how a range stops. */
static void test_parse_stop_at(void **state)
{
    (void)state;
    static const char text[] = HEADER "\n" ROW("2022-07", "A 001A", "Drugs") ROW("2022-07", "A 001A", "Drugs")
        ROW("2022-07", "A 001A", "Drugs");
    PoliceAgg a;
    PoliceParser p;
    police_agg_init(&a);
    police_parser_init(&p, &a, 1);
    size_t hlen = strlen(HEADER "\n"), rlen = strlen(ROW("2022-07", "A 001A", "Drugs"));
    p.stop_at = (int64_t)(hlen + rlen + 1); /* inside the second row */
    int64_t used = police_parse(&p, text, strlen(text), 1);
    assert_int_equal(used, hlen + 2 * rlen);
    assert_true(p.done);
    assert_int_equal(a.rows, 2);
    assert_int_equal(p.offset, used);
    police_parser_release(&p);
    police_agg_release(&a);
}

/* ---- merging ---- */

static void add_rows(PoliceAgg *a, const char *force, int month, const char *district, const char *type, int64_t n)
{
    uint32_t f = police_strs_intern(&a->forces, force, strlen(force));
    uint32_t d = district ? police_strs_intern(&a->districts, district, strlen(district)) + 1 : 0;
    uint32_t t = police_strs_intern(&a->types, type, strlen(type));
    police_counts_add(&a->counts, police_key(f, month, d, t), n);
    a->rows += n;
}

/* The current count in r for (force, month, district, type). */
static int64_t read_count(const PoliceRead *r, const char *force, int month, const char *district, const char *type)
{
    int64_t n = 0;
    for (size_t i = 0; i < r->counts.nslots; i++) {
        const PoliceCount *c = &r->counts.slots[i];
        if (!c->key || !police_read_current(r, c->key))
            continue;
        uint32_t gen, d, t;
        police_gkey_split(c->key, &gen, &d, &t);
        const PoliceFm *fm = &r->fms[r->gen_fm[gen]];
        if (fm->month != month || strcmp(r->forces.str[fm->force], force) != 0 ||
            strcmp(r->types.str[t], type) != 0)
            continue;
        if (district ? (d == 0 || strcmp(r->districts.str[d - 1], district) != 0) : d != 0)
            continue;
        n += c->n;
    }
    return n;
}

static void test_merge_replaces(void **state)
{
    (void)state;
    PoliceRead r;
    PoliceAgg a, b, c, d;
    police_read_init(&r);
    police_agg_init(&a);
    police_agg_init(&b);
    police_agg_init(&c);
    police_agg_init(&d);
    /* file 0: July and August; file 1: August again (say, the unpacked copy);
     * file 0 comes in two pieces (a and d); file 2 merged before file 1. */
    add_rows(&a, "Lancs", M(2022, 7), "Chorley", "Burglary", 5);
    add_rows(&a, "Lancs", M(2022, 8), "Chorley", "Burglary", 7);
    add_rows(&d, "Lancs", M(2022, 8), "Preston", "Drugs", 2);
    add_rows(&b, "Lancs", M(2022, 8), "Chorley", "Burglary", 9);
    add_rows(&c, "Lancs", M(2022, 9), NULL, "Drugs", 1);
    add_rows(&c, "Cumbria", M(2022, 8), "Carlisle", "Drugs", 3);
    police_read_merge(&r, 0, &a);
    police_read_merge(&r, 2, &c);
    police_read_merge(&r, 1, &b);
    police_read_merge(&r, 0, &d); /* a piece of file 0, after file 1 replaced its August */
    assert_int_equal(read_count(&r, "Lancs", M(2022, 7), "Chorley", "Burglary"), 5);
    assert_int_equal(read_count(&r, "Lancs", M(2022, 8), "Chorley", "Burglary"), 9);
    assert_int_equal(read_count(&r, "Lancs", M(2022, 8), "Preston", "Drugs"), 0);
    assert_int_equal(read_count(&r, "Lancs", M(2022, 9), NULL, "Drugs"), 1);
    assert_int_equal(read_count(&r, "Cumbria", M(2022, 8), "Carlisle", "Drugs"), 3);
    assert_int_equal(r.nfms, 4);
    police_agg_release(&a);
    police_agg_release(&b);
    police_agg_release(&c);
    police_agg_release(&d);
    police_read_release(&r);
}

/* ---- reading files ---- */

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_police.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", tmpdir, name);
    return buf_detach(&b);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_gz(const char *path, const char *data, size_t len)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

static int read_paths(char *const *paths, int n, PoliceRead *r, Err *err)
{
    return police_read(paths, n, 0, r, err);
}

static void test_read_formats(void **state)
{
    (void)state;
    char *plain = path_in("2022-07-lancashire-street.csv");
    char *gz = path_in("2022-07-lancashire-street.csv.gz");
    char *zipp = path_in("download.zip");
    write_file(plain, GOOD, strlen(GOOD));
    write_gz(gz, GOOD, strlen(GOOD));

    int zerr = 0;
    zip_t *z = zip_open(zipp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    zip_source_t *s1 = zip_source_buffer(z, GOOD, strlen(GOOD), 0);
    zip_source_t *s2 = zip_source_buffer(z, "Crime ID,Outcome\nx,y\n", 21, 0);
    static const char other[] = HEADER "\n,2022-07,Cumbria,Cumbria Constabulary,,,,,Carlisle 001A,Drugs,,\n";
    zip_source_t *s3 = zip_source_buffer(z, other, strlen(other), 0);
    assert_true(zip_dir_add(z, "2022-07", 0) >= 0);
    assert_true(zip_file_add(z, "2022-07/2022-07-lancashire-street.csv", s1, 0) >= 0);
    assert_true(zip_file_add(z, "2022-07/2022-07-lancashire-outcomes.csv", s2, 0) >= 0);
    assert_true(zip_file_add(z, "2022-07/2022-07-cumbria-street.csv", s3, 0) >= 0);
    assert_int_equal(zip_close(z), 0);

    char *one[1];
    const char *F = "Lancashire Constabulary";
    one[0] = plain;
    for (int k = 0; k < 3; k++) {
        PoliceRead r;
        Err err = ERR_INIT;
        one[0] = k == 0 ? plain : k == 1 ? gz : zipp;
        if (read_paths(one, 1, &r, &err) < 0)
            fail_msg("%s: %s", one[0], err_msg(&err));
        assert_int_equal(r.nfiles, k == 2 ? 2 : 1);
        assert_int_equal(r.rows, k == 2 ? 10 : 9);
        assert_int_equal(read_count(&r, F, M(2022, 8), "Chorley", "Vehicle crime"), 3);
        assert_int_equal(read_count(&r, F, M(2022, 7), NULL, "Drugs"), 1);
        if (k == 2)
            assert_int_equal(read_count(&r, "Cumbria Constabulary", M(2022, 7), "Carlisle", "Drugs"), 1);
        police_read_release(&r);
        err_release(&err);
    }

    /* The directory: the plain file, the gz, the archive, each taking the
     * same force-months from the one before: counted once. */
    one[0] = tmpdir;
    PoliceRead r;
    Err err = ERR_INIT;
    if (read_paths(one, 1, &r, &err) < 0)
        fail_msg("%s: %s", tmpdir, err_msg(&err));
    assert_int_equal(r.nfiles, 4);
    assert_int_equal(read_count(&r, F, M(2022, 8), "Chorley", "Vehicle crime"), 3);
    assert_int_equal(read_count(&r, F, M(2022, 7), "Chorley", "Burglary"), 2);
    police_read_release(&r);
    err_release(&err);
    unlink(plain);
    unlink(gz);
    unlink(zipp);
    free(plain);
    free(gz);
    free(zipp);
}

static void expect_read_error(char *path, const char *want)
{
    char *one[1] = {path};
    PoliceRead r;
    Err err = ERR_INIT;
    assert_int_equal(read_paths(one, 1, &r, &err), -1);
    if (!strstr(err_msg(&err), want))
        fail_msg("%s: wanted \"%s\" in \"%s\"", path, want, err_msg(&err));
    police_read_release(&r);
    err_release(&err);
}

static void test_read_errors(void **state)
{
    (void)state;
    char *bad = path_in("bad-street.csv");
    static const char text[] = HEADER "\n" ROW("2022-07", "A 001A", "Drugs") ",2022-07,P\n";
    write_file(bad, text, strlen(text));
    Buf want = BUF_INIT;
    buf_printf(&want, "%s:3: 3 fields, but the header has 12", bad);
    expect_read_error(bad, buf_cstr(&want));

    /* A truncated gzip file. */
    char *gz = path_in("cut-street.csv.gz");
    write_gz(gz, GOOD, strlen(GOOD));
    FILE *f = fopen(gz, "r+b");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 40), 0);
    fclose(f);
    expect_read_error(gz, "broken gzip data");

    char *empty = path_in("empty-street.csv");
    write_file(empty, "", 0);
    expect_read_error(empty, "empty file");

    char *nowhere = path_in("no-such-file.csv");
    expect_read_error(nowhere, "No such file");

    char *zipp = path_in("nothing.zip");
    int zerr = 0;
    zip_t *z = zip_open(zipp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    zip_source_t *s = zip_source_buffer(z, "x", 1, 0);
    assert_true(zip_file_add(z, "readme.txt", s, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    expect_read_error(zipp, "no street-level files in the archive");

    char *sub = path_in("sub");
    assert_int_equal(mkdir(sub, 0700), 0);
    expect_read_error(sub, "no street-level files in it");

    unlink(bad);
    unlink(gz);
    unlink(empty);
    unlink(zipp);
    rmdir(sub);
    free(bad);
    free(gz);
    free(empty);
    free(nowhere);
    free(zipp);
    free(sub);
    buf_release(&want);
}

/* A file big enough to be read in ranges by several threads: every row's
 * Location is quoted and holds a line break, so most cuts fall inside quotes
 * and the reader must notice and read again. Then a bad row far in must be
 * reported on its true line. */
static void big_file(const char *path, long rows, long bad_row, int quoted)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "%s\r\n", HEADER);
    static const char *const types[] = {"Burglary", "Drugs", "Anti-social behaviour", "Vehicle crime"};
    for (long i = 0; i < rows; i++) {
        if (i == bad_row) {
            fputs(",2022-07,P,P,,,x,,Chorley 001A,Drugs\r\n", f);
            continue;
        }
        fprintf(f, "%064ld,2022-%02ld,Lancashire Constabulary,Lancashire Constabulary,-2.6,53.6,", i, 1 + i % 12);
        if (quoted)
            fprintf(f, "\"On or near\r\n\"\"%ld\"\" Street, %s\",", i, "Chorley");
        else
            fputs("On or near a street,", f);
        fprintf(f, "E01000001,%s %03ldA,%s,Under investigation,\r\n", i % 3 ? "Chorley" : "Preston", i % 100,
                types[i % 4]);
    }
    assert_int_equal(fclose(f), 0);
}

static void test_read_big_in_ranges(void **state)
{
    (void)state;
    setenv("KPI_THREADS", "3", 1);
    for (int quoted = 0; quoted <= 1; quoted++) {
        char *path = path_in("big-street.csv");
        long rows = 200000; /* about 40 MB: more than two ranges' worth */
        big_file(path, rows, -1, quoted);
        char *one[1] = {path};
        PoliceRead r;
        Err err = ERR_INIT;
        if (read_paths(one, 1, &r, &err) < 0)
            fail_msg("%s", err_msg(&err));
        assert_int_equal(r.rows, rows);
        /* Rows i with i % 12 == 6 are July; of those, Chorley when i % 3 != 0
         * (i = 6 mod 12 is 0 mod 3: Preston), type i % 4 == 2: ASB. */
        int64_t july_preston_asb = 0, july_total = 0;
        for (long i = 0; i < rows; i++) {
            if (i % 12 != 6)
                continue;
            july_total++;
            if (i % 3 == 0 && i % 4 == 2)
                july_preston_asb++;
        }
        assert_int_equal(read_count(&r, "Lancashire Constabulary", M(2022, 7), "Preston", "Anti-social behaviour"),
                         july_preston_asb);
        int64_t sum = 0;
        for (int t = 0; t < 4; t++) {
            static const char *const types[] = {"Burglary", "Drugs", "Anti-social behaviour", "Vehicle crime"};
            sum += read_count(&r, "Lancashire Constabulary", M(2022, 7), "Preston", types[t]);
            sum += read_count(&r, "Lancashire Constabulary", M(2022, 7), "Chorley", types[t]);
        }
        assert_int_equal(sum, july_total);
        police_read_release(&r);
        err_release(&err);

        /* A bad row near the end: its line, counting quoted line breaks. */
        long bad = rows - 1000;
        big_file(path, rows, bad, quoted);
        Buf want = BUF_INIT;
        buf_printf(&want, "%s:%ld: 10 fields", path, 2 + bad * (quoted ? 2 : 1));
        expect_read_error(path, buf_cstr(&want));
        buf_release(&want);
        unlink(path);
        free(path);
    }
    unsetenv("KPI_THREADS");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_district),
        cmocka_unit_test(test_month),
        cmocka_unit_test(test_entry_and_name),
        cmocka_unit_test(test_strs_and_counts),
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_pieces),
        cmocka_unit_test(test_parse_bom_and_header_order),
        cmocka_unit_test(test_parse_non_ascii),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_many_fields),
        cmocka_unit_test(test_parse_bad_headers),
        cmocka_unit_test(test_parse_stop_at),
        cmocka_unit_test(test_merge_replaces),
        cmocka_unit_test(test_read_formats),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_read_big_in_ranges),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
