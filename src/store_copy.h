/* store_copy.h — whole databases: copy one into a new one (SQLite to
 * PostgreSQL or back, history and accounts included), and dump one as text in
 * an order that does not depend on the back end (tests compare dumps). */
#ifndef KPI_STORE_COPY_H
#define KPI_STORE_COPY_H

#include "buf.h"
#include "err.h"

/* Copy every table of the kpi database `from` into `to`, which must be new:
 * a SQLite file that does not exist yet (or holds no table), or a PostgreSQL
 * database without tables. `to` gets the same schema, then every row in one
 * transaction; the row counts of every table are compared before it
 * commits. On error nothing is left in `to` (a SQLite file made for it is
 * removed). *summary gets one line per table and a total. */
int store_copy(const char *from, const char *to, Buf *summary /* OUT */, Err *err);

/* Every table of the database at url, in name order, each as a line
 * "-- table NAME (COLUMN, ...)" followed by its rows, one a line, values
 * separated by tabs (\N for NULL; backslash, tab and newline escaped), rows
 * in byte order. Read in one snapshot. */
int store_dump(const char *url, Buf *out /* OUT */, Err *err);

/* kpi backup: a consistent copy of the kpi database at url in the new SQLite
 * file `path`, made while others read and write it (db_backup: atomic, an
 * existing file refused unless replace = 1). The database is opened as it is,
 * never migrated first, so a backup taken before an upgrade is the old file.
 * On PostgreSQL the error gives the pg_dump command to use instead. */
int store_backup(const char *url, const char *path, int replace, Err *err);

#endif
