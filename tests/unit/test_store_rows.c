/* test_store_rows.c — store_rows (store.h), the Store's one loop that reads
 * every row of a query into a growing array: more rows than the first
 * capacity, bound parameters, the SQL's order, each element zeroed before
 * its row fills it, no rows, and a failing statement (-1, err set, *out
 * still an array the caller frees, *n = 0). On a new SQLite file in a
 * temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

#define TEST_ROWS 100 /* well past the first capacity: several doublings */

static char test_url[4096];

typedef struct TestRow {
    int64_t k;
    char *name;
    int64_t untouched; /* never set by the row function: must read 0 */
} TestRow;

static void test_row(DbStmt *st, void *elem)
{
    TestRow *r = elem;
    r->k = db_column_int64(st, 0);
    r->name = db_column_dup(st, 1);
}

static void test_rows_free(TestRow *v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

static void test_ok(int rc, Err *err)
{
    if (rc < 0)
        fail_msg("%s", err_msg(err));
}

static void test_store_rows(void **state)
{
    (void)state;
    Store s;
    memset(&s, 0, sizeof s);
    Err err = ERR_INIT;
    test_ok(db_open(test_url, 1, &s.db, &err), &err);
    test_ok(db_exec(s.db, "CREATE TABLE t (k INTEGER NOT NULL, name TEXT)", &err), &err);
    DbStmt *ins = NULL;
    test_ok(db_prepare(s.db, "INSERT INTO t (k, name) VALUES (?, ?)", &ins, &err), &err);
    for (int k = 0; k < TEST_ROWS; k++) {
        char name[32];
        snprintf(name, sizeof name, "n%03d", k);
        db_reset(ins);
        db_bind_int64(ins, 1, k);
        if (k % 10 == 0)
            db_bind_null(ins, 2);
        else
            db_bind_text(ins, 2, name);
        test_ok(db_run(ins, &err), &err);
    }
    db_finalize(ins);

    /* Structs, two parameters, descending order. */
    TestRow *rows = NULL;
    int n = -1;
    const int64_t params[] = {5, 94};
    test_ok(store_rows(&s, "SELECT k, name FROM t WHERE k >= ? AND k <= ? ORDER BY k DESC", params, 2, test_row,
                       sizeof *rows, &rows, &n, &err),
            &err);
    assert_int_equal(n, 90);
    for (int i = 0; i < n; i++) {
        int64_t k = 94 - i;
        assert_int_equal(rows[i].k, k);
        assert_int_equal(rows[i].untouched, 0);
        if (k % 10 == 0) {
            assert_null(rows[i].name);
        } else {
            char name[32];
            snprintf(name, sizeof name, "n%03d", (int)k);
            assert_string_equal(rows[i].name, name);
        }
    }
    test_rows_free(rows, n);

    /* The typed readers: int64 and text, no parameters. */
    int64_t *ids = NULL;
    test_ok(store_rows(&s, "SELECT k FROM t ORDER BY k", NULL, 0, store_row_int64, sizeof *ids, &ids, &n, &err),
            &err);
    assert_int_equal(n, TEST_ROWS);
    for (int i = 0; i < n; i++)
        assert_int_equal(ids[i], i);
    free(ids);
    char **names = NULL;
    test_ok(store_rows(&s, "SELECT name FROM t WHERE k < 3 ORDER BY k", NULL, 0, store_row_text, sizeof *names,
                       &names, &n, &err),
            &err);
    assert_int_equal(n, 3);
    assert_null(names[0]);
    assert_string_equal(names[1], "n001");
    assert_string_equal(names[2], "n002");
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);

    /* No rows: an empty array, not NULL. */
    rows = NULL;
    test_ok(store_rows(&s, "SELECT k, name FROM t WHERE k > ?", (const int64_t[]){TEST_ROWS}, 1, test_row,
                       sizeof *rows, &rows, &n, &err),
            &err);
    assert_int_equal(n, 0);
    assert_non_null(rows);
    test_rows_free(rows, n);

    /* A statement that cannot be prepared: -1, the error said, still an array. */
    rows = NULL;
    n = -1;
    assert_int_equal(store_rows(&s, "SELECT k, name FROM no_such_table", NULL, 0, test_row, sizeof *rows, &rows, &n,
                                &err),
                     -1);
    assert_true(err_is_set(&err));
    assert_int_equal(n, 0);
    assert_non_null(rows);
    test_rows_free(rows, n);
    err_release(&err);

    db_close(s.db);
}

int main(void)
{
    char dir[] = "/tmp/kpi-test-store-rows.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(test_url, sizeof test_url, "%s/test.db", dir);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_store_rows)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char path[sizeof test_url + 8];
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "%s%s", test_url, suffixes[k]);
        unlink(path);
    }
    rmdir(dir);
    return rc;
}
