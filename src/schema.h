/* schema.h — the database schema and its migrations, in one place. */
#ifndef KPI_SCHEMA_H
#define KPI_SCHEMA_H

#include "db.h"

/* Bring the schema up to the latest version inside the caller's transaction.
 * Idempotent. Returns 0 or -1 (err set). */
int schema_migrate(Db *db, Err *err);
/* The version this build writes; a newer database is refused. */
int schema_version_latest(void);
/* The database's current version (0 when empty). */
int schema_version(Db *db, int *out, Err *err);

#endif
