/* test_db.c — the SQL layer (db.h) on a real back end: placeholders outside
 * quotes, values that round-trip exactly, the bulk load, a write that fails
 * among writes sent ahead, one snapshot for a reader, foreign-key order of
 * the catalog, URLs without passwords in messages, backups.
 *
 * The database is $KPI_TEST_DB_URL (a PostgreSQL database that may be
 * emptied), or a new SQLite file in a temporary folder when it is unset; the
 * end-to-end suite runs this on PostgreSQL (tests/e2e/dblayer.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

#define TEST_DB_ROWS 25000 /* rows of the bulk load: several COPY flushes and cursor batches */

static char test_db_url[4096];

static Db *test_db_open(void)
{
    Db *db = NULL;
    Err err = ERR_INIT;
    if (db_open(test_db_url, 1, &db, &err) < 0)
        fail_msg("open %s: %s", test_db_url, err_msg(&err));
    err_release(&err);
    return db;
}

static void test_db_ok(int rc, Err *err)
{
    if (rc < 0)
        fail_msg("%s", err_msg(err));
}

/* A fresh pair of tables: parent (id, name UNIQUE), child (parent_id REFERENCES parent). */
static void test_db_tables_fresh(Db *db)
{
    Err err = ERR_INIT;
    test_db_ok(db_exec(db, "DROP TABLE IF EXISTS t_child; DROP TABLE IF EXISTS t_parent", &err), &err);
    test_db_ok(db_exec(db,
                       "CREATE TABLE t_parent (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT);"
                       "CREATE TABLE t_child (parent_id BIGINT NOT NULL REFERENCES t_parent(id), n BIGINT)",
                       &err),
               &err);
    err_release(&err);
}

static int64_t test_db_count(Db *db, const char *sql)
{
    DbStmt *st = NULL;
    Err err = ERR_INIT;
    test_db_ok(db_prepare(db, sql, &st, &err), &err);
    if (db_step(st, &err) != DB_ROW)
        fail_msg("%s: %s", sql, err_msg(&err));
    int64_t n = db_column_int64(st, 0);
    db_finalize(st);
    err_release(&err);
    return n;
}

static void test_placeholders(void **state)
{
    (void)state;
    Db *db = test_db_open();
    DbStmt *st = NULL;
    Err err = ERR_INIT;
    /* A `?` inside quotes or a comment is text, not a parameter. */
    test_db_ok(db_prepare(db,
                          "SELECT '?' || ? AS a, 'it''s ?' AS b, ? + 1 AS c /* ? */ -- ?\n",
                          &st, &err),
               &err);
    db_bind_text(st, 1, "x");
    db_bind_int64(st, 2, 41);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "?x");
    assert_string_equal(db_column_text(st, 1), "it's ?");
    assert_int_equal(db_column_int64(st, 2), 42);
    assert_int_equal(db_column_count(st), 3);
    assert_string_equal(db_column_name(st, 2), "c");
    assert_int_equal(db_step(st, &err), DB_DONE);
    db_finalize(st);
    db_close(db);
    err_release(&err);
}

static void test_values_round_trip(void **state)
{
    (void)state;
    static const int64_t ints[] = {0, -1, 1, INT64_MAX, INT64_MIN + 1, 4611686018427387904LL, -999999999999LL};
    static const char *const texts[] = {"", "tab\there", "line\nbreak", "back\\slash", "quote ' \" ;",
                                        "Ünïcödé — £ €", "\\N"};
    Db *db = test_db_open();
    Err err = ERR_INIT;
    DbStmt *ins = NULL, *sel = NULL;
    test_db_tables_fresh(db);
    test_db_ok(db_begin(db, &err), &err);
    test_db_ok(db_prepare(db, "INSERT INTO t_parent (id, name, note) VALUES (?, ?, ?)", &ins, &err), &err);
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        db_reset(ins);
        db_bind_int64(ins, 1, ints[k]);
        db_bind_text(ins, 2, texts[k]);
        if (k % 2)
            db_bind_null(ins, 3);
        else
            db_bind_text(ins, 3, texts[k]);
        test_db_ok(db_run(ins, &err), &err);
    }
    test_db_ok(db_commit(db, &err), &err);
    test_db_ok(db_prepare(db, "SELECT name, note FROM t_parent WHERE id = ?", &sel, &err), &err);
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        db_reset(sel);
        db_bind_int64(sel, 1, ints[k]);
        assert_int_equal(db_step(sel, &err), DB_ROW);
        assert_string_equal(db_column_text(sel, 0), texts[k]);
        if (k % 2) {
            assert_true(db_column_is_null(sel, 1));
            assert_null(db_column_text(sel, 1));
            assert_int_equal(db_column_type(sel, 1), DB_NULL);
        } else {
            assert_string_equal(db_column_text(sel, 1), texts[k]);
            assert_int_equal(db_column_type(sel, 1), DB_TEXT);
        }
    }
    db_finalize(ins);
    db_finalize(sel);
    db_close(db);
    err_release(&err);
}

static void test_bulk_load(void **state)
{
    (void)state;
    static const char *const cols[] = {"id", "name", "note"};
    Db *db = test_db_open();
    Err err = ERR_INIT;
    DbCopy *c = NULL;
    Buf name = BUF_INIT;
    test_db_tables_fresh(db);
    test_db_ok(db_begin(db, &err), &err);
    test_db_ok(db_copy_begin(db, "t_parent", cols, 3, &c, &err), &err);
    for (int k = 0; k < TEST_DB_ROWS; k++) {
        buf_reset(&name);
        buf_printf(&name, "row\t%d\\\n", k);
        db_copy_int64(c, 0, k);
        db_copy_text(c, 1, buf_cstr(&name));
        if (k % 3 == 0)
            db_copy_text(c, 2, "\\N");
        test_db_ok(db_copy_row(c, &err), &err);
    }
    test_db_ok(db_copy_end(c, 1, &err), &err);
    test_db_ok(db_commit(db, &err), &err);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_parent"), TEST_DB_ROWS);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_parent WHERE note IS NULL"),
                     TEST_DB_ROWS - (TEST_DB_ROWS + 2) / 3);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_parent WHERE note = '\\N'"), (TEST_DB_ROWS + 2) / 3);
    DbStmt *st = NULL;
    test_db_ok(db_prepare(db, "SELECT name FROM t_parent WHERE id = 1234", &st, &err), &err);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "row\t1234\\\n");
    db_finalize(st);

    /* Read back in batches, inside a snapshot (PostgreSQL: a cursor). */
    int64_t sum = 0, n = 0;
    test_db_ok(db_begin_read(db, &err), &err);
    test_db_ok(db_prepare(db, "SELECT id FROM t_parent WHERE id >= ? ORDER BY id", &st, &err), &err);
    db_stream(st);
    db_bind_int64(st, 1, 0);
    int step;
    while ((step = db_step(st, &err)) == DB_ROW) {
        assert_int_equal(db_column_int64(st, 0), n);
        sum += db_column_int64(st, 0);
        n++;
    }
    assert_int_equal(step, DB_DONE);
    assert_int_equal(n, TEST_DB_ROWS);
    assert_int_equal(sum, (int64_t)TEST_DB_ROWS * (TEST_DB_ROWS - 1) / 2);
    db_finalize(st);
    test_db_ok(db_commit(db, &err), &err);

    /* Writes between the rows of a streamed read, in one write transaction:
     * PostgreSQL sends them ahead and fetches the next batch after them. */
    DbStmt *ins = NULL;
    test_db_ok(db_begin(db, &err), &err);
    test_db_ok(db_prepare(db, "SELECT id FROM t_parent ORDER BY id", &st, &err), &err);
    db_stream(st);
    test_db_ok(db_prepare(db, "INSERT INTO t_child (parent_id, n) VALUES (?, ?)", &ins, &err), &err);
    n = 0;
    while ((step = db_step(st, &err)) == DB_ROW) {
        db_reset(ins);
        db_bind_int64(ins, 1, db_column_int64(st, 0));
        db_bind_int64(ins, 2, n++);
        test_db_ok(db_run(ins, &err), &err);
    }
    assert_int_equal(step, DB_DONE);
    db_finalize(ins);
    db_finalize(st);
    test_db_ok(db_commit(db, &err), &err);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_child"), TEST_DB_ROWS);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_child WHERE parent_id = n"), TEST_DB_ROWS);

    /* An abandoned load leaves nothing. */
    test_db_ok(db_begin(db, &err), &err);
    test_db_ok(db_copy_begin(db, "t_parent", cols, 3, &c, &err), &err);
    db_copy_int64(c, 0, -5);
    db_copy_text(c, 1, "abandoned");
    test_db_ok(db_copy_row(c, &err), &err);
    assert_int_equal(db_copy_end(c, 0, NULL), -1);
    db_rollback(db);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_parent WHERE id = -5"), 0);
    buf_release(&name);
    db_close(db);
    err_release(&err);
}

/* A write that fails among writes sent ahead fails the transaction: the
 * failure is reported (by the write, or at the latest by the next query or
 * COMMIT) and nothing of the transaction stays. */
static void test_failed_write(void **state)
{
    (void)state;
    Db *db = test_db_open();
    Err err = ERR_INIT;
    DbStmt *ins = NULL;
    test_db_tables_fresh(db);
    test_db_ok(db_exec(db, "INSERT INTO t_parent (id, name) VALUES (1, 'one')", &err), &err);
    test_db_ok(db_begin(db, &err), &err);
    test_db_ok(db_prepare(db, "INSERT INTO t_parent (id, name) VALUES (?, ?)", &ins, &err), &err);
    int failed = 0;
    Buf name = BUF_INIT;
    for (int k = 2; k < 10 && !failed; k++) {
        buf_reset(&name);
        buf_printf(&name, "n%d", k);
        db_reset(ins);
        db_bind_int64(ins, 1, k);
        db_bind_text(ins, 2, k == 5 ? "one" : buf_cstr(&name)); /* 5 breaks UNIQUE (name) */
        failed = db_run(ins, &err) < 0;
    }
    buf_release(&name);
    db_finalize(ins);
    if (!failed) {
        /* Sent ahead (PostgreSQL): the next query reports it. */
        DbStmt *st = NULL;
        failed = db_prepare(db, "SELECT COUNT(*) FROM t_parent", &st, &err) < 0 || db_step(st, &err) != DB_ROW;
        db_finalize(st);
    }
    if (!failed)
        failed = db_commit(db, &err) < 0;
    assert_true(failed);
    assert_non_null(strstr(err_msg(&err), "database error"));
    db_rollback(db);
    assert_int_equal(test_db_count(db, "SELECT COUNT(*) FROM t_parent"), 1);
    db_close(db);
    err_release(&err);
}

/* A reader's snapshot does not move while a writer commits. */
static void test_snapshot(void **state)
{
    (void)state;
    Db *reader = test_db_open(), *writer = test_db_open();
    Err err = ERR_INIT;
    test_db_tables_fresh(writer);
    test_db_ok(db_begin_read(reader, &err), &err);
    assert_int_equal(test_db_count(reader, "SELECT COUNT(*) FROM t_parent"), 0);
    test_db_ok(db_begin(writer, &err), &err);
    test_db_ok(db_exec(writer, "INSERT INTO t_parent (id, name) VALUES (1, 'a'), (2, 'b')", &err), &err);
    test_db_ok(db_commit(writer, &err), &err);
    assert_int_equal(test_db_count(reader, "SELECT COUNT(*) FROM t_parent"), 0);
    test_db_ok(db_commit(reader, &err), &err);
    assert_int_equal(test_db_count(reader, "SELECT COUNT(*) FROM t_parent"), 2);
    db_close(reader);
    db_close(writer);
    err_release(&err);
}

static void test_catalog(void **state)
{
    (void)state;
    Db *db = test_db_open();
    Err err = ERR_INIT;
    char **names = NULL;
    int n = 0, parent = -1, child = -1;
    test_db_tables_fresh(db);
    test_db_ok(db_tables(db, &names, &n, &err), &err);
    for (int k = 0; k < n; k++) {
        if (strcmp(names[k], "t_parent") == 0)
            parent = k;
        if (strcmp(names[k], "t_child") == 0)
            child = k;
    }
    assert_true(parent >= 0 && child >= 0);
    assert_true(parent < child); /* referenced before referencing, though "t_c" < "t_p" */
    db_tables_free(names, n);
    Buf q = BUF_INIT;
    db_quote_ident(&q, "we\"ird");
    assert_string_equal(buf_cstr(&q), "\"we\"\"ird\"");
    buf_release(&q);
    db_close(db);
    err_release(&err);
}

/* db_backup: a copy as of one moment, even while another connection holds an
 * uncommitted write; never over an existing file; PostgreSQL names pg_dump. */
static void test_backup(void **state)
{
    (void)state;
    Db *db = test_db_open(), *writer = test_db_open();
    Err err = ERR_INIT;
    char dir[] = "/tmp/kpi-test-backup.XXXXXX", path[64], path2[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/copy.db", dir);
    snprintf(path2, sizeof path2, "%s/copy2.db", dir);
    test_db_tables_fresh(writer);
    test_db_ok(db_exec(writer, "INSERT INTO t_parent (id, name) VALUES (1, 'kept')", &err), &err);
    test_db_ok(db_begin(writer, &err), &err);
    test_db_ok(db_exec(writer, "INSERT INTO t_parent (id, name) VALUES (2, 'not yet')", &err), &err);
    if (strcmp(db_backend(db), "postgresql") == 0) {
        assert_int_equal(db_backup(db, path, 0, &err), -1);
        assert_non_null(strstr(err_msg(&err), "pg_dump --format=custom --file="));
        assert_int_equal(access(path, F_OK), -1);
    } else {
        test_db_ok(db_backup(db, path, 0, &err), &err);
        test_db_ok(db_commit(writer, &err), &err);
        Db *copy = NULL;
        test_db_ok(db_open(path, 0, &copy, &err), &err);
        assert_int_equal(test_db_count(copy, "SELECT COUNT(*) FROM t_parent"), 1); /* the commit came later */
        db_close(copy);
        assert_int_equal(db_backup(db, path, 0, &err), -1);
        assert_non_null(strstr(err_msg(&err), "already exists"));
        test_db_ok(db_backup(db, path, 1, &err), &err); /* --force */
        test_db_ok(db_open(path, 0, &copy, &err), &err);
        assert_int_equal(test_db_count(copy, "SELECT COUNT(*) FROM t_parent"), 2);
        db_close(copy);
        assert_int_equal(db_backup(db, test_db_url, 1, &err), -1); /* onto itself */
        assert_non_null(strstr(err_msg(&err), "is the database being backed up"));
        assert_int_equal(db_backup(db, "/nonexistent-kpi-dir/x.db", 0, &err), -1);
        assert_non_null(strstr(err_msg(&err), "cannot write"));
        unlink(path);
    }
    assert_int_equal(access(path2, F_OK), -1);
    rmdir(dir); /* fails unless nothing else was left in it */
    assert_int_equal(access(dir, F_OK), -1);
    db_close(db);
    db_close(writer);
    err_release(&err);
}

static void test_url_redact(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"postgresql://u:secret@h:5432/db", "postgresql://u:***@h:5432/db"},
        {"postgres://u@h/db?password=secret&sslmode=require", "postgres://u@h/db?password=***&sslmode=require"},
        {"postgresql://h/db", "postgresql://h/db"},
        {"kpi.db", "kpi.db"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Buf b = BUF_INIT;
        db_url_redact(&b, cases[k][0]);
        assert_string_equal(buf_cstr(&b), cases[k][1]);
        buf_release(&b);
    }
    assert_string_equal(db_url_backend("postgresql://x/y"), "postgresql");
    assert_string_equal(db_url_backend("postgres://x/y"), "postgresql");
    assert_string_equal(db_url_backend("./kpi.db"), "sqlite");
}

int main(void)
{
    char dir[] = "/tmp/kpi-test-db.XXXXXX";
    const char *url = getenv("KPI_TEST_DB_URL");
    int made = 0;
    if (url && *url) {
        snprintf(test_db_url, sizeof test_db_url, "%s", url);
    } else {
        if (!mkdtemp(dir))
            return 1;
        made = 1;
        snprintf(test_db_url, sizeof test_db_url, "%s/test.db", dir);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders), cmocka_unit_test(test_values_round_trip),
        cmocka_unit_test(test_bulk_load),    cmocka_unit_test(test_failed_write),
        cmocka_unit_test(test_snapshot),     cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_url_redact),   cmocka_unit_test(test_backup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (made) {
        char path[sizeof test_db_url + 8];
        static const char *const suffixes[] = {"", "-wal", "-shm"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(path, sizeof path, "%s%s", test_db_url, suffixes[k]);
            unlink(path);
        }
        rmdir(dir);
    }
    return rc;
}
