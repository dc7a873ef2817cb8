/* Compressed-column sparsity patterns from (row, col) pairs, shared by the
 * engine's matrix (engine.c) and the condensed one (condense.c). */
#ifndef MS_PATTERN_H
#define MS_PATTERN_H

#include <stddef.h>

/* key of entry (row, col): column-major order when sorted */
static inline long long pattern_key(int row, int col)
{
    return (long long)col << 32 | (long long)row;
}

/* Sort and de-duplicate keys[0..n) in place and build the compressed
 * columns: *Ap (ncol + 1 starts) and *Ai (row indices), both allocated.
 * Returns the number of entries. */
int pattern_build(long long *keys, size_t n, int ncol, int **Ap, int **Ai);
/* handle of (row, col), -1 if the pattern has no such entry */
int pattern_find(const int *Ap, const int *Ai, int row, int col);

#endif
