/* Small helpers shared by device files for the most common stamp shape:
 * a two-terminal conductance-like entry between rows a and b.
 *
 * A grounded terminal is always b (stamp2_reserve swaps a and b if needed;
 * the caller must then use h->a, h->b): its entries are skipped rather than
 * written to the ground sink slot, because thousands of grounded devices
 * adding into one memory cell form a serial dependency chain that costs
 * more than the rest of the load. */
#ifndef MS_STAMP_H
#define MS_STAMP_H

#include "engine/mna.h"

typedef struct Stamp2 {
    int a, b;                /* rows; b is the ground sink when grounded */
    int aa, ab, ba, bb;      /* matrix handles */
    int grounded;
    int sign;                /* +1, or -1 when a and b were swapped */
} Stamp2;

static inline void stamp2_reserve(SetupCtx *s, int node_a, int node_b, Stamp2 *h, int dyn)
{
    int (*res)(SetupCtx *, int, int) = dyn ? mna_reserve_dyn : mna_reserve;
    h->sign = 1;
    if (node_a == 0 && node_b != 0) {
        int t = node_a;
        node_a = node_b;
        node_b = t;
        h->sign = -1;
    }
    h->a = mna_node_row(s, node_a);
    h->b = mna_node_row(s, node_b);
    h->grounded = node_b == 0;
    h->aa = res(s, h->a, h->a);
    h->ab = res(s, h->a, h->b);
    h->ba = res(s, h->b, h->a);
    h->bb = res(s, h->b, h->b);
}

/* M[aa] += g, M[bb] += g, M[ab] -= g, M[ba] -= g */
static inline void stamp2_add(double *M, const Stamp2 *h, double g)
{
    M[h->aa] += g;
    if (!h->grounded) {
        M[h->bb] += g;
        M[h->ab] -= g;
        M[h->ba] -= g;
    }
}

/* V[a] += x, V[b] -= x (x measured from the original n+ to n-) */
static inline void stamp2_flow(double *V, const Stamp2 *h, double x)
{
    x *= h->sign;
    V[h->a] += x;
    if (!h->grounded) V[h->b] -= x;
}

/* the current i from n+ through the device to n-: F[a] += i, F[b] -= i
 * (and its size for the convergence check, load_f) */
static inline void stamp2_current(LoadCtx *c, const Stamp2 *h, double i)
{
    stamp2_flow(c->F, h, i);
    if (c->Fmag) {
        double m = i < 0 ? -i : i;
        c->Fmag[h->a] += m;
        if (!h->grounded) c->Fmag[h->b] += m;
    }
}

/* v(n+) - v(n-) as written on the element line */
static inline double stamp2_v(const double *y, const Stamp2 *h)
{
    return h->sign * (y[h->a] - y[h->b]);
}

#endif
