#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "xmem.h"

static uint64_t hash_str(const char *s)
{
    /* FNV-1a */
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void strmap_free(StrMap *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->slot[i].key);
    free(m->slot);
    m->slot = NULL;
    m->cap = m->n = 0;
}

static StrMapEntry *find_slot(StrMapEntry *slot, size_t cap, const char *key)
{
    size_t i = (size_t)hash_str(key) & (cap - 1);
    while (slot[i].key && strcmp(slot[i].key, key) != 0) i = (i + 1) & (cap - 1);
    return &slot[i];
}

static void grow(StrMap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    StrMapEntry *ns = xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key) *find_slot(ns, ncap, m->slot[i].key) = m->slot[i];
    free(m->slot);
    m->slot = ns;
    m->cap = ncap;
}

void *strmap_put(StrMap *m, const char *key, void *val)
{
    if ((m->n + 1) * 4 > m->cap * 3) grow(m);
    StrMapEntry *e = find_slot(m->slot, m->cap, key);
    if (e->key) {
        void *old = e->val;
        e->val = val;
        return old;
    }
    e->key = xstrdup(key);
    e->val = val;
    m->n++;
    return NULL;
}

int strmap_get(const StrMap *m, const char *key, void **val)
{
    if (!m->cap) return 0;
    StrMapEntry *e = find_slot(m->slot, m->cap, key);
    if (!e->key) return 0;
    if (val) *val = e->val;
    return 1;
}

void *strmap_find(const StrMap *m, const char *key)
{
    void *v = NULL;
    strmap_get(m, key, &v);
    return v;
}
