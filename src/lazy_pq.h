/* lazy_pq.h — PostgreSQL (--db postgresql://...).
 * The library is opened on first use (lazy.h), so
 * that a command that does not need it does not load it. Include this after
 * the library's own header; call lazy_pq_load before the first call. Every
 * function of the library kpi calls is listed here: kpi does not link the
 * library, so a call to one not listed fails the link. */
#ifndef KPI_LAZY_PQ_H
#define KPI_LAZY_PQ_H

#include <libpq-fe.h>

#include "err.h"
#include "lazy.h"

#define LAZY_PQ_SYMS(X) \
    X(PQclear) \
    X(PQsocket) \
    X(PQnotifies) \
    X(PQfreemem) \
    X(PQconsumeInput) \
    X(PQcmdStatus) \
    X(PQconnectdbParams) \
    X(PQdb) \
    X(PQenterPipelineMode) \
    X(PQerrorMessage) \
    X(PQexec) \
    X(PQexecParams) \
    X(PQexecPrepared) \
    X(PQexitPipelineMode) \
    X(PQfinish) \
    X(PQfname) \
    X(PQftype) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetvalue) \
    X(PQhost) \
    X(PQnfields) \
    X(PQntuples) \
    X(PQpipelineSync) \
    X(PQport) \
    X(PQprepare) \
    X(PQputCopyData) \
    X(PQputCopyEnd) \
    X(PQresultErrorField) \
    X(PQresultStatus) \
    X(PQsendPrepare) \
    X(PQsendQueryParams) \
    X(PQsendQueryPrepared) \
    X(PQsetNoticeProcessor) \
    X(PQstatus) \
    X(PQtransactionStatus) \
    X(PQuser)

typedef struct LazyFnsPq {
    LAZY_PQ_SYMS(LAZY_FIELD)
} LazyFnsPq;
extern LazyFnsPq lazy_pq;

/* Open the library (once; thread-safe): 0, or -1 with "... needs libpq.so.5, which cannot be
 * loaded: ..." in err. */
int lazy_pq_load(Err *err);

#ifndef LAZY_IMPL /* calls go through the table */
#define PQclear (lazy_pq.PQclear)
#define PQsocket (lazy_pq.PQsocket)
#define PQnotifies (lazy_pq.PQnotifies)
#define PQfreemem (lazy_pq.PQfreemem)
#define PQconsumeInput (lazy_pq.PQconsumeInput)
#define PQcmdStatus (lazy_pq.PQcmdStatus)
#define PQconnectdbParams (lazy_pq.PQconnectdbParams)
#define PQdb (lazy_pq.PQdb)
#define PQenterPipelineMode (lazy_pq.PQenterPipelineMode)
#define PQerrorMessage (lazy_pq.PQerrorMessage)
#define PQexec (lazy_pq.PQexec)
#define PQexecParams (lazy_pq.PQexecParams)
#define PQexecPrepared (lazy_pq.PQexecPrepared)
#define PQexitPipelineMode (lazy_pq.PQexitPipelineMode)
#define PQfinish (lazy_pq.PQfinish)
#define PQfname (lazy_pq.PQfname)
#define PQftype (lazy_pq.PQftype)
#define PQgetResult (lazy_pq.PQgetResult)
#define PQgetisnull (lazy_pq.PQgetisnull)
#define PQgetvalue (lazy_pq.PQgetvalue)
#define PQhost (lazy_pq.PQhost)
#define PQnfields (lazy_pq.PQnfields)
#define PQntuples (lazy_pq.PQntuples)
#define PQpipelineSync (lazy_pq.PQpipelineSync)
#define PQport (lazy_pq.PQport)
#define PQprepare (lazy_pq.PQprepare)
#define PQputCopyData (lazy_pq.PQputCopyData)
#define PQputCopyEnd (lazy_pq.PQputCopyEnd)
#define PQresultErrorField (lazy_pq.PQresultErrorField)
#define PQresultStatus (lazy_pq.PQresultStatus)
#define PQsendPrepare (lazy_pq.PQsendPrepare)
#define PQsendQueryParams (lazy_pq.PQsendQueryParams)
#define PQsendQueryPrepared (lazy_pq.PQsendQueryPrepared)
#define PQsetNoticeProcessor (lazy_pq.PQsetNoticeProcessor)
#define PQstatus (lazy_pq.PQstatus)
#define PQtransactionStatus (lazy_pq.PQtransactionStatus)
#define PQuser (lazy_pq.PQuser)
#endif

#endif
