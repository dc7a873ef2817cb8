#include <amd.h>
#include <cholmod.h>
#include <klu.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/linsolve.h"
#include "util/xmem.h"

struct LinSolver {
    int n;
    int *Ap, *Ai;                 /* own copies (KLU keeps no reference, refactor needs them) */
    klu_common common;
    klu_symbolic *sym;
    klu_numeric *num;
    klu_numeric *kept[LS_KEEP];   /* linsolve_swap */
    double rcond_kept[LS_KEEP];
    klu_numeric *znum;            /* complex factors (small-signal AC) */
    double rcond_at_factor;       /* reciprocal condition estimate after the last full factor */
    LinStats stats;
};

/* KLU user ordering for large blocks: CHOLMOD analyses the pattern of
 * A + A' with AMD and with nested dissection (METIS) and keeps the ordering
 * with the smaller Cholesky fill. On 2-D meshes (crossbars, grids) nested
 * dissection often fills in much less than AMD; elsewhere AMD wins and is
 * kept, so the choice never costs fill. Small blocks use AMD directly. */
enum { ND_MIN_BLOCK = 500 };

static int best_order(int n, int Ap[], int Ai[], int Perm[], klu_common *kc)
{
    (void)kc;
    if (n < ND_MIN_BLOCK) return amd_order(n, Ap, Ai, Perm, NULL, NULL) >= AMD_OK;
    cholmod_common cc;
    cholmod_start(&cc);
    cc.print = 0;
    cc.nmethods = 2;
    cc.method[0].ordering = CHOLMOD_AMD;
    cc.method[1].ordering = CHOLMOD_METIS;
    cc.postorder = 1;
    cc.supernodal = CHOLMOD_SIMPLICIAL;
    size_t nnz = (size_t)Ap[n];
    cholmod_triplet *T = cholmod_allocate_triplet((size_t)n, (size_t)n, nnz, 1, CHOLMOD_PATTERN, &cc);
    int ok = 0;
    double lnz = 1;
    if (T) {
        int *ti = T->i, *tj = T->j;
        size_t m = 0;
        for (int j = 0; j < n; j++)
            for (int k = Ap[j]; k < Ap[j + 1]; k++) {
                int i = Ai[k];
                ti[m] = i < j ? i : j;   /* upper triangle of A + A' */
                tj[m] = i < j ? j : i;
                m++;
            }
        T->nnz = m;
        cholmod_sparse *S = cholmod_triplet_to_sparse(T, nnz, &cc);
        if (S) {
            cholmod_factor *L = cholmod_analyze(S, &cc);
            if (L) {
                const int *lp = L->Perm;
                for (int k = 0; k < n; k++) Perm[k] = lp[k];
                lnz = cc.lnz > 1 ? cc.lnz : 1;
                ok = 1;
                cholmod_free_factor(&L, &cc);
            }
            cholmod_free_sparse(&S, &cc);
        }
        cholmod_free_triplet(&T, &cc);
    }
    cholmod_finish(&cc);
    if (!ok) return amd_order(n, Ap, Ai, Perm, NULL, NULL) >= AMD_OK;
    return lnz < 2e9 ? (int)lnz : 2000000000;
}

LinSolver *linsolve_new(int n, const int *Ap, const int *Ai)
{
    LinSolver *ls = xcalloc(1, sizeof *ls);
    ls->n = n;
    ls->Ap = xmalloc((size_t)(n + 1) * sizeof *ls->Ap);
    for (int i = 0; i <= n; i++) ls->Ap[i] = Ap[i];
    int nnz = Ap[n];
    ls->Ai = xmalloc((size_t)(nnz ? nnz : 1) * sizeof *ls->Ai);
    for (int k = 0; k < nnz; k++) ls->Ai[k] = Ai[k];
    klu_defaults(&ls->common);
    if (n >= ND_MIN_BLOCK) {
        ls->common.ordering = 3;
        ls->common.user_order = best_order;
    }
    ls->sym = klu_analyze(n, ls->Ap, ls->Ai, &ls->common);
    if (!ls->sym) {
        linsolve_free(ls);
        return NULL;
    }
    return ls;
}

static int full_factor(LinSolver *ls, double *Ax, int *bad_col)
{
    if (ls->num) klu_free_numeric(&ls->num, &ls->common);
    ls->num = klu_factor(ls->Ap, ls->Ai, Ax, ls->sym, &ls->common);
    ls->stats.factors++;
    if (!ls->num || ls->common.status == KLU_SINGULAR) {
        if (bad_col) *bad_col = (int)ls->common.singular_col;
        if (ls->num) klu_free_numeric(&ls->num, &ls->common);
        return ls->common.status == KLU_SINGULAR ? LS_SINGULAR : LS_ERROR;
    }
    klu_rcond(ls->sym, ls->num, &ls->common);
    ls->rcond_at_factor = ls->common.rcond;
    if (getenv("MS_NDBG")) fprintf(stderr, "KLU n=%d nnzA=%d lnz=%g unz=%g flops=%g offp=%d nblocks=%d\n", ls->n, ls->Ap[ls->n], (double)ls->num->lnz, (double)ls->num->unz, ls->common.flops, (int)ls->common.noffdiag, ls->sym->nblocks);
    return LS_OK;
}

int linsolve_factor(LinSolver *ls, double *Ax, int *bad_col)
{
    if (!ls->num) return full_factor(ls, Ax, bad_col);
    int ok = klu_refactor(ls->Ap, ls->Ai, Ax, ls->sym, ls->num, &ls->common);
    ls->stats.refactors++;
    if (ok && ls->common.status == KLU_OK) {
        /* Reused pivots may have become poor for the new values: the cheap
         * diagonal-ratio estimate dropping far below what a fresh pivot
         * search gave is the signal to search again. */
        klu_rcond(ls->sym, ls->num, &ls->common);
        if (ls->common.rcond >= 1e-3 * ls->rcond_at_factor && ls->common.rcond > 0) return LS_OK;
    }
    return full_factor(ls, Ax, bad_col);
}

int linsolve_solve(LinSolver *ls, double *b)
{
    ls->stats.solves++;
    return klu_solve(ls->sym, ls->num, ls->n, 1, b, &ls->common) ? LS_OK : LS_ERROR;
}

void linsolve_swap(LinSolver *ls, int k)
{
    klu_numeric *t = ls->num;
    ls->num = ls->kept[k];
    ls->kept[k] = t;
    double r = ls->rcond_at_factor;
    ls->rcond_at_factor = ls->rcond_kept[k];
    ls->rcond_kept[k] = r;
}

int linsolve_factor_complex(LinSolver *ls, double *Az, int *bad_col)
{
    if (ls->znum) klu_z_free_numeric(&ls->znum, &ls->common);
    ls->znum = klu_z_factor(ls->Ap, ls->Ai, Az, ls->sym, &ls->common);
    ls->stats.factors++;
    if (!ls->znum || ls->common.status == KLU_SINGULAR) {
        if (bad_col) *bad_col = (int)ls->common.singular_col;
        if (ls->znum) klu_z_free_numeric(&ls->znum, &ls->common);
        return ls->common.status == KLU_SINGULAR ? LS_SINGULAR : LS_ERROR;
    }
    return LS_OK;
}

int linsolve_solve_complex(LinSolver *ls, double *bz)
{
    ls->stats.solves++;
    return ls->znum && klu_z_solve(ls->sym, ls->znum, ls->n, 1, bz, &ls->common) ? LS_OK : LS_ERROR;
}

void linsolve_free(LinSolver *ls)
{
    if (!ls) return;
    if (ls->znum) klu_z_free_numeric(&ls->znum, &ls->common);
    if (ls->num) klu_free_numeric(&ls->num, &ls->common);
    for (int k = 0; k < LS_KEEP; k++)
        if (ls->kept[k]) klu_free_numeric(&ls->kept[k], &ls->common);
    if (ls->sym) klu_free_symbolic(&ls->sym, &ls->common);
    free(ls->Ap);
    free(ls->Ai);
    free(ls);
}

const LinStats *linsolve_stats(const LinSolver *ls)
{
    return &ls->stats;
}
