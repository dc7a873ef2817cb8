/* Allocation helpers that never return NULL (out of memory aborts with a
 * message: there is no sensible recovery for a simulator that cannot
 * allocate its matrix) and small string utilities. */
#ifndef MS_XMEM_H
#define MS_XMEM_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a freshly allocated string */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);
/* lower-case copy / in place (ASCII) */
char *str_lower_dup(const char *s);
void str_lower(char *s);
int str_ieq(const char *a, const char *b);              /* case-insensitive equal */
int str_iprefix(const char *s, const char *prefix);     /* s starts with prefix, case-insensitive */

/* growable array: VEC(double) v = {0}; VEC_PUSH(v, 1.0); v.v[i], v.n */
#define VEC(T) struct { T *v; int n, cap; }
#define VEC_RESERVE(vec, want)                                                   \
    do {                                                                         \
        if ((want) > (vec).cap) {                                                \
            int nc_ = (vec).cap ? (vec).cap * 2 : 8;                             \
            while (nc_ < (want)) nc_ *= 2;                                       \
            (vec).v = xrealloc((vec).v, (size_t)nc_ * sizeof(*(vec).v));         \
            (vec).cap = nc_;                                                     \
        }                                                                        \
    } while (0)
#define VEC_PUSH(vec, x)                                                         \
    do {                                                                         \
        VEC_RESERVE(vec, (vec).n + 1);                                           \
        (vec).v[(vec).n++] = (x);                                                \
    } while (0)
#define VEC_FREE(vec)                                                            \
    do {                                                                         \
        free((vec).v);                                                           \
        (vec).v = NULL;                                                          \
        (vec).n = (vec).cap = 0;                                                 \
    } while (0)

#endif
