/* fuzz_xlsx.c — libFuzzer harness for the .xlsx sheet reader (src/xlsx_read.c)
 * and, beneath it, the XML reader on the parts of a workbook.
 * An input that starts with "PK" is taken as a whole .xlsx file. Any other
 * input is cut at each "\n====\n" into up to five parts of a workbook, in this
 * order: the sheet (xl/worksheets/sheet1.xml), the shared strings, the
 * workbook, the workbook's relationships, the package relationships; a part
 * not given is a small valid one. The parts are stored uncompressed with
 * libzip, so the mutations reach the XML rather than breaking checksums. The
 * workbook is written to a temporary file (xlsx_open reads a path) and every
 * row and cell of its first sheet is read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "xlsx_read.h"

#define NPARTS 5
#define SEP "\n====\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const PART_NAMES[NPARTS] = {
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels", "_rels/.rels",
};

static const char *const PART_DEFAULTS[NPARTS] = {
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>1.5</v></c></row>"
    "</sheetData></worksheet>",
    "<sst><si><t>indicator</t></si></sst>",
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>",
    "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>",
};

static char *tmp_path;

static void remove_tmp(void)
{
    unlink(tmp_path);
}

static void make_tmp_path(void)
{
    if (tmp_path)
        return;
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    Buf b = BUF_INIT;
    buf_printf(&b, "%s/kpi-fuzz-xlsx-%ld.xlsx", dir, (long)getpid());
    tmp_path = buf_detach(&b);
    atexit(remove_tmp);
}

static void write_raw(const uint8_t *data, size_t size)
{
    FILE *fp = fopen(tmp_path, "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
        perror(tmp_path);
        abort();
    }
}

static void write_parts(const uint8_t *data, size_t size)
{
    const char *part[NPARTS];
    size_t len[NPARTS];
    int n = 0;
    const char *p = (const char *)data, *end = p + size;
    while (n < NPARTS) {
        const char *cut = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
        part[n] = p;
        len[n] = cut ? (size_t)(cut - p) : (size_t)(end - p);
        n++;
        if (!cut)
            break;
        p = cut + strlen(SEP);
    }
    for (int i = n; i < NPARTS; i++) {
        part[i] = PART_DEFAULTS[i];
        len[i] = strlen(PART_DEFAULTS[i]);
    }
    int code = 0;
    zip_t *za = zip_open(tmp_path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!za)
        abort();
    for (int i = 0; i < NPARTS; i++) {
        zip_source_t *s = zip_source_buffer(za, part[i], len[i], 0);
        zip_int64_t idx = s ? zip_file_add(za, PART_NAMES[i], s, ZIP_FL_OVERWRITE) : -1;
        if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
            abort();
    }
    if (zip_close(za) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_tmp_path();
    if (size >= 2 && data[0] == 'P' && data[1] == 'K')
        write_raw(data, size);
    else
        write_parts(data, size);

    XlsxReader r;
    Err err = ERR_INIT;
    if (xlsx_open(&r, tmp_path, NULL, &err) == 0) {
        Buf where = BUF_INIT;
        for (long n = 0; n < 1000000; n++) {
            int rc = xlsx_next(&r, &err);
            if (rc < 0 && !err_is_set(&err))
                abort();
            if (rc <= 0)
                break;
            if (xlsx_row(&r) < 1 || xlsx_row(&r) > XLSX_MAX_ROWS)
                abort(); /* rows within the sheet */
            int nc = xlsx_ncells(&r);
            if (nc < 1 || nc > XLSX_MAX_COLS)
                abort();
            for (int c = 0; c <= nc; c++) {
                const char *t = xlsx_cell(&r, c);
                int col;
                long row;
                (void)xlsx_ref_parse(t, &col, &row);
            }
            buf_reset(&where);
            xlsx_where(&where, tmp_path, xlsx_sheet(&r), nc - 1, xlsx_row(&r));
            xlsx_cell_name(&where, nc - 1, xlsx_row(&r));
        }
        buf_release(&where);
    } else if (!err_is_set(&err)) {
        abort();
    }
    xlsx_close(&r);
    err_release(&err);
    return 0;
}
