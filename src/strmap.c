/* strmap.c — open-addressing string map with linear probing (FNV-1a hash). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define STRMAP_MIN_CAP 16

static uint64_t strmap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void strmap_init(StrMap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->len = 0;
}

void strmap_release(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    strmap_init(m);
}

static StrMapEntry *strmap_find(const StrMap *m, const char *key)
{
    size_t i = (size_t)strmap_hash(key) & (m->cap - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static void strmap_grow(StrMap *m)
{
    StrMap old = *m;
    m->cap = old.cap ? old.cap * 2 : STRMAP_MIN_CAP;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key)
            *strmap_find(m, old.slots[i].key) = old.slots[i];
    }
    free(old.slots);
}

int strmap_put(StrMap *m, const char *key, int64_t value)
{
    if ((m->len + 1) * 2 > m->cap)
        strmap_grow(m);
    StrMapEntry *e = strmap_find(m, key);
    if (e->key) {
        e->value = value;
        return 0;
    }
    e->key = xstrdup(key);
    e->value = value;
    m->len++;
    return 1;
}

int strmap_get(const StrMap *m, const char *key, int64_t *value)
{
    if (!m->cap)
        return 0;
    const StrMapEntry *e = strmap_find(m, key);
    if (!e->key)
        return 0;
    if (value)
        *value = e->value;
    return 1;
}
