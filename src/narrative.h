/* narrative.h — generated sentences like the seed's, worded from the figures:
 * "Although overall crime in quarter two has increased by 3.0% compared to this
 * period last year, the year to date figure shows a reduction of 4.6%."
 * Pure: works from a CompareRow. */
#ifndef KPI_NARRATIVE_H
#define KPI_NARRATIVE_H

#include "buf.h"
#include "figures.h"

/* Period-on-period and year-to-date sentence.
 * subject: "overall crime"; period_words: "quarter two".
 * Wording: when both changes point the same way, "X in P has increased by a%
 * compared to this period last year, and the year to date figure shows an
 * increase of b%."; when they differ, "Although X in P has increased by a% ...,
 * the year to date figure shows a reduction of b%."; an unchanged figure reads
 * "has not changed"/"shows no change" (as does one that rounds to 0.0%).
 * Without a percentage the sentence says why, in words, never "n/a":
 *   missing figures name the months (row->gap): "Overall crime in quarter three
 *   cannot be compared with this period last year: no figure yet for October to
 *   December 2011 and none for October to December 2010." (then the year to date
 *   as its own sentence, or "Nor can the year to date figure: ..." when its
 *   reason differs);
 *   a zero baseline: "... has increased compared to this period last year (it was
 *   zero a year earlier, so there is no percentage change), ...";
 *   a percentage unit: "... (the figures are percentages: a change of 2.1
 *   percentage points) ...";
 *   the year to date alone: "...; the year to date figure cannot be compared: no
 *   figure yet for October 2011.".
 * Equal figures (zero against zero too) read "has not changed".
 * Percentages are printed with one decimal. The first letter is capitalised. */
void narrative_change(Buf *b, const char *subject, const char *period_words,
                      const CompareRow *row);

/* Against-target sentence for a polarity indicator: "Accidental Dwelling Fires
 * are lower than anticipated." / "... are higher than anticipated." / "... are
 * on target." using ytd against target_to_date and the polarity:
 * lower/higher speaks of the number, and whether that is good comes from RAG.
 * The comparison is exact, like the RAG: "on target" means exactly on it.
 * Without a target: "... have no target for this year."; with a target but an
 * incomplete year to date, the months it lacks: "... cannot be compared with
 * the target: no figure yet for October to December 2011." */
void narrative_target(Buf *b, const char *subject, const IndicatorDef *def,
                      const CompareRow *row);

/* "There has been a 75.0% reduction in SUBJECT" / "There has been a 10.5%
 * increase in SUBJECT" / "There has been no change in SUBJECT", using change_pct
 * (value against previous; "an 8.0% increase" takes "an"). No trailing full
 * stop, so a template can chain clauses. Without a percentage: from a zero
 * baseline "There has been an increase in SUBJECT, from none last year"; a
 * percent unit "There has been an increase of 2.1 percentage points in SUBJECT";
 * without this period's figure "There has been no figure yet for SUBJECT for
 * October to December 2011"; without last year's "There has been no comparison
 * with last year for SUBJECT: no figure for October to December 2010". Every
 * wording starts "There has been ", so a template may drop it (lead=no). */
void narrative_movement(Buf *b, const char *subject, const CompareRow *row);

/* What statistics say about the change and the latest point (docs/spc.md; spc.h
 * computes the figures), for {{change CODE significance=yes}}. Appends, each
 * only where the row has it:
 *   "This is a statistically significant increase (p = 0.015)." /
 *   "This is a change within normal variation (p = 0.118)." (count indicators;
 *   a p-value that would print as 0.000 reads "p < 0.001");
 *   "The latest month is within normal variation." (when no test was made) or
 *   "The latest month shows special cause variation, a concern: it is above
 *   the upper process limit." (improvement / concern / neutral; the rule's own
 *   words: above or below a process limit, a run of seven or more rising or
 *   falling months, two of the last three beyond a near limit, the Nth month
 *   in a row above or below the average);
 *   "It is the sixth month in a row below the average." for a run of six
 *   inside the limits, one short of a shift.
 * "month" is the series' point: month, quarter or year. Sentences are joined
 * by one space; nothing is appended when the row has none of these. */
void narrative_significance(Buf *b, const CompareRow *row);

#endif
