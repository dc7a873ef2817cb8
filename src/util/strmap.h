/* String-keyed hash map (open addressing, linear probing). The map owns a
 * copy of each key; values are caller-owned pointers or small integers.
 * Keys are compared exactly: callers lower-case SPICE names first. */
#ifndef MS_STRMAP_H
#define MS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct StrMapEntry {
    char *key;          /* NULL: empty slot */
    void *val;
} StrMapEntry;

typedef struct StrMap {
    StrMapEntry *slot;
    size_t cap, n;
} StrMap;

void strmap_free(StrMap *m);
/* insert or replace; returns the previous value (NULL if none) */
void *strmap_put(StrMap *m, const char *key, void *val);
/* 1 and *val if present, 0 otherwise (val may be NULL) */
int strmap_get(const StrMap *m, const char *key, void **val);
void *strmap_find(const StrMap *m, const char *key);   /* NULL if absent */

static inline void *strmap_int_to_ptr(intptr_t i) { return (void *)i; }
static inline intptr_t strmap_ptr_to_int(void *p) { return (intptr_t)p; }

/* iteration: for (size_t i = 0; i < m->cap; i++) if (m->slot[i].key) ... */

#endif
