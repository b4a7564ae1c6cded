/* compare.c — a compare row as the text cells `kpi compare` prints (compare.h). */
#include "compare.h"

#include "spc.h"

const char *const compare_columns[COMPARE_NCOLS] = {
    "indicator", "title", "area", "period", "value", "previous", "change", "change_pct", "ytd", "ytd_previous",
    "ytd_change_pct", "target", "target_to_date", "rag", "direction", "note", "variation", "assurance",
    "spc_mean", "spc_lower", "spc_upper", "significance", "p_value"};

enum { COL_VARIATION = 16, COL_SPC_MEAN = 18, COL_SPC_UPPER = 20, COL_SIGNIFICANCE = 21, COL_P_VALUE = 22 };

int compare_is_number(int c)
{
    return (c >= 4 && c <= 12) || (c >= COL_SPC_MEAN && c <= COL_SPC_UPPER) || c == COL_P_VALUE;
}

void compare_cells(const char *code, const char *title, const IndicatorDef *def, const char *area,
                   const char *period, const CompareRow *r, Buf cells[COMPARE_NCOLS])
{
    const Fig *figs[] = {&r->value, &r->previous, &r->change, &r->change_pct, &r->ytd, &r->ytd_previous,
                         &r->ytd_change_pct, &r->target, &r->target_to_date};
    for (int c = 0; c < COMPARE_NCOLS; c++)
        buf_reset(&cells[c]);
    buf_puts(&cells[0], code);
    buf_puts(&cells[1], title);
    buf_puts(&cells[2], area);
    buf_puts(&cells[3], period);
    for (int k = 0; k < 9; k++) {
        if (!figs[k]->has)
            continue;
        int pct = figs[k] == &r->change_pct || figs[k] == &r->ytd_change_pct;
        fq_format(&cells[4 + k], figs[k]->q, pct ? COMPARE_PCT_DECIMALS : def->decimals);
    }
    buf_puts(&cells[13], rag_name(r->rag));
    buf_puts(&cells[14], direction_name(r->direction));
    compare_row_notes(r, &cells[15]);
    buf_puts(&cells[COL_VARIATION], spc_variation_name(r->variation));
    buf_puts(&cells[COL_VARIATION + 1], spc_assurance_name(r->assurance));
    const Fig *spc[] = {&r->spc_mean, &r->spc_lower, &r->spc_upper};
    for (int k = 0; k < 3; k++) {
        if (spc[k]->has)
            fq_format(&cells[COL_SPC_MEAN + k], spc[k]->q, def->decimals + 1);
    }
    buf_puts(&cells[COL_SIGNIFICANCE], spc_significance_name(r->significance));
    if (r->has_p)
        buf_printf(&cells[COL_P_VALUE], "%.*f", COMPARE_P_DECIMALS, r->p_value);
}
