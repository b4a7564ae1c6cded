/* compare.c — a compare row as the text cells `kpi compare` prints (compare.h),
 * column by column from present.h's table. */
#include "compare.h"

#include "spc.h"

void compare_column_names(const char *out[COMPARE_NCOLS])
{
    for (int c = 0; c < COMPARE_NCOLS; c++)
        out[c] = present_col((PresentCol)c)->name;
}

int compare_is_number(int c)
{
    return present_kind_is_number(present_col((PresentCol)c)->kind);
}

void compare_cells(const char *code, const char *title, const IndicatorDef *def, const char *area,
                   const char *period, const CompareRow *r, Buf cells[COMPARE_NCOLS])
{
    for (int c = 0; c < COMPARE_NCOLS; c++) {
        Buf *b = &cells[c];
        const PresentColumn *col = present_col((PresentCol)c);
        buf_reset(b);
        switch (col->kind) {
        case PK_FIG:
        case PK_CHANGE:
        case PK_PCT:
        case PK_LIMIT: {
            const Fig *f = present_col_fig((PresentCol)c, r);
            PresentFmt fmt = present_col_fmt((PresentCol)c, def, 0);
            if (f->has)
                present_figure(b, f->q, &fmt);
            break;
        }
        case PK_RAG:
            buf_puts(b, rag_name(r->rag));
            break;
        case PK_DIR:
            buf_puts(b, direction_name(r->direction));
            break;
        case PK_SPC:
            buf_puts(b, c == PC_VARIATION    ? spc_variation_name(r->variation)
                        : c == PC_ASSURANCE ? spc_assurance_name(r->assurance)
                                            : spc_significance_name(r->significance));
            break;
        case PK_P:
            if (r->has_p)
                buf_printf(b, "%.*f", COMPARE_P_DECIMALS, r->p_value);
            break;
        case PK_TEXT:
            if (c == PC_INDICATOR)
                buf_puts(b, code);
            else if (c == PC_TITLE)
                buf_puts(b, title);
            else if (c == PC_AREA)
                buf_puts(b, area);
            else if (c == PC_PERIOD)
                buf_puts(b, period);
            else if (c == PC_NOTE)
                compare_row_notes(r, b);
            break;
        }
    }
}
