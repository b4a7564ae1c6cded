/* cycle.h — the quarterly cycle in the store (docs/web.md): collection rounds
 * with due dates and reminder offsets, each partner's return (submitted,
 * approved, returned with a reason), exception commentary for figures,
 * published papers (every format's bytes with a SHA-256, and the versions of
 * the values each used), locked periods, the reopen log, reminders sent and
 * an audit log. Every function runs inside the caller's transaction when
 * there is one; SQL only here (store_cycle.c), with bound parameters.
 *
 * Dates are calendar days written YYYY-MM-DD; cycle_date_* converts them to
 * day numbers (days since 1970-01-01) for arithmetic. */
#ifndef KPI_CYCLE_H
#define KPI_CYCLE_H

#include <stdint.h>

#include "store.h"

/* A YYYY-MM-DD date (a real day, years 1900-9999) to its day number; 0, or
 * -1 when it is not one. */
int cycle_date_parse(const char *s, int *day /* OUT */);
/* A day number as YYYY-MM-DD. */
void cycle_date_format(int day, char out[11]);
/* Today (UTC) as a day number. */
int cycle_today(void);
/* Reminder offsets "-7,0,3": days from the due date, each -366..366, at most
 * CYCLE_MAX_OFFSETS, no repeats; stored sorted. 0, or -1 with *why. */
#define CYCLE_MAX_OFFSETS 16
#define CYCLE_DEFAULT_REMIND "-7,0,3"
int cycle_offsets_parse(const char *s, int *offs /* OUT, room for CYCLE_MAX_OFFSETS */, int *n,
                        const char **why);
/* Which figures of a round need exception commentary before a return is
 * submitted: "red" (the default) or "amber" (amber and red alike). 1 when s
 * is one of the two, else 0. */
#define CYCLE_DEFAULT_EXCEPTIONS "red"
int cycle_exceptions_valid(const char *s);

/* One collection round. Strings owned; cycle_rounds_free. */
typedef struct CycleRound {
    int64_t id;
    Period period;
    char opens[11], due[11];
    char *remind;            /* "-7,0,3" */
    char *state;             /* "open" or "closed" */
    char exceptions_for[6];  /* "red", or "amber": amber figures need exception commentary too */
    int64_t paper_id;        /* the paper that locked the period; 0 when not published */
} CycleRound;

void cycle_round_free(CycleRound *r);
void cycle_rounds_free(CycleRound *v, int n);
/* Open a round for p (a new one, or one closed before, with new dates). A
 * round of an overlapping period that is still open, or a locked period
 * (cycle_locked), is an error. exceptions_for is "red" or "amber" (which
 * figures need exception commentary before a return is submitted); NULL is "red". */
int cycle_round_open(Store *s, Period p, const char *opens, const char *due, const char *remind,
                     const char *exceptions_for, Err *err);
/* Close p's open round (no more submissions); an error when there is none. */
int cycle_round_close(Store *s, Period p, Err *err);
/* The round of period p; *found = 0 when none. */
int cycle_round_find(Store *s, Period p, CycleRound *out /* OUT */, int *found, Err *err);
/* Every round, newest period first. */
int cycle_rounds(Store *s, CycleRound **out /* OUT */, int *n, Err *err);

/* The partners that owe a return: every partner owning at least one
 * indicator that takes values (no formula), in name order. */
int cycle_partners_due(Store *s, char ***names /* OUT */, int64_t **ids /* OUT */, int *n, Err *err);
void cycle_names_free(char **names, int64_t *ids, int n);
/* A partner's return state in a round: "submitted", "approved", "returned",
 * or "none"; *reason (may be NULL to skip) owned by the caller. */
int cycle_return_get(Store *s, int64_t round_id, int64_t partner_id, char **state /* OUT */, char **reason,
                     Err *err);
/* Set it (with its history); reason NULL unless returned. */
int cycle_return_set(Store *s, int64_t round_id, int64_t partner_id, const char *state, const char *reason,
                     Err *err);

/* Submit, approve or return (`action`) a partner's return for period p:
 * the round must exist and not be published; submit needs an open round and
 * a return not already submitted or approved, and no red figure (or amber,
 * when the round's exceptions_for is "amber") without exception commentary
 * (red(), when given, lists those into *list and counts them, amber_too as
 * the round says; dataset.h's dataset_red_unexplained); approve needs a submitted
 * return, return a submitted or approved one and a reason. Audited. *to is
 * the new state ("submitted", "approved", "returned"). */
typedef int (*CycleRedFn)(Store *s, Period p, const char *partner, int amber_too, Buf *list, int *n, Err *err);
int cycle_return_act(Store *s, Period p, const char *partner, const char *action, const char *reason,
                     CycleRedFn red, const char **to /* OUT */, Err *err);

/* Exception commentary for the figure of an indicator in an area and period. */
typedef struct CycleException {
    char *code, *title, *area, *cause, *action, *owner, *date;
} CycleException;
void cycle_exceptions_free(CycleException *v, int n);
int cycle_exception_put(Store *s, int64_t indicator_id, int64_t area_id, Period p, const char *cause,
                        const char *action, const char *owner, const char *date, Err *err);
int cycle_exception_has(Store *s, int64_t indicator_id, int64_t area_id, Period p, int *has, Err *err);
/* Every exception recorded for exactly period p, in framework order. */
int cycle_exceptions(Store *s, Period p, CycleException **out /* OUT */, int *n, Err *err);

/* Is period p locked: published itself, or inside a published period (a
 * month of a published quarter)? A period that only overlaps one (the year
 * holding a published quarter) is not: no figure of it is in that paper.
 * *paper_id = the locking paper (0: not locked), *locked the locked period. */
int cycle_locked(Store *s, Period p, int64_t *paper_id /* OUT */, Period *locked /* OUT, may be NULL */,
                 Err *err);

/* Publish: store a paper for p and area_id made from `template_name`, its
 * files (formats[k] with bytes[k]) with a SHA-256 each, the versions of the
 * values it used (every value whose span lies from the start of the financial
 * year before p's to p's end), and lock p. *paper_id set. */
int cycle_paper_add(Store *s, Period p, int64_t area_id, const char *template_name, int nfiles,
                    const char *const *formats, const Buf *bytes, int64_t *paper_id /* OUT */, Err *err);
/* Is every partner's return in the round approved (the partners of
 * cycle_partners_due)? *ok; those that are not, with their state, into *who. */
int cycle_all_approved(Store *s, int64_t round_id, Buf *who /* OUT */, int *ok /* OUT */, Err *err);
/* Publish p with files already rendered: refused unless p has a round and
 * every return in it is approved; then cycle_paper_add for the home area,
 * and the round is closed. kpi publish and kpi demo. */
int cycle_publish_rendered(Store *s, Period p, const char *tpl_name, int nfiles, const char *const *formats,
                           const Buf *bytes, int64_t *paper_id /* OUT */, Err *err);
/* One stored paper file. */
typedef struct CyclePaperFile {
    int64_t paper_id;
    Period period;
    char *area, *template_name, *created_at, *created_by, *format, *sha256;
    int64_t size;
} CyclePaperFile;
void cycle_paper_files_free(CyclePaperFile *v, int n);
/* Every paper's files, by paper and format. */
int cycle_paper_files(Store *s, CyclePaperFile **out /* OUT */, int *n, Err *err);
/* A paper file's bytes, exactly as published, and its SHA-256 (hex). *found = 0 when absent. */
int cycle_paper_get(Store *s, int64_t paper_id, const char *format, Buf *bytes /* OUT */, char sha256[65],
                    int *found, Err *err);
/* The latest paper (highest id); *paper_id = 0 when none yet. */
int cycle_paper_latest(Store *s, int64_t *paper_id /* OUT */, char created_at[32], Err *err);
/* Indicators with a value in area_id revised since paper_id: a value of the
 * paper's window whose version differs from the one the paper used, or that
 * it did not have. Calls fn once per indicator id. */
typedef int (*CycleRevisedFn)(void *arg, int64_t indicator_id);
int cycle_revised_each(Store *s, int64_t paper_id, int64_t area_id, CycleRevisedFn fn, void *arg, Err *err);
/* Reopen published period p with a reason (logged): the lock goes, the
 * paper stays as it was. An error when p is not locked. */
int cycle_reopen(Store *s, Period p, const char *reason, Err *err);

/* The period pages open on by default: the latest published period, else
 * the latest closed round. *found = 0 when neither exists. */
int cycle_default_period(Store *s, Period *p /* OUT */, int *found, Err *err);

/* The period of the open round due soonest (the entry form's default);
 * *found = 0 when no round is open. */
int cycle_open_period(Store *s, Period *p /* OUT */, int *found, Err *err);

/* A user's e-mail address (NULL clears it); an unknown user is an error. */
int cycle_user_email_set(Store *s, const char *user, const char *email, Err *err);
/* Someone a reminder may go to: a user with an e-mail address. */
typedef struct CycleRecipient {
    int64_t user_id;
    char *name, *role, *email;
    int64_t partner_id;      /* 0 when none */
    char *partner;           /* NULL when none */
} CycleRecipient;
void cycle_recipients_free(CycleRecipient *v, int n);
/* Every user with an e-mail address, by name. */
int cycle_recipients(Store *s, CycleRecipient **out /* OUT */, int *n, Err *err);
/* Record a reminder as sent; *fresh = 0 (and nothing written) when that
 * user had that round's reminder at that offset already. */
int cycle_reminder_add(Store *s, int64_t user_id, int64_t round_id, int offset_days, const char *sent_on,
                       int items, int *fresh /* OUT */, Err *err);

/* Append to the audit log: who (the store's user), what, the details. */
int cycle_audit(Store *s, const char *action, const char *detail, Err *err);

#endif
