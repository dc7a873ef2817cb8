/* Static condensation of device states (condense.h). */
#include "engine/condense.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/pattern.h"

/* Largest coupling of a condensed state (entries in its row, and in its
 * column, besides the diagonal): a two-terminal device's state has two of
 * each; the fill it adds to S is their product. */
#define CONDENSE_MAXDEG 8
/* Smallest pivot, relative to the sizes of its terms: below it a0 C and G
 * cancel (a state whose own rate grows as fast as the step integrates it)
 * and the full system, pivoting where it must, is solved instead. */
#define CONDENSE_PIVOT 1e-6
/* Below this many condensed states the full system is kept as it is. */
#define CONDENSE_MIN 16

struct Condense {
    int n, m, ns, nnz;
    int *keep;             /* reduced index -> full index (m) */
    int *red;              /* full index -> reduced index, -1 if condensed (n) */
    int *s;                /* condensed unknowns (ns) */
    int *sd;               /* their diagonal handles */
    /* column s: rows p (reduced) and handles of A_ps; row s: columns q
     * (reduced) and handles of A_sq; per state k the ranges
     * cp[k]..cp[k+1] and rp[k]..rp[k+1] */
    int *cp, *cr, *ch;
    int *rp, *rc, *rh;
    /* S handle of fill (p_i, q_j) of state k: fh[fp[k] + i * nrow_k + j] */
    int *fp, *fh;
    int *map;              /* full handle -> S handle, -1 outside the kept block (nnz) */
    int *Sp, *Si;
    double *S;
    double *dinv;          /* 1/D of each state at the last condense_pivots */
    double *rr;            /* reduced right side (m) */
    int a0_free;
    LinSolver *ls;
};

Condense *condense_new(const Engine *e)
{
    int n = e->n, nnz = e->nnz;
    if (n == 0) return NULL;
    const int *Ap = e->Ap, *Ai = e->Ai;
    /* row degrees of every unknown (off-diagonal entries), and whether the
     * diagonal takes a charge */
    int *rdeg = xcalloc((size_t)n, sizeof *rdeg);
    for (int col = 0; col < n; col++)
        for (int k = Ap[col]; k < Ap[col + 1]; k++)
            if (Ai[k] != col && Ai[k] < n) rdeg[Ai[k]]++;
    char *dq = xcalloc((size_t)nnz + 1, 1);
    for (int k = 0; k < e->ncq; k++) dq[e->cq_h[k]] = 1;
    /* condense greedily in index order: a state is taken unless it is a
     * neighbour of one already taken (nb[]: each taken state marks the rows
     * of its column and the columns of its row), so no two condensed
     * states couple and D stays diagonal */
    char *cond = xcalloc((size_t)n, 1), *nb = xcalloc((size_t)n, 1);
    int ns = 0;
    /* rows of each column are known directly; the columns of row s are the
     * columns whose pattern holds s: gather them once (transpose) */
    int *tp = xcalloc((size_t)n + 1, sizeof *tp);
    for (int i = 0; i < n; i++) tp[i + 1] = tp[i] + rdeg[i];
    int *tc = xmalloc((size_t)(tp[n] ? tp[n] : 1) * sizeof *tc), *th = xmalloc((size_t)(tp[n] ? tp[n] : 1) * sizeof *th);
    int *fill = xcalloc((size_t)n, sizeof *fill);
    for (int col = 0; col < n; col++)
        for (int k = Ap[col]; k < Ap[col + 1]; k++) {
            int row = Ai[k];
            if (row == col || row >= n) continue;
            tc[tp[row] + fill[row]] = col;
            th[tp[row] + fill[row]] = k;
            fill[row]++;
        }
    free(fill);
    for (int i = 0; i < n; i++) {
        if (e->uk.v[i].kind != UK_STATE || !dq[e->diag_h[i]] || nb[i]) continue;
        int cdeg = Ap[i + 1] - Ap[i] - 1;
        if (cdeg > CONDENSE_MAXDEG || rdeg[i] > CONDENSE_MAXDEG) continue;
        cond[i] = 1;
        ns++;
        for (int k = Ap[i]; k < Ap[i + 1]; k++)
            if (Ai[k] < n) nb[Ai[k]] = 1;
        for (int k = tp[i]; k < tp[i + 1]; k++) nb[tc[k]] = 1;
    }
    free(nb);
    if (ns < CONDENSE_MIN) {
        free(rdeg), free(dq), free(cond), free(tp), free(tc), free(th);
        return NULL;
    }
    Condense *c = xcalloc(1, sizeof *c);
    c->n = n;
    c->nnz = nnz;
    c->ns = ns;
    c->m = n - ns;
    c->keep = xmalloc((size_t)c->m * sizeof *c->keep);
    c->red = xmalloc((size_t)n * sizeof *c->red);
    c->s = xmalloc((size_t)ns * sizeof *c->s);
    c->sd = xmalloc((size_t)ns * sizeof *c->sd);
    for (int i = 0, j = 0, k = 0; i < n; i++) {
        if (cond[i]) {
            c->red[i] = -1;
            c->sd[k] = e->diag_h[i];
            c->s[k++] = i;
        } else {
            c->red[i] = j;
            c->keep[j++] = i;
        }
    }
    /* couplings of each state */
    c->cp = xmalloc((size_t)(ns + 1) * sizeof *c->cp);
    c->rp = xmalloc((size_t)(ns + 1) * sizeof *c->rp);
    c->fp = xmalloc((size_t)(ns + 1) * sizeof *c->fp);
    c->cp[0] = c->rp[0] = c->fp[0] = 0;
    for (int k = 0; k < ns; k++) {
        int i = c->s[k], nc = 0;
        for (int h = Ap[i]; h < Ap[i + 1]; h++)
            if (Ai[h] != i && Ai[h] < n) nc++;
        c->cp[k + 1] = c->cp[k] + nc;
        c->rp[k + 1] = c->rp[k] + rdeg[i];
        c->fp[k + 1] = c->fp[k] + nc * rdeg[i];
    }
    c->cr = xmalloc((size_t)(c->cp[ns] + 1) * sizeof *c->cr);
    c->ch = xmalloc((size_t)(c->cp[ns] + 1) * sizeof *c->ch);
    c->rc = xmalloc((size_t)(c->rp[ns] + 1) * sizeof *c->rc);
    c->rh = xmalloc((size_t)(c->rp[ns] + 1) * sizeof *c->rh);
    for (int k = 0; k < ns; k++) {
        int i = c->s[k], m = c->cp[k];
        for (int h = Ap[i]; h < Ap[i + 1]; h++)
            if (Ai[h] != i && Ai[h] < n) {
                c->cr[m] = c->red[Ai[h]];
                c->ch[m++] = h;
            }
        m = c->rp[k];
        for (int t = tp[i]; t < tp[i + 1]; t++) {
            c->rc[m] = c->red[tc[t]];
            c->rh[m++] = th[t];
        }
    }
    free(tp), free(tc), free(th), free(rdeg);
    /* pattern of S: the kept block plus the fill */
    size_t np = 0, cap = (size_t)nnz + (size_t)c->fp[ns] + 1;
    long long *pat = xmalloc(cap * sizeof *pat);
    for (int col = 0; col < n; col++) {
        if (cond[col]) continue;
        for (int k = Ap[col]; k < Ap[col + 1]; k++)
            if (Ai[k] < n && !cond[Ai[k]]) pat[np++] = pattern_key(c->red[Ai[k]], c->red[col]);
    }
    for (int k = 0; k < ns; k++)
        for (int a = c->cp[k]; a < c->cp[k + 1]; a++)
            for (int b = c->rp[k]; b < c->rp[k + 1]; b++) pat[np++] = pattern_key(c->cr[a], c->rc[b]);
    size_t u = (size_t)pattern_build(pat, np, c->m, &c->Sp, &c->Si);
    free(pat);
    c->S = xcalloc(u ? u : 1, sizeof *c->S);
    c->map = xmalloc((size_t)(nnz + 1) * sizeof *c->map);
    c->a0_free = 1;
    for (int k = 0; k <= nnz; k++) c->map[k] = -1;
    for (int col = 0; col < n; col++) {
        if (cond[col]) continue;
        for (int k = Ap[col]; k < Ap[col + 1]; k++)
            if (Ai[k] < n && !cond[Ai[k]]) {
                c->map[k] = pattern_find(c->Sp, c->Si, c->red[Ai[k]], c->red[col]);
                if (dq[k]) c->a0_free = 0;
            }
    }
    c->fh = xmalloc((size_t)(c->fp[ns] + 1) * sizeof *c->fh);
    for (int k = 0; k < ns; k++) {
        int nr = c->rp[k + 1] - c->rp[k], f = c->fp[k];
        for (int a = c->cp[k]; a < c->cp[k + 1]; a++)
            for (int b = c->rp[k]; b < c->rp[k + 1]; b++)
                c->fh[f + (a - c->cp[k]) * nr + (b - c->rp[k])] = pattern_find(c->Sp, c->Si, c->cr[a], c->rc[b]);
    }
    free(dq), free(cond);
    c->dinv = xcalloc((size_t)ns, sizeof *c->dinv);
    c->rr = xcalloc((size_t)c->m + 1, sizeof *c->rr);
    c->ls = linsolve_new(c->m, c->Sp, c->Si);
    if (!c->ls) {
        condense_free(c);
        return NULL;
    }
    return c;
}

void condense_free(Condense *c)
{
    if (!c) return;
    linsolve_free(c->ls);
    free(c->keep), free(c->red), free(c->s), free(c->sd);
    free(c->cp), free(c->cr), free(c->ch), free(c->rp), free(c->rc), free(c->rh);
    free(c->fp), free(c->fh), free(c->map), free(c->Sp), free(c->Si), free(c->S);
    free(c->dinv), free(c->rr);
    free(c);
}

int condense_size(const Condense *c)
{
    return c->m;
}

LinSolver *condense_solver(Condense *c)
{
    return c->ls;
}

int condense_full_index(const Condense *c, int j)
{
    return j >= 0 && j < c->m ? c->keep[j] : -1;
}

int condense_a0_free(const Condense *c)
{
    return c->a0_free;
}

int condense_pivots(Condense *c, const double *J, const double *G, const double *C, double a0,
                    const double *a0row, int *bad)
{
    for (int k = 0; k < c->ns; k++) {
        int h = c->sd[k], i = c->s[k];
        double d = J[h], ai = a0row ? a0row[i] : a0;
        double size = fabs(ai * C[h]) + fabs(G[h]);
        if (!(fabs(d) >= CONDENSE_PIVOT * size) || d == 0) {
            if (bad) *bad = i;
            return -1;
        }
        c->dinv[k] = 1 / d;
    }
    return 0;
}

int condense_factor(Condense *c, const double *J, int *bad)
{
    const int *Sp = c->Sp;
    memset(c->S, 0, (size_t)Sp[c->m] * sizeof *c->S);
    for (int k = 0; k < c->nnz; k++)
        if (c->map[k] >= 0) c->S[c->map[k]] += J[k];
    for (int k = 0; k < c->ns; k++) {
        int nr = c->rp[k + 1] - c->rp[k], f = c->fp[k];
        double di = c->dinv[k];
        for (int a = c->cp[k]; a < c->cp[k + 1]; a++) {
            double w = J[c->ch[a]] * di;
            if (w == 0) continue;
            const int *fh = c->fh + f + (a - c->cp[k]) * nr;
            for (int b = 0; b < nr; b++) c->S[fh[b]] -= w * J[c->rh[c->rp[k] + b]];
        }
    }
    int st = linsolve_factor(c->ls, c->S, bad);
    if (st == LS_SINGULAR && bad) *bad = condense_full_index(c, *bad);
    return st;
}

int condense_solve(Condense *c, const double *J, const double *r, double *dy)
{
    double *rr = c->rr;
    for (int j = 0; j < c->m; j++) rr[j] = -r[c->keep[j]];
    for (int k = 0; k < c->ns; k++) {
        double t = r[c->s[k]] * c->dinv[k];
        if (t == 0) continue;
        for (int a = c->cp[k]; a < c->cp[k + 1]; a++) rr[c->cr[a]] += J[c->ch[a]] * t;
    }
    int st = linsolve_solve(c->ls, rr);
    if (st != LS_OK) return st;
    for (int j = 0; j < c->m; j++) dy[c->keep[j]] = rr[j];
    for (int k = 0; k < c->ns; k++) {
        double acc = r[c->s[k]];
        for (int b = c->rp[k]; b < c->rp[k + 1]; b++) acc += J[c->rh[b]] * rr[c->rc[b]];
        dy[c->s[k]] = -acc * c->dinv[k];
    }
    return LS_OK;
}
