/* cmd_report.c — `kpi report` (a template rendered for a period and area, in
 * any format of render.c; --reference-doc lends a council's Word template to
 * docx) and `kpi demo` (the worked example, carried inside the binary, built
 * into a folder: its input files, a database and the rendered papers in every
 * format). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "validate.h"
#include "dataset.h"
#include "embed.h"
#include "import.h"
#include "render.h"
#include "template.h"

#define REPORT_MAX_TEMPLATE (4 * 1024 * 1024) /* bytes a template may hold */
#define DEMO_EXAMPLE "chorley-2011-q2"
#define DEMO_PERIOD "2011/12 Q2"
#define DEMO_AREA "Chorley"

/* Read a whole (small) text file. */
static int read_file(const char *path, Buf *out, Err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return err_set(err, "%s: cannot open: %s", path, strerror(errno));
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        buf_append(out, chunk, n);
        if (out->len > REPORT_MAX_TEMPLATE) {
            fclose(fp);
            return err_set(err, "%s: larger than %d bytes", path, REPORT_MAX_TEMPLATE);
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad)
        return err_set(err, "%s: read error", path);
    return 0;
}

/* Render template text for (period, area) from an open store into *out
 * (bytes, for the binary formats). reference_doc: a .docx whose styles the
 * docx output takes, or NULL. lacks (may be NULL) gets what the paper shows
 * without its figure, a line each (template_build_checked). */
static int report_render(Store *s, const char *template_text, size_t len, const char *template_path,
                         const char *period_text, const char *area, const char *format,
                         const char *reference_doc, Buf *out, Buf *lacks, Err *err)
{
    Dataset d;
    ReportCtx ctx;
    Project *projects = NULL;
    int nprojects = 0, rc = -1, loaded = 0, have_ctx = 0;
    Doc *doc = NULL;
    Period p;
    const char *why;

    if (period_parse(period_text, s->fy_start, &p, &why) < 0)
        return err_set(err, "bad period '%s': %s", period_text, why);
    if (!area)
        area = s->home_area;
    if (dataset_load_areas(s, p, &area, 1, &d, err) < 0) /* that area's values only */
        return -1;
    loaded = 1;
    int a = dataset_area_index(&d, area);
    if (a < 0) {
        int64_t id;
        if (!d.partial_list)
            validate_unknown_area(err, area, d.areas, d.nareas);
        else if (validate_area(s, area, &id, err) == 0) /* lists every area */
            err_set(err, "area '%s' cannot be read", area);
        goto out;
    }
    if (dataset_report(s, &d, a, &ctx, &projects, &nprojects, err) < 0)
        goto out;
    have_ctx = 1;
    if (template_build_checked(template_text, len, template_path, &ctx, &doc, lacks, err) < 0)
        goto out;
    RenderOpts ropts = {reference_doc, &ctx};
    if (render_doc_opts(doc, format, &ropts, out, err) < 0)
        goto out;
    rc = 0;
out:
    if (doc)
        doc_free(doc);
    if (have_ctx)
        dataset_report_release(&ctx, projects, nprojects);
    if (loaded)
        dataset_release(&d);
    return rc;
}

int cmd_report(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Buf tpl = BUF_INIT, out = BUF_INIT, lacks = BUF_INIT;
    int rc = -1, opened = 0;

    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    const char *format = cli_opt(&o, "format"), *refdoc = cli_opt(&o, "reference-doc");
    if (o.npos != 1) {
        cli_usage_error(err, "report needs exactly one TEMPLATE");
        goto out;
    }
    if (!cli_opt(&o, "period")) {
        cli_usage_error(err, "--period is required (e.g. --period \"2011/12 Q2\")");
        goto out;
    }
    if (!format) {
        cli_usage_error(err, "--format is required (%s)", render_format_list());
        goto out;
    }
    if (!render_format_known(format)) {
        cli_usage_error(err, "unknown format '%s' (expected %s)", format, render_format_list());
        goto out;
    }
    if (refdoc && strcmp(format, "docx") != 0) {
        cli_usage_error(err, "--reference-doc goes with --format docx");
        goto out;
    }
    if (render_format_binary(format) && !cli_opt(&o, "o") && isatty(1)) {
        cli_usage_error(err, "%s is not text: give -o FILE (or redirect the output)", format);
        goto out;
    }
    if (read_file(o.pos[0], &tpl, err) < 0)
        goto out;
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_begin_read(&s, err) < 0) /* one snapshot: an import is seen whole or not at all */
        goto out;
    if (report_render(&s, buf_cstr(&tpl), tpl.len, o.pos[0], cli_opt(&o, "period"), cli_opt(&o, "area"), format,
                      refdoc, &out, &lacks, err) < 0)
        goto out;
    if (lacks.len) {
        /* every figure the paper shows without: a warning, or with --strict an error and no paper */
        int strict = cli_opt(&o, "strict") != NULL;
        fprintf(stderr, "kpi: %s: %s: the paper has no figure for:\n", strict ? "error" : "warning", o.pos[0]);
        for (const char *l = buf_cstr(&lacks); *l;) {
            const char *nl = strchr(l, '\n');
            int n = nl ? (int)(nl - l) : (int)strlen(l);
            fprintf(stderr, "kpi:   %.*s\n", n, l);
            l += n + (nl != NULL);
        }
        if (strict) {
            err_set(err, "%s: --strict: the paper is missing figures (listed above); nothing written", o.pos[0]);
            goto out;
        }
    }
    const char *path = cli_opt(&o, "o");
    if (path) {
        if (cli_write_file(path, buf_cstr(&out), out.len, err) < 0)
            goto out;
    } else {
        fwrite(buf_cstr(&out), 1, out.len, stdout);
    }
    rc = 0;
out:
    if (opened)
        store_close(&s);
    buf_release(&tpl);
    buf_release(&out);
    buf_release(&lacks);
    cli_opts_release(&o);
    return rc;
}

/* Find an embedded file of the example by its base name. */
static const EmbedFile *demo_file(const char *base)
{
    size_t n = strlen(DEMO_EXAMPLE);
    for (const EmbedFile *f = embed_files; f->name; f++) {
        if (strncmp(f->name, DEMO_EXAMPLE, n) == 0 && f->name[n] == '/' && strcmp(f->name + n + 1, base) == 0)
            return f;
    }
    PANIC("example file %s is not embedded", base);
}

int cmd_demo(CliCtx *ctx, Err *err)
{
    static const char *const kinds[] = {"areas", "indicators", "targets", "values", "projects", "statuses"};
    enum { DEMO_NKINDS = sizeof kinds / sizeof kinds[0] };
    const char *formats[RENDER_NFORMATS]; /* the demo's papers: render.c's table says which */
    const int demo_nformats = render_formats(RENDER_DEMO, formats);
    CliOpts o;
    Store s;
    Buf path = BUF_INIT, summary = BUF_INIT, out = BUF_INIT;
    int rc = -1, opened = 0;

    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos > 1) {
        cli_usage_error(err, "demo takes at most one DIR");
        goto out;
    }
    const char *dir = o.npos ? o.pos[0] : "demo";
    buf_printf(&path, "%s/input", dir);
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || (mkdir(buf_cstr(&path), 0777) != 0 && errno != EEXIST)) {
        err_set(err, "%s: cannot create: %s", buf_cstr(&path), strerror(errno));
        goto out;
    }
    /* The inputs, written out so that an officer can read and change them. */
    for (const EmbedFile *f = embed_files; f->name; f++) {
        const char *slash = strchr(f->name, '/');
        buf_reset(&path);
        buf_printf(&path, "%s/input/%s", dir, slash ? slash + 1 : f->name);
        if (cli_write_file(buf_cstr(&path), f->data, f->len, err) < 0)
            goto out;
    }
    /* A fresh database each time: the demo is rebuilt, never appended to. */
    buf_reset(&path);
    buf_printf(&path, "%s/kpi.db", dir);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        Buf p = BUF_INIT;
        buf_printf(&p, "%s%s", buf_cstr(&path), suffixes[k]);
        if (unlink(buf_cstr(&p)) != 0 && errno != ENOENT) {
            err_set(err, "%s: cannot remove: %s", buf_cstr(&p), strerror(errno));
            buf_release(&p);
            goto out;
        }
        buf_release(&p);
    }
    if (store_open(buf_cstr(&path), 1, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_init(&s, DEMO_AREA, PERIOD_FY_START_DEFAULT, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    for (int k = 0; k < DEMO_NKINDS; k++) {
        ImportKind kind;
        if (import_kind_parse(kinds[k], &kind) < 0)
            PANIC("import kind %s", kinds[k]);
        buf_reset(&path);
        buf_printf(&path, "%s/input/%s.csv", dir, kinds[k]);
        if (import_csv(&s, kind, buf_cstr(&path), &summary, err) < 0) {
            store_rollback(&s);
            goto out;
        }
    }
    if (store_commit(&s, err) < 0)
        goto out;
    const EmbedFile *tpl = demo_file("report.md");
    buf_reset(&path);
    buf_printf(&path, "%s/input/report.md", dir);
    char *tpl_path = buf_detach(&path);
    for (int k = 0; k < demo_nformats; k++) {
        buf_reset(&out);
        if (report_render(&s, tpl->data, tpl->len, tpl_path, DEMO_PERIOD, DEMO_AREA, formats[k], NULL, &out, NULL,
                          err) < 0) {
            free(tpl_path);
            goto out;
        }
        buf_reset(&path);
        buf_printf(&path, "%s/report.%s", dir, formats[k]);
        if (cli_write_file(buf_cstr(&path), buf_cstr(&out), out.len, err) < 0) {
            free(tpl_path);
            goto out;
        }
        buf_printf(&summary, "wrote %s\n", buf_cstr(&path));
    }
    free(tpl_path);
    /* The committee read Q2: the example records it as published (cmd_cycle.c). */
    if (cycle_demo_publish(&s, dir, formats, demo_nformats, DEMO_PERIOD, err) < 0)
        goto out;
    fputs(buf_cstr(&summary), stdout);
    printf("demo: %s/kpi.db holds the Chorley Partnership framework; try\n"
           "  kpi --db %s/kpi.db compare --period \"%s\" --format table\n",
           dir, dir, DEMO_PERIOD);
    rc = 0;
out:
    if (opened)
        store_close(&s);
    buf_release(&path);
    buf_release(&summary);
    buf_release(&out);
    cli_opts_release(&o);
    return rc;
}
