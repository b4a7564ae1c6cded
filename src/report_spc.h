/* report_spc.h — how an indicator's statistical process control (spc.h)
 * enters the document tree (doc.h): the marks, icons and the chart the
 * papers and the web pages draw. Kept apart from report.h, which is figures
 * only, so the store can fill a ReportCtx without knowing the document. */
#ifndef KPI_REPORT_SPC_H
#define KPI_REPORT_SPC_H

#include "doc.h"
#include "figures.h"
#include "spc.h"

/* How a variation and an assurance are drawn (doc.h): the mark's colour and
 * shape, 'H' or 'L' (0 for common cause or none), the assurance icon. */
DocSpcMark report_spc_mark(SpcVariation v);
char report_spc_dir(SpcVariation v);
DocSpcAssurance report_spc_assurance(SpcAssurance a);

/* Append the SPC chart of an indicator (spc.h's SpcChart and the status
 * spc_chart returned) to bl as a DOC_CHART_SPC: the judged segment's points
 * with their periods and figures as printed (the indicator's decimals;
 * limits with one place more), each point in its Making Data Count class,
 * the mean, process limits and target, and the variation and assurance
 * icons with their words. Without limits (too few points) only the points. */
void report_spc_chart(DocBlocks *bl, const char *title, const char *series_name, const IndicatorDef *def,
                      const SpcChart *sc, SpcChartStatus status, int fy_start);

#endif
