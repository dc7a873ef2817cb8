#include <amd.h>
#include <math.h>
#include <cholmod.h>
#include <klu.h>
#include <stdlib.h>
#include <string.h>

#include "engine/linsolve.h"
#include "util/worker.h"
#include "util/xmem.h"

/* Triangular solves split over two threads (split_*): the factors are
 * copied out of KLU (klu_extract) after each factorization, and the pivot
 * order's columns divided into A = [0, a1), B = [a1, a2) and S = [a2, n)
 * such that no column of A has an L entry in a row of B and no column of B
 * a U entry in a row of A. Nested dissection gives such a split: A and B
 * the two halves of the circuit, S the separator between them (and the
 * columns above it). Then
 *   L solve: A and B at the same time, each adding what it sends to S's
 *            rows into its own array (summed in a fixed order), then S;
 *   U solve: S first, then A and B at the same time.
 * The arithmetic is the same whichever number of threads runs it, so the
 * results do not depend on it. */
typedef struct Split {
    int n, a1, a2;
    int *Lp, *Li, *Up, *Ui, *P, *Q, *R;
    double *Lx, *Ux, *Ud, *Rs;
    size_t lcap, ucap;
    double *c, *acc[2];
    int valid;                 /* extracted from the current factors */
    int usable;                /* ... and a balanced split was found */
    int threaded;              /* ... large enough for the worker */
    int phase;                 /* of the task handed to the worker */
} Split;

struct LinSolver {
    int n;
    struct Worker *worker;        /* linsolve_set_worker: part B of the split solves */
    int nsolved;                  /* solves with the current factors */
    Split *split;
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
    return LS_OK;
}

int linsolve_factor(LinSolver *ls, double *Ax, int *bad_col)
{
    if (ls->split) ls->split->valid = 0;
    ls->nsolved = 0;
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


/* ---- split triangular solves ---- */

/* Factors with fewer entries (L + U) are solved by KLU itself; from
 * SPLIT_THREAD_NZ on, part B runs on the worker (two handovers per solve
 * cost tens of microseconds). */
enum { SPLIT_MIN_NZ = 20000, SPLIT_THREAD_NZ = 200000 };

static void split_free(Split *sp)
{
    if (!sp) return;
    free(sp->Lp), free(sp->Li), free(sp->Lx), free(sp->Up), free(sp->Ui), free(sp->Ux), free(sp->Ud);
    free(sp->P), free(sp->Q), free(sp->R), free(sp->Rs), free(sp->c), free(sp->acc[0]), free(sp->acc[1]);
    free(sp);
}

/* Columns of part `part` in the parallel phases: L (phase 0) forward,
 * U (phase 1) backward. */
static void split_phase(Split *sp, int phase, int part)
{
    int j0 = part ? sp->a1 : 0, j1 = part ? sp->a2 : sp->a1, a2 = sp->a2;
    double *c = sp->c, *acc = sp->acc[part];
    if (phase == 0) {
        memset(acc, 0, (size_t)(sp->n - a2) * sizeof *acc);
        for (int j = j0; j < j1; j++) {
            double xj = c[j];
            if (xj == 0) continue;
            for (int k = sp->Lp[j]; k < sp->Lp[j + 1]; k++) {
                int i = sp->Li[k];
                if (i < a2) c[i] -= sp->Lx[k] * xj;
                else acc[i - a2] -= sp->Lx[k] * xj;
            }
        }
    } else {
        for (int j = j1 - 1; j >= j0; j--) {
            double xj = c[j] /= sp->Ud[j];
            if (xj == 0) continue;
            for (int k = sp->Up[j]; k < sp->Up[j + 1]; k++) c[sp->Ui[k]] -= sp->Ux[k] * xj;
        }
    }
}

static void split_part_b(void *arg)
{
    Split *sp = arg;
    split_phase(sp, sp->phase, 1);
}

/* part A here, part B on the worker (both here without one) */
static void split_parallel(LinSolver *ls, int phase)
{
    Split *sp = ls->split;
    if (!ls->worker || !sp->threaded) {
        split_phase(sp, phase, 0);
        split_phase(sp, phase, 1);
        return;
    }
    sp->phase = phase;
    worker_start(ls->worker, split_part_b, sp);
    split_phase(sp, phase, 0);
    worker_wait(ls->worker);
}

/* A and B from the elimination tree of L (parent: the first row below the
 * diagonal of each column), postordered by the ordering: the columns above
 * the first node with two or more children form S; that node's child
 * subtrees are consecutive ranges, grouped into two halves of about equal
 * size. Checked against the actual L and U patterns (pivoting can move
 * entries). Returns 1 when the split is usable. */
static int split_find(Split *sp)
{
    int n = sp->n;
    int *parent = xmalloc((size_t)n * sizeof *parent), *nchild = xcalloc((size_t)n + 1, sizeof *nchild);
    int *size = xmalloc((size_t)n * sizeof *size);
    for (int j = 0; j < n; j++) {
        int p = n;   /* the virtual root */
        for (int k = sp->Lp[j]; k < sp->Lp[j + 1]; k++)
            if (sp->Li[k] < p) p = sp->Li[k];
        parent[j] = p;
        nchild[p]++;
        size[j] = 1;
    }
    int ok = 1;
    for (int j = 0; j < n && ok; j++) {
        if (parent[j] < n && parent[j] <= j) ok = 0;
        else if (parent[j] < n) size[parent[j]] += size[j];
    }
    /* walk down the chain of single children from the (virtual) root */
    int b = n;
    while (ok && nchild[b] == 1) {
        int c = b - 1;   /* postorder: a single child precedes its parent */
        if (c < 0 || parent[c] != b) {
            ok = 0;
            break;
        }
        b = c;
    }
    int a1 = 0, a2 = b;
    if (ok && nchild[b] >= 2) {
        /* children of b, in order: their subtrees cover [b - size + 1, b) */
        int lo = b == n ? 0 : b - size[b] + 1;
        if (lo != 0) ok = 0;
        /* the boundary nearest half of [0, b) among the children's ends */
        double best = INFINITY;
        for (int j = 0; j < b; j++)
            if (parent[j] == b) {
                double d = fabs((j + 1) - 0.5 * b);
                if (d < best) {
                    best = d;
                    a1 = j + 1;
                }
            }
    } else {
        ok = 0;
    }
    free(parent), free(nchild), free(size);
    /* balanced enough to be worth a second thread */
    if (ok && (a1 < 0.25 * a2 || a1 > 0.75 * a2 || a2 < 0.5 * n)) ok = 0;
    for (int j = 0; ok && j < a1; j++)
        for (int k = sp->Lp[j]; k < sp->Lp[j + 1]; k++)
            if (sp->Li[k] >= a1 && sp->Li[k] < a2) ok = 0;
    for (int j = a1; ok && j < a2; j++)
        for (int k = sp->Up[j]; k < sp->Up[j + 1]; k++)
            if (sp->Ui[k] < a1) ok = 0;
    sp->a1 = a1;
    sp->a2 = a2;
    return ok;
}

/* Copy the current factors out of KLU (strict L, strict U and U's
 * diagonal, permutations, scale factors) and find the split. */
static int split_extract(LinSolver *ls)
{
    Split *sp = ls->split;
    klu_numeric *num = ls->num;
    int n = ls->n;
    sp->valid = 1;
    sp->usable = 0;
    if (!num || ls->sym->nblocks != 1 || num->nzoff != 0) return 0;
    size_t lnz = (size_t)num->lnz, unz = (size_t)num->unz;
    if (lnz > sp->lcap) {
        free(sp->Li), free(sp->Lx);
        sp->Li = xmalloc(lnz * sizeof *sp->Li);
        sp->Lx = xmalloc(lnz * sizeof *sp->Lx);
        sp->lcap = lnz;
    }
    if (unz > sp->ucap) {
        free(sp->Ui), free(sp->Ux);
        sp->Ui = xmalloc(unz * sizeof *sp->Ui);
        sp->Ux = xmalloc(unz * sizeof *sp->Ux);
        sp->ucap = unz;
    }
    if (!klu_extract(num, ls->sym, sp->Lp, sp->Li, sp->Lx, sp->Up, sp->Ui, sp->Ux, NULL, NULL, NULL, sp->P, sp->Q,
                     sp->Rs, sp->R, &ls->common))
        return 0;
    /* drop L's unit diagonal, move U's into Ud */
    int m = 0;
    for (int j = 0, k0 = 0; j < n; j++) {
        int k1 = sp->Lp[j + 1];
        for (int k = k0; k < k1; k++)
            if (sp->Li[k] != j) {
                sp->Li[m] = sp->Li[k];
                sp->Lx[m++] = sp->Lx[k];
            }
        k0 = k1;
        sp->Lp[j + 1] = m;
    }
    m = 0;
    for (int j = 0, k0 = 0; j < n; j++) {
        int k1 = sp->Up[j + 1];
        sp->Ud[j] = 0;
        for (int k = k0; k < k1; k++)
            if (sp->Ui[k] == j) sp->Ud[j] = sp->Ux[k];
            else {
                sp->Ui[m] = sp->Ui[k];
                sp->Ux[m++] = sp->Ux[k];
            }
        k0 = k1;
        sp->Up[j + 1] = m;
    }
    sp->usable = split_find(sp);
    /* the worker only for factors large enough to pay two handovers */
    sp->threaded = num->lnz + num->unz >= SPLIT_THREAD_NZ;
    return sp->usable;
}

static void split_init(LinSolver *ls)
{
    Split *sp = xcalloc(1, sizeof *sp);
    int n = ls->n;
    sp->n = n;
    sp->Lp = xcalloc((size_t)n + 1, sizeof *sp->Lp);
    sp->Up = xcalloc((size_t)n + 1, sizeof *sp->Up);
    sp->Ud = xmalloc((size_t)n * sizeof *sp->Ud);
    sp->P = xmalloc((size_t)n * sizeof *sp->P);
    sp->Q = xmalloc((size_t)n * sizeof *sp->Q);
    sp->R = xmalloc((size_t)(n + 1) * sizeof *sp->R);
    sp->Rs = xmalloc((size_t)n * sizeof *sp->Rs);
    sp->c = xmalloc((size_t)n * sizeof *sp->c);
    sp->acc[0] = xmalloc((size_t)n * sizeof *sp->acc[0]);
    sp->acc[1] = xmalloc((size_t)n * sizeof *sp->acc[1]);
    ls->split = sp;
}

/* Solve with the split factors: scale and permute b, L then U, permute back. */
static void split_solve(LinSolver *ls, double *b)
{
    Split *sp = ls->split;
    int n = sp->n, a2 = sp->a2;
    double *c = sp->c;
    for (int k = 0; k < n; k++) c[k] = b[sp->P[k]] / sp->Rs[k];   /* Rs in pivot order */
    split_parallel(ls, 0);
    for (int i = a2; i < n; i++) c[i] += sp->acc[0][i - a2] + sp->acc[1][i - a2];
    for (int j = a2; j < n; j++) {
        double xj = c[j];
        for (int k = sp->Lp[j]; k < sp->Lp[j + 1]; k++) c[sp->Li[k]] -= sp->Lx[k] * xj;
    }
    for (int j = n - 1; j >= a2; j--) {
        double xj = c[j] /= sp->Ud[j];
        for (int k = sp->Up[j]; k < sp->Up[j + 1]; k++) c[sp->Ui[k]] -= sp->Ux[k] * xj;
    }
    split_parallel(ls, 1);
    for (int k = 0; k < n; k++) b[sp->Q[k]] = c[k];
}

void linsolve_set_worker(LinSolver *ls, Worker *w)
{
    ls->worker = w;
}

int linsolve_solve(LinSolver *ls, double *b)
{
    ls->stats.solves++;
    /* the factors are copied out at their second solve: a factorization
     * solved once (full Newton, an operating point) is not worth the copy */
    if (ls->num && ls->nsolved++ > 0 && ls->num->lnz + ls->num->unz >= SPLIT_MIN_NZ) {
        if (!ls->split) split_init(ls);
        if (!ls->split->valid) split_extract(ls);
        if (ls->split->usable) {
            ls->stats.split_solves++;
            split_solve(ls, b);
            return LS_OK;
        }
    }
    return klu_solve(ls->sym, ls->num, ls->n, 1, b, &ls->common) ? LS_OK : LS_ERROR;
}

void linsolve_release(LinSolver *ls)
{
    if (!ls) return;
    if (ls->num) klu_free_numeric(&ls->num, &ls->common);
    for (int k = 0; k < LS_KEEP; k++)
        if (ls->kept[k]) klu_free_numeric(&ls->kept[k], &ls->common);
    split_free(ls->split);   /* made again at the next solve that wants it */
    ls->split = NULL;
}

void linsolve_swap(LinSolver *ls, int k)
{
    if (ls->split) ls->split->valid = 0;
    ls->nsolved = 0;
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
    split_free(ls->split);
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
