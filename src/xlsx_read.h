/* xlsx_read.h — read the rows of one sheet of an .xlsx workbook, streaming,
 * through libzip and the small XML reader (xml.c). Cells come back as text,
 * as a CSV reader would give them: shared and inline strings as written,
 * numbers in plain decimal (at most 15 significant digits, the precision a
 * spreadsheet shows: 77.400000000000006 reads "77.4"), booleans as TRUE or
 * FALSE, error values as shown (#DIV/0!), formulas by their last computed
 * value. Rows without a non-empty cell are skipped, as blank lines are in CSV.
 * Dates are not interpreted: a date cell reads as its serial number. */
#ifndef KPI_XLSX_READ_H
#define KPI_XLSX_READ_H

#include <zip.h>

#include "buf.h"
#include "err.h"
#include "xml.h"

#define XLSX_MAX_COLS 16384                 /* columns a sheet may have (A..XFD) */
#define XLSX_MAX_ROWS 1048576L              /* rows a sheet may have */
#define XLSX_MAX_PART (64L * 1024 * 1024)   /* bytes of a small part read whole (workbook, rels) */
#define XLSX_MAX_STRINGS (256L * 1024 * 1024) /* bytes of shared strings kept in memory */
#define XLSX_MAX_CELL (1024 * 1024)         /* bytes one cell's text may hold */

typedef struct XlsxReader {
    const char *path;     /* for messages; not owned */
    zip_t *za;
    zip_file_t *zf;       /* the sheet part, streamed */
    char *sheet;          /* the sheet's name */
    Buf what;             /* "FILE:PART" for messages about the XML */
    Buf sst;              /* shared strings, each NUL-terminated */
    size_t *sst_off;
    long nsst, capsst;
    XmlReader xml;        /* over the sheet part */
    int xml_open;
    long row;             /* number of the current row (1-based) */
    Buf cells;            /* this row's cell texts, each NUL-terminated */
    long *cell_at;        /* offset of column i's text in cells; -1 = empty */
    int ncells;           /* columns up to the last non-empty cell */
    int capcells;
    int in_data;          /* inside <sheetData> */
    int done;
} XlsxReader;

/* Open `sheet` (NULL: the first sheet) of the workbook at path. Errors name
 * the file ("values.xlsx: not an .xlsx workbook: ..."; "no sheet 'X' (sheets:
 * A, B)"). Pair with xlsx_close, also after a failed open. */
int xlsx_open(XlsxReader *r, const char *path, const char *sheet, Err *err);
void xlsx_close(XlsxReader *r);

/* The next row with a non-empty cell: 1, 0 at the end, -1 with err set
 * (naming FILE:SHEET!CELL where a cell is at fault). */
int xlsx_next(XlsxReader *r, Err *err);
long xlsx_row(const XlsxReader *r);
int xlsx_ncells(const XlsxReader *r);
const char *xlsx_cell(const XlsxReader *r, int col); /* 0-based; "" when empty or beyond */
const char *xlsx_sheet(const XlsxReader *r);

/* "D7" for column 3 (0-based), row 7. */
void xlsx_cell_name(Buf *out, int col, long row);
/* Parse "D7" (or "$D$7") into 0-based column and row; 0 or -1. */
int xlsx_ref_parse(const char *ref, int *col, long *row);
/* FILE:SHEET!REF for messages: the sheet name quoted as a formula would
 * quote it when it holds anything but letters, digits and '_'
 * ('Q2 values'!D7). col < 0 names the whole row (Sheet1!7:7); row 0 names
 * the sheet alone. */
void xlsx_where(Buf *out, const char *path, const char *sheet, int col, long row);

#endif
