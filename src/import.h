/* import.h — the importers of docs/files.md: indicators, values, targets,
 * projects, statuses and areas, from CSV files or .xlsx workbooks (same
 * columns, same rules; a value's rules are validate.h's). Each checks every row, names the place of the first thing wrong
 * (FILE:LINE, or FILE:SHEET!CELL in a workbook), and writes through the store
 * inside the caller's transaction. */
#ifndef KPI_IMPORT_H
#define KPI_IMPORT_H

#include "buf.h"
#include "err.h"
#include "store.h"

typedef enum ImportKind {
    IMPORT_INDICATORS, IMPORT_VALUES, IMPORT_TARGETS, IMPORT_PROJECTS, IMPORT_STATUSES, IMPORT_AREAS,
    IMPORT_REBASES,    /* indicator, period, reason: a new SPC segment starts (spc.h) */
    IMPORT_POPULATION, /* area,code,year,population: residents by calendar year (store_bench.h) */
    IMPORT_GROUPS,     /* group,area: comparator groups, in file order */
    IMPORT_NKINDS
} ImportKind;

int import_kind_parse(const char *s, ImportKind *out); /* 0 or -1 */

/* Import one file of the given kind: a CSV file, or (when it is a zip
 * archive) sheet `sheet` of an .xlsx workbook, NULL for its first sheet; a
 * sheet named for a CSV file is an error. Appends "N KIND from FILE" to
 * *summary. Returns 0 or -1 (err set, naming the place). Caller owns the
 * transaction. */
int import_file(Store *s, ImportKind kind, const char *path, const char *sheet, Buf *summary, Err *err);
/* A column mapping (`kpi import population --map "code=Code,area=Name,
 * population=All ages" --year 2021`): kpi column to[i] is read from the
 * file's column headed from[i]. The header is the first of the first 100
 * rows holding every mapped header (notes above it are skipped); other
 * columns are ignored; `year` (may be NULL) stands for an unmapped year
 * column; rows of areas neither declared by name nor by code are skipped
 * (and counted in the summary). */
typedef struct ImportMap {
    const char *to[16], *from[16];
    int n;
    const char *year;
    char *storage;
} ImportMap;
/* Parse "col=Header,col=Header" for kind: known columns, each once, the
 * required ones mapped. 0, or -1 with err set; free with import_map_release. */
int import_map_parse(const char *text, const char *year, ImportKind kind, ImportMap *out, Err *err);
void import_map_release(ImportMap *m);
/* import_file under a mapping (map may be NULL: the file's own header). */
int import_file_mapped(Store *s, ImportKind kind, const char *path, const char *sheet, const ImportMap *map,
                       Buf *summary, Err *err);
/* The same with the first sheet (kept for callers of the CSV-only days). */
int import_csv(Store *s, ImportKind kind, const char *path, Buf *summary, Err *err);

#endif
