/* strmap.h — a small open-addressing hash map from strings (copied, owned) to
 * int64 values. Used to catch duplicates and to look codes up by name. */
#ifndef KPI_STRMAP_H
#define KPI_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct StrMapEntry {
    char *key;     /* NULL for an empty slot */
    int64_t value;
} StrMapEntry;

typedef struct StrMap {
    StrMapEntry *slots;
    size_t cap;    /* power of two */
    size_t len;
} StrMap;

void strmap_init(StrMap *m);
void strmap_release(StrMap *m);
/* Set key to value; returns 1 if the key was new, 0 if it replaced a value. */
int strmap_put(StrMap *m, const char *key, int64_t value);
/* 1 and *value when found, else 0. value may be NULL. */
int strmap_get(const StrMap *m, const char *key, int64_t *value);

#endif
