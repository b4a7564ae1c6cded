/* doc.h — the one document model. A report template (template.c) and, later,
 * the dashboard build this small tree; every output format is one renderer of
 * it (render_md.c, render_txt.c, render_html.c). The tree holds finished text:
 * figures are already formatted (present.h), so renderers only lay out and
 * escape; a table cell also carries the exact figure behind its text
 * (DocValue), which formats that store numbers (the workbook) write instead
 * of reading the text back.
 *
 * Ownership: a Doc owns every block, and every block owns its strings (copied
 * by the constructors). doc_free releases the lot. Role strings are static
 * names chosen by the builder ("frame-head"), never user text. */
#ifndef KPI_DOC_H
#define KPI_DOC_H

#include <stddef.h>

#include "buf.h"
#include "fq.h"
#include "present.h"

#define DOC_HEADING_MAX 3   /* headings go from level 1 to level 3 */
#define DOC_LIST_MAX_DEPTH 3 /* list items nest at most this deep (0-based depth < this) */

/* Inline emphasis, combinable. */
enum { DOC_BOLD = 1, DOC_ITALIC = 2 };

typedef struct DocSpan {
    char *text;
    int style;      /* DOC_BOLD | DOC_ITALIC, or 0 */
} DocSpan;

/* A run of inline text: spans of uniform style. */
typedef struct DocText {
    DocSpan *spans;
    int n, cap;
} DocText;

/* Red/amber/green status of a figure or a project, always shown as a word as
 * well as a colour. */
typedef enum DocRag {
    DOC_RAG_NONE, DOC_RAG_GREEN, DOC_RAG_AMBER, DOC_RAG_RED, DOC_RAG_COMPLETE, DOC_RAG_UNREPORTED
} DocRag;

typedef enum DocAlign { DOC_ALIGN_LEFT, DOC_ALIGN_RIGHT, DOC_ALIGN_CENTER } DocAlign;

typedef enum DocKind {
    DOC_HEADING,    /* level 1..3 */
    DOC_PARA,       /* a paragraph of inline text */
    DOC_LIST,       /* bullet and numbered items, possibly nested */
    DOC_TABLE,      /* header row + rows of cells, notes under it */
    DOC_CHART,      /* bar or line chart with its text alternative */
    DOC_CARD,       /* a project card */
    DOC_FIELDS,     /* frame: a row of labelled values (report of / meeting / date) */
    DOC_TICKS,      /* frame: a ticked list (corporate priorities, implications) */
    DOC_SIGNATURE   /* frame: signatory, title, background papers */
} DocKind;

struct DocBlock;

/* An ordered sequence of blocks (the body of a document or of a card field). */
typedef struct DocBlocks {
    struct DocBlock **v;
    int n, cap;
} DocBlocks;

typedef struct DocListItem {
    DocText text;
    int depth;      /* 0 = top level */
    int number;     /* 0 = bullet; otherwise the number printed ("9.") */
} DocListItem;

typedef struct DocList {
    DocListItem *items;
    int n, cap;
} DocList;

/* What a figure in a cell is, beside its text: formats that store numbers
 * (the workbook) write the value, never the printed text read back. */
typedef enum DocValueKind {
    DOC_VALUE_NONE,    /* text only */
    DOC_VALUE_NUMBER,  /* q as it is */
    DOC_VALUE_PERCENT, /* q is in per cent (77.4 for 77.4%): a workbook stores the fraction q / 100 */
    DOC_VALUE_PP       /* q is in percentage points (a change of a percentage) */
} DocValueKind;

typedef struct DocValue {
    DocValueKind kind;
    Fq q;           /* the exact figure, before rounding */
    int decimals;   /* places shown; the stored number is q rounded to them (half away from zero) */
    int sign;       /* 1: shown with '+' above zero (a change) */
} DocValue;

typedef struct DocCell {
    char *text;     /* never NULL once set; "" is an empty cell */
    DocAlign align;
    int numeric;    /* 1 for a number (right-aligned, tabular figures) */
    DocRag rag;     /* colour class in addition to the text */
    DocValue value; /* the figure behind the text; kind DOC_VALUE_NONE when none */
} DocCell;

typedef struct DocTable {
    char *caption;  /* may be NULL */
    int ncols;
    int has_head;
    DocCell *head;  /* ncols cells */
    DocCell *cells; /* nrows * ncols cells, row-major */
    int nrows, caprows;
    char **notes;   /* printed under the table */
    int nnotes, capnotes;
} DocTable;

typedef enum DocChartKind { DOC_CHART_BAR, DOC_CHART_LINE, DOC_CHART_SPC } DocChartKind;

/* What a point of a statistical process control chart shows, in the Making
 * Data Count colours (and a shape each, never colour alone). */
typedef enum DocSpcMark {
    DOC_SPC_COMMON,       /* common cause: grey circle */
    DOC_SPC_IMPROVEMENT,  /* special cause, improvement: blue diamond */
    DOC_SPC_CONCERN,      /* special cause, concern: orange square */
    DOC_SPC_NEUTRAL       /* special cause where no direction is better: purple triangle */
} DocSpcMark;

/* The assurance icon: will the process meet its target? */
typedef enum DocSpcAssurance {
    DOC_SPC_ASSURE_NONE,  /* no target, or no limits */
    DOC_SPC_ASSURE_PASS,  /* "P": the target lies beyond the limits on the good side */
    DOC_SPC_ASSURE_FAIL,  /* "F": beyond them on the bad side */
    DOC_SPC_ASSURE_HIT_AND_MISS /* "?": inside them */
} DocSpcAssurance;

/* The SPC parts of a DOC_CHART_SPC chart (one series: the points). Doubles are
 * for geometry; the *_text strings are the figures as printed. */
typedef struct DocSpc {
    int has_limits;
    double mean, lower, upper;      /* process limits */
    char *mean_text, *lower_text, *upper_text;
    int has_target;
    double target;
    char *target_text;
    DocSpcMark *marks;              /* one per category (point) */
    DocSpcMark variation;           /* the variation icon's colour */
    char variation_dir;             /* 'H' (high), 'L' (low), or 0 for common cause */
    char *variation_words;          /* e.g. "Special cause of concern: higher" */
    DocSpcAssurance assurance;
    char *assurance_words;          /* e.g. "The target will not be met without change" */
} DocSpc;

typedef struct DocChartPoint {
    int has;        /* 0: no figure for this point */
    double v;       /* for geometry only */
    char *text;     /* the figure as printed ("1455", "77.4%"); NULL when !has */
} DocChartPoint;

typedef struct DocChartSeries {
    char *name;
    DocChartPoint *pts;  /* ncats points */
} DocChartSeries;

typedef struct DocChart {
    DocChartKind kind;
    char *title;
    int ncats;
    char **cats;         /* category labels (x axis) */
    int nseries;
    DocChartSeries *series;
    int desc_by_category; /* text alternative groups values by category, not series */
    DocSpc spc;           /* DOC_CHART_SPC only; zero otherwise */
    char *axis;           /* the y axis's title with the unit ("Crimes", "%"); NULL for none */
    int whiskers;         /* DOC_CHART_BAR with 4 series (a benchmark, docs/benchmark.md): one row per
                           * category (an area), series 0 its rate as a horizontal bar, 1 and 2 its
                           * interval as a whisker with caps, 3 a reference drawn as one vertical
                           * dashed line (the group's rate, its first point); rows in the given order */
    int whisker_home;     /* whiskers: 1 + the category of the home area (bold, its own colour, "*"); 0 none */
    char whisker_unit[48]; /* whiskers: the value axis's title, e.g. "per 1,000 residents"; "" none */
} DocChart;

typedef struct DocCard {
    char *title;
    DocBlocks what;       /* "What is it?" */
    char *lead;           /* may be NULL */
    DocRag rag;
    DocBlocks commentary; /* shown with the RAG status */
} DocCard;

typedef struct DocField {
    char *label;
    char *value;
} DocField;

typedef struct DocFields {
    DocField *v;
    int n, cap;
} DocFields;

typedef struct DocTick {
    DocText text;
    int ticked;
} DocTick;

typedef struct DocTicks {
    DocTick *v;
    int n, cap;
    int columns;          /* items laid out this many to a row where the format can */
} DocTicks;

typedef struct DocSignature {
    char *name;           /* printed as given (the builder upper-cases it) */
    char *title;          /* may be NULL */
    char *papers;         /* background papers sentence, may be NULL */
} DocSignature;

typedef struct DocBlock {
    DocKind kind;
    const char *role;     /* static style name, may be NULL */
    union {
        struct { int level; DocText text; } heading;
        DocText para;
        DocList list;
        DocTable table;
        DocChart chart;
        DocCard card;
        DocFields fields;
        DocTicks ticks;
        DocSignature sig;
    } u;
} DocBlock;

typedef struct Doc {
    char *title;          /* for the HTML <title>; may be NULL */
    DocBlocks body;
} Doc;

Doc *doc_new(void);
void doc_free(Doc *doc);
void doc_set_title(Doc *doc, const char *title);

/* Inline text. Adjacent spans of the same style merge; empty text is ignored. */
void doc_text_add(DocText *t, const char *s, size_t n, int style);
void doc_text_puts(DocText *t, const char *s, int style);
void doc_text_plain(const DocText *t, Buf *out);  /* the text without styling */
void doc_text_release(DocText *t);

/* Block constructors: each appends a block to bl and returns the part to fill. */
DocText *doc_add_heading(DocBlocks *bl, int level);     /* level clamped to 1..DOC_HEADING_MAX */
DocText *doc_add_para(DocBlocks *bl, const char *role);
DocList *doc_add_list(DocBlocks *bl, const char *role);
DocTable *doc_add_table(DocBlocks *bl, int ncols, const char *role);
DocChart *doc_add_chart(DocBlocks *bl, DocChartKind kind, const char *title,
                        int ncats, int nseries);
DocCard *doc_add_card(DocBlocks *bl, const char *title, const char *lead, DocRag rag);
DocFields *doc_add_fields(DocBlocks *bl, const char *role);
DocTicks *doc_add_ticks(DocBlocks *bl, int columns, const char *role);
DocSignature *doc_add_signature(DocBlocks *bl, const char *name, const char *title,
                                const char *papers);
void doc_blocks_release(DocBlocks *bl);

/* Lists: append an item and return its text to fill. */
DocText *doc_list_item(DocList *l, int depth, int number);

/* Tables. */
void doc_table_header(DocTable *t, int col, const char *label, DocAlign align);
int doc_table_row(DocTable *t);      /* append an empty row; returns its index */
DocCell *doc_table_cell(DocTable *t, int row, int col);
void doc_cell_set(DocCell *c, const char *text, DocAlign align, int numeric, DocRag rag);
/* Give a cell the exact figure its text shows (doc_cell_set keeps it). */
void doc_cell_value(DocCell *c, DocValueKind kind, Fq q, int decimals, int sign);
/* A value of kind PRESENT_PLAIN (a number), PRESENT_PERCENT (q in per cent)
 * or PRESENT_PP (q in percentage points): how present_col_stored names it. */
DocValue doc_value_of(PresentSuffix stored, Fq q, int decimals, int sign);
/* The value as a workbook stores it: q rounded to its decimals, a
 * percentage as a fraction (77.4% -> 0.774). */
Fq doc_value_stored(const DocValue *v);
void doc_table_note(DocTable *t, const char *text);
void doc_table_caption(DocTable *t, const char *caption);

/* Charts. */
void doc_chart_category(DocChart *c, int i, const char *label);
/* The y axis's title, naming what is counted or its unit ("Crimes", "%");
 * NULL or "" for none. Drawn turned along the axis in SVG, PDF and PNG. */
void doc_chart_axis(DocChart *c, const char *title);
void doc_chart_series(DocChart *c, int s, const char *name);
/* text NULL (or has == 0) marks a missing point. */
void doc_chart_point(DocChart *c, int s, int i, int has, double v, const char *text);

/* SPC charts: one series of npoints; every point starts common cause. */
DocChart *doc_add_spc(DocBlocks *bl, const char *title, const char *series_name, int npoints);
void doc_spc_limits(DocChart *c, double mean, double lower, double upper, const char *mean_text,
                    const char *lower_text, const char *upper_text);
void doc_spc_target(DocChart *c, double target, const char *text);
void doc_spc_mark(DocChart *c, int i, DocSpcMark mark);    /* i in 0..ncats-1 (PANIC otherwise) */
/* The icons: variation (mark and 'H'/'L'/0) and assurance, each with its words
 * (the text alternative; may be NULL for none). */
void doc_spc_icons(DocChart *c, DocSpcMark variation, char dir, const char *variation_words,
                   DocSpcAssurance assurance, const char *assurance_words);
/* "Common cause", "Improvement", "Concern", "Neutral": the words of a mark. */
const char *doc_spc_mark_word(DocSpcMark m);

/* Frame parts. */
void doc_field_add(DocFields *f, const char *label, const char *value);
DocText *doc_tick_add(DocTicks *t, int ticked);

/* Names of a RAG status from present.h's table: "Green"..."Not reported"
 * ("" for none: a table cell stays blank) and "green"... (class). */
const char *doc_rag_word(DocRag r);
const char *doc_rag_class(DocRag r);

/* Number of code points in UTF-8 text (display width for plain text layout). */
size_t doc_utf8_width(const char *s, size_t n);

#endif
