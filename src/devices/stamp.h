/* Small helpers shared by device files for the most common stamp shape:
 * a two-terminal conductance-like entry between rows a and b. */
#ifndef MS_STAMP_H
#define MS_STAMP_H

#include "engine/mna.h"

typedef struct Stamp2 {
    int aa, ab, ba, bb;      /* matrix handles */
} Stamp2;

static inline void stamp2_reserve(SetupCtx *s, int a, int b, Stamp2 *h, int dyn)
{
    int (*res)(SetupCtx *, int, int) = dyn ? mna_reserve_dyn : mna_reserve;
    h->aa = res(s, a, a);
    h->ab = res(s, a, b);
    h->ba = res(s, b, a);
    h->bb = res(s, b, b);
}

/* M[aa] += g, M[bb] += g, M[ab] -= g, M[ba] -= g */
static inline void stamp2_add(double *M, const Stamp2 *h, double g)
{
    M[h->aa] += g;
    M[h->bb] += g;
    M[h->ab] -= g;
    M[h->ba] -= g;
}

#endif
