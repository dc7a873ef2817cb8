#include "engine/pattern.h"

#include <stdlib.h>

#include "util/xmem.h"

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

int pattern_build(long long *keys, size_t n, int ncol, int **Ap, int **Ai)
{
    if (n > 1) qsort(keys, n, sizeof *keys, cmp_ll);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || keys[k] != keys[m - 1]) keys[m++] = keys[k];
    int *p = xcalloc((size_t)ncol + 1, sizeof *p), *i = xmalloc((m ? m : 1) * sizeof *i);
    for (size_t k = 0; k < m; k++) {
        i[k] = (int)(keys[k] & 0xffffffff);
        p[(keys[k] >> 32) + 1]++;
    }
    for (int c = 0; c < ncol; c++) p[c + 1] += p[c];
    *Ap = p;
    *Ai = i;
    return (int)m;
}

int pattern_find(const int *Ap, const int *Ai, int row, int col)
{
    int lo = Ap[col], hi = Ap[col + 1] - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (Ai[mid] == row) return mid;
        if (Ai[mid] < row) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}
