/* schema.c — the schema as a list of migrations. Each migration runs once, in
 * order, inside the caller's transaction; meta.schema_version records the last.
 * The SQL is written for both SQLite and PostgreSQL: "@ID@" stands for the
 * back end's auto-increment primary key; a statement that starts "@PG@" runs
 * on PostgreSQL only. Values are integers in micro-units
 * (value × 10^6), so sums stay exact on every back end. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const schema_migrations[] = {
    /* 1: the framework, the data, their history */
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE areas (id @ID@, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE partners (id @ID@, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE indicators ("
    " id @ID@, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
    " unit TEXT NOT NULL, polarity TEXT NOT NULL, aggregate TEXT NOT NULL,"
    " frequency TEXT NOT NULL, decimals INTEGER NOT NULL,"
    " parent TEXT, partner_id BIGINT REFERENCES partners(id), formula TEXT,"
    " position INTEGER NOT NULL);"
    "CREATE TABLE vals ("
    " id @ID@, indicator_id BIGINT NOT NULL REFERENCES indicators(id),"
    " area_id BIGINT NOT NULL REFERENCES areas(id),"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " value BIGINT, numerator BIGINT, denominator BIGINT, note TEXT,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " UNIQUE (indicator_id, area_id, kind, first_month));"
    /* Covering index: a period's figures read only this, in month order. */
    "CREATE INDEX vals_month ON vals (first_month, indicator_id, area_id, kind, value, numerator, denominator);"
    "CREATE TABLE value_history ("
    " id @ID@, indicator_id BIGINT NOT NULL, area_id BIGINT NOT NULL,"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " old_value BIGINT, old_numerator BIGINT, old_denominator BIGINT, old_note TEXT,"
    " new_value BIGINT, new_numerator BIGINT, new_denominator BIGINT, new_note TEXT,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL);"
    "CREATE INDEX value_history_key ON value_history (indicator_id, area_id, first_month);"
    "CREATE TABLE targets ("
    " indicator_id BIGINT NOT NULL REFERENCES indicators(id),"
    " area_id BIGINT NOT NULL REFERENCES areas(id), fy INTEGER NOT NULL,"
    " target BIGINT NOT NULL, tolerance BIGINT NOT NULL,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " PRIMARY KEY (indicator_id, area_id, fy));"
    "CREATE TABLE projects ("
    " id @ID@, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT,"
    " lead TEXT, is_key INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL);"
    "CREATE TABLE statuses ("
    " project_id BIGINT NOT NULL REFERENCES projects(id),"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " status TEXT NOT NULL, commentary TEXT,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " PRIMARY KEY (project_id, kind, first_month));"
    "CREATE TABLE status_history ("
    " id @ID@, project_id BIGINT NOT NULL, kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " old_status TEXT, old_commentary TEXT, new_status TEXT, new_commentary TEXT,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL);",

    /* 2: police.uk imports: which force-months were imported, and each force's counts */
    "CREATE TABLE police_months ("
    " force TEXT NOT NULL, month INTEGER NOT NULL, rows_read BIGINT NOT NULL,"
    " imported_at TEXT NOT NULL, PRIMARY KEY (force, month));"
    "CREATE TABLE police_counts ("
    " force TEXT NOT NULL, month INTEGER NOT NULL,"
    " area_id BIGINT NOT NULL REFERENCES areas(id),"
    " indicator_id BIGINT NOT NULL REFERENCES indicators(id),"
    " n BIGINT NOT NULL,"
    " PRIMARY KEY (force, month, area_id, indicator_id));",

    /* 3: police counts by month over every force (the sums `kpi import police` rewrites values from) */
    "CREATE INDEX police_counts_month ON police_counts (month, area_id, indicator_id, n);",

    /* 4: the web application: accounts, sessions, API tokens, failed sign-ins (for throttling).
     * Sessions and tokens are stored only as hashes of the secret the client holds. */
    "CREATE TABLE users ("
    " id @ID@, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    " partner_id BIGINT REFERENCES partners(id), password_hash TEXT NOT NULL,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE sessions ("
    " id_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL, expires_at BIGINT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE tokens ("
    " id @ID@, user_id BIGINT NOT NULL REFERENCES users(id), token_hash TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE login_attempts ("
    " id @ID@, account TEXT NOT NULL, address TEXT NOT NULL, at BIGINT NOT NULL);"
    "CREATE INDEX login_attempts_account ON login_attempts (account, at);"
    "CREATE INDEX login_attempts_address ON login_attempts (address, at);",

    /* 5: declared areas (an ONS GSS code, unique when given; the area they lie in)
     * and each indicator's own bounds on its values (micro-units; NULL: the
     * unit's default, see validate.h). parent_id has no REFERENCES so that
     * `kpi copy` may write areas in any order. */
    "ALTER TABLE areas ADD COLUMN code TEXT;"
    "ALTER TABLE areas ADD COLUMN parent_id BIGINT;"
    "CREATE UNIQUE INDEX areas_code ON areas (code);"
    "ALTER TABLE indicators ADD COLUMN min_value BIGINT;"
    "ALTER TABLE indicators ADD COLUMN max_value BIGINT;",
    /* 6: statistical process control: an indicator's baseline (the first N points of a segment fix its
     * limits; NULL: all of them) and the periods that start a new segment, each with its reason */
    "ALTER TABLE indicators ADD COLUMN spc_baseline INTEGER;"
    "CREATE TABLE rebases ("
    " indicator_id BIGINT NOT NULL REFERENCES indicators(id),"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL, reason TEXT NOT NULL,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " PRIMARY KEY (indicator_id, kind, first_month));",

    /* 7 (benchmarking, docs/benchmark.md): residents of an area in a calendar year
     * (`kpi import population`); comparator groups of areas, in their order
     * (`kpi import groups`, or made by `kpi import police`: source 'police');
     * an indicator's rate is shown per `per` residents (NULL: not set). */
    "CREATE TABLE populations ("
    " area_id BIGINT NOT NULL REFERENCES areas(id), year INTEGER NOT NULL, population BIGINT NOT NULL,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, PRIMARY KEY (area_id, year));"
    "CREATE TABLE area_groups ("
    " id @ID@, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL, position INTEGER NOT NULL);"
    "CREATE TABLE area_group_members ("
    " group_id BIGINT NOT NULL REFERENCES area_groups(id), area_id BIGINT NOT NULL REFERENCES areas(id),"
    " position INTEGER NOT NULL, PRIMARY KEY (group_id, area_id));"
    "ALTER TABLE indicators ADD COLUMN per BIGINT;",

    /* 8 (the quarterly cycle, docs/cycle.md): collection rounds (a period, its open
     * and due dates as YYYY-MM-DD, reminder offsets in days from the due date
     * like "-7,0,3", state open or closed); each partner's return in a round
     * (submitted, approved or returned, with the reason) and its history;
     * exception commentary for a figure (cause, action, owner, date);
     * published papers, each file's bytes (base64 text: db.h binds no blobs)
     * with its SHA-256, and the values each paper used (their versions);
     * locked periods (published: no value, status or commentary changes);
     * the reopen log; reminders sent (never the same twice); an audit log of
     * the cycle's actions; users' e-mail addresses. */
    "CREATE TABLE rounds ("
    " id @ID@, kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " opens TEXT NOT NULL, due TEXT NOT NULL, remind TEXT NOT NULL, state TEXT NOT NULL,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, UNIQUE (kind, first_month));"
    "CREATE TABLE round_returns ("
    " round_id BIGINT NOT NULL REFERENCES rounds(id), partner_id BIGINT NOT NULL REFERENCES partners(id),"
    " state TEXT NOT NULL, reason TEXT, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " PRIMARY KEY (round_id, partner_id));"
    "CREATE TABLE return_history ("
    " id @ID@, round_id BIGINT NOT NULL, partner_id BIGINT NOT NULL, state TEXT NOT NULL, reason TEXT,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL);"
    "CREATE TABLE exceptions ("
    " indicator_id BIGINT NOT NULL REFERENCES indicators(id), area_id BIGINT NOT NULL REFERENCES areas(id),"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
    " cause TEXT NOT NULL, action TEXT NOT NULL, owner TEXT NOT NULL, action_date TEXT NOT NULL,"
    " changed_at TEXT NOT NULL, changed_by TEXT NOT NULL,"
    " PRIMARY KEY (indicator_id, area_id, kind, first_month));"
    "CREATE TABLE papers ("
    " id @ID@, kind INTEGER NOT NULL, first_month INTEGER NOT NULL, area_id BIGINT NOT NULL REFERENCES areas(id),"
    " template TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL);"
    "CREATE TABLE paper_files ("
    " paper_id BIGINT NOT NULL REFERENCES papers(id), format TEXT NOT NULL, size BIGINT NOT NULL,"
    " sha256 TEXT NOT NULL, bytes TEXT NOT NULL, PRIMARY KEY (paper_id, format));"
    "CREATE TABLE paper_values ("
    " paper_id BIGINT NOT NULL REFERENCES papers(id), indicator_id BIGINT NOT NULL, area_id BIGINT NOT NULL,"
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL, version INTEGER NOT NULL,"
    " PRIMARY KEY (paper_id, indicator_id, area_id, kind, first_month));"
    "CREATE TABLE locks ("
    " kind INTEGER NOT NULL, first_month INTEGER NOT NULL, paper_id BIGINT NOT NULL REFERENCES papers(id),"
    " locked_at TEXT NOT NULL, locked_by TEXT NOT NULL, PRIMARY KEY (kind, first_month));"
    "CREATE TABLE reopen_log ("
    " id @ID@, kind INTEGER NOT NULL, first_month INTEGER NOT NULL, paper_id BIGINT NOT NULL,"
    " reason TEXT NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL);"
    "CREATE TABLE reminders ("
    " user_id BIGINT NOT NULL REFERENCES users(id), round_id BIGINT NOT NULL REFERENCES rounds(id),"
    " offset_days INTEGER NOT NULL, sent_on TEXT NOT NULL, items INTEGER NOT NULL,"
    " sent_at TEXT NOT NULL, PRIMARY KEY (user_id, round_id, offset_days));"
    "CREATE TABLE audit_log ("
    " id @ID@, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);"
    "ALTER TABLE users ADD COLUMN email TEXT;",

    /* 9: which figures need exception commentary before a partner's return is
     * submitted: "red" (the default), or "amber" for amber and red alike. */
    "ALTER TABLE rounds ADD COLUMN exceptions_for TEXT NOT NULL DEFAULT 'red';",

    /* 10, PostgreSQL only (docs/postgresql.md, "Bulk loads"): the tables a
     * national police import fills by the million keep only the indexes
     * something reads. No index on the ids of values and their history,
     * which nothing looks up (a value is found by its key, a history by its
     * value's key, then ordered by id); SQLite's id is the row's own number
     * and costs nothing. No foreign keys on values and police counts:
     * PostgreSQL checks one with a look-up and a row lock on the area and on
     * the indicator for every row written (half a national import's time),
     * and lifting them for a load would lock every reader out until it
     * commits. kpi never deletes an area or an indicator, every id it
     * writes comes from those tables in the same transaction, and a bulk
     * load checks all its ids in one join (store.c). SQLite keeps them. */
    "@PG@ ALTER TABLE vals DROP CONSTRAINT IF EXISTS vals_pkey;"
    "@PG@ ALTER TABLE value_history DROP CONSTRAINT IF EXISTS value_history_pkey;"
    "@PG@ ALTER TABLE vals DROP CONSTRAINT IF EXISTS vals_area_id_fkey;"
    "@PG@ ALTER TABLE vals DROP CONSTRAINT IF EXISTS vals_indicator_id_fkey;"
    "@PG@ ALTER TABLE police_counts DROP CONSTRAINT IF EXISTS police_counts_area_id_fkey;"
    "@PG@ ALTER TABLE police_counts DROP CONSTRAINT IF EXISTS police_counts_indicator_id_fkey;",

    /* 11, PostgreSQL only (docs/postgresql.md, "Bulk loads"): the month
     * indexes of values and police counts become block-range (BRIN)
     * indexes. A national year of police data adds a month to every
     * (indicator, area): the B-trees put each row into a covering entry
     * (vals_month: 87 MB for three years, larger than its table; a third of
     * the values' write time, half the counts'), where a block range keeps
     * the least and greatest month of each 128 pages, a few kilobytes in
     * all. kpi adds values in loads, so the blocks of a load hold its
     * months and no other: a query for new months reads nothing, one for a
     * month of a year's load reads that load's blocks (police counts go in
     * month order, store_police.c, so a month reads its own). autosummarize
     * has the server summarize each range as it fills; a range not yet
     * summarized is read whole, so answers never depend on it. Readers
     * that ask for one district go by the key (indicator_id, area_id, ...),
     * as before. On SQLite the covering indexes stay: its index-only reads
     * need no visibility map, and its writes are in the process. */
    "@PG@ CREATE INDEX IF NOT EXISTS vals_month_range ON vals USING brin (first_month)"
    " WITH (autosummarize = on);"
    "@PG@ DROP INDEX IF EXISTS vals_month;"
    "@PG@ CREATE INDEX IF NOT EXISTS police_counts_month_range ON police_counts USING brin (month)"
    " WITH (autosummarize = on);"
    "@PG@ DROP INDEX IF EXISTS police_counts_month;",
};

#define SCHEMA_NMIGRATIONS ((int)(sizeof schema_migrations / sizeof schema_migrations[0]))

int schema_version_latest(void)
{
    return SCHEMA_NMIGRATIONS;
}

int schema_version(Db *db, int *out, Err *err)
{
    DbStmt *st = NULL;
    *out = 0;
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", err) < 0)
        return -1;
    if (db_prepare(db, "SELECT value FROM meta WHERE key = 'schema_version'", &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *out = atoi(db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Is c a character of an SQL word? */
static int schema_word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Translate portable SQL for the back end: each "@ID@" becomes its
 * auto-increment key; on PostgreSQL each TEXT column type gets COLLATE "C",
 * so text compares and sorts byte by byte as in SQLite whatever the server's
 * locale (ORDER BY name gives the same order, and so the same output, on
 * both). Quoted text is copied as it is. */
static void schema_translate(Buf *out, const char *sql, const char *backend)
{
    int pg = strcmp(backend, "postgresql") == 0;
    const char *id = pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            const char *end = strchr(p + 1, *p);
            size_t n = end ? (size_t)(end + 1 - p) : strlen(p);
            buf_append(out, p, n);
            p += n;
        } else if (strncmp(p, "@PG@", 4) == 0) {
            const char *end = strchr(p, ';'); /* such a statement holds no quoted ';' */
            p = pg ? p + 4 : end ? end + 1 : p + strlen(p);
        } else if (strncmp(p, "@ID@", 4) == 0) {
            buf_puts(out, id);
            p += 4;
        } else if (pg && strncmp(p, "TEXT", 4) == 0 && (p == sql || !schema_word_char(p[-1])) &&
                   !schema_word_char(p[4])) {
            buf_puts(out, "TEXT COLLATE \"C\"");
            p += 4;
        } else {
            buf_putc(out, *p++);
        }
    }
}

int schema_migrate(Db *db, Err *err)
{
    int version;
    DbStmt *st = NULL;
    Buf sql = BUF_INIT;
    int rc = -1;

    if (schema_version(db, &version, err) < 0)
        return -1;
    if (version > SCHEMA_NMIGRATIONS)
        return err_set(err, "the database has schema version %d, newer than this kpi (%d): upgrade kpi",
                       version, SCHEMA_NMIGRATIONS);
    for (int v = version; v < SCHEMA_NMIGRATIONS; v++) {
        buf_reset(&sql);
        schema_translate(&sql, schema_migrations[v], db_backend(db));
        if (db_exec(db, buf_cstr(&sql), err) < 0)
            goto out;
    }
    if (version < SCHEMA_NMIGRATIONS) {
        char num[16];
        snprintf(num, sizeof num, "%d", SCHEMA_NMIGRATIONS);
        if (db_prepare(db, "DELETE FROM meta WHERE key = 'schema_version'", &st, err) < 0 || db_run(st, err) < 0)
            goto out;
        db_finalize(st);
        st = NULL;
        if (db_prepare(db, "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", &st, err) < 0)
            goto out;
        db_bind_text(st, 1, num);
        if (db_run(st, err) < 0)
            goto out;
    }
    rc = 0;
out:
    db_finalize(st);
    buf_release(&sql);
    return rc;
}
