/* compare.c — a compare row as the text cells `kpi compare` prints (compare.h). */
#include "compare.h"

const char *const compare_columns[COMPARE_NCOLS] = {
    "indicator", "title", "area", "period", "value", "previous", "change", "change_pct", "ytd", "ytd_previous",
    "ytd_change_pct", "target", "target_to_date", "rag", "direction", "note"};

int compare_is_number(int c)
{
    return c >= 4 && c <= 12;
}

void compare_cells(const Indicator *ind, const char *area, const char *period, const CompareRow *r,
                   Buf cells[COMPARE_NCOLS])
{
    const Fig *figs[] = {&r->value, &r->previous, &r->change, &r->change_pct, &r->ytd, &r->ytd_previous,
                         &r->ytd_change_pct, &r->target, &r->target_to_date};
    for (int c = 0; c < COMPARE_NCOLS; c++)
        buf_reset(&cells[c]);
    buf_puts(&cells[0], ind->code);
    buf_puts(&cells[1], ind->title);
    buf_puts(&cells[2], area);
    buf_puts(&cells[3], period);
    for (int k = 0; k < 9; k++) {
        if (!figs[k]->has)
            continue;
        int pct = figs[k] == &r->change_pct || figs[k] == &r->ytd_change_pct;
        fq_format(&cells[4 + k], figs[k]->q, pct ? COMPARE_PCT_DECIMALS : ind->def.decimals);
    }
    buf_puts(&cells[13], rag_name(r->rag));
    buf_puts(&cells[14], direction_name(r->direction));
    buf_puts(&cells[15], buf_cstr(&r->note));
}
