/* The sparse solver's own parts, against independent references:
 *   - the split triangular solves (linsolve_klu.c) on a 2-D mesh: residual
 *     of the solution, the split actually used, and the same bits with one
 *     thread and with two;
 *   - the condensation of device states (condense.c) against a dense
 *     Gaussian elimination of the full system written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/condense.h"
#include "engine/engine.h"
#include "engine/linsolve.h"
#include "testutil.h"
#include "util/worker.h"
#include "util/xmem.h"

/* deterministic values in [-1, 1) */
static double urand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 4503599627370496.0 - 1.0;
}

/* k x k mesh, 5-point stencil with unsymmetric values (an unsymmetric
 * conductance-like matrix: diagonal dominant by a margin), compressed
 * column */
static void mesh(int k, int **Ap, int **Ai, double **Ax, uint64_t seed)
{
    int n = k * k;
    *Ap = xcalloc((size_t)n + 1, sizeof **Ap);
    *Ai = xmalloc((size_t)5 * n * sizeof **Ai);
    *Ax = xmalloc((size_t)5 * n * sizeof **Ax);
    int m = 0;
    for (int c = 0; c < n; c++) {
        int x = c % k, y = c / k;
        int rows[5], nr = 0;
        if (y > 0) rows[nr++] = c - k;
        if (x > 0) rows[nr++] = c - 1;
        rows[nr++] = c;
        if (x < k - 1) rows[nr++] = c + 1;
        if (y < k - 1) rows[nr++] = c + k;
        for (int t = 0; t < nr; t++) {
            (*Ai)[m] = rows[t];
            (*Ax)[m++] = rows[t] == c ? 4.5 + urand(&seed) * 0.4 : -1 + 0.3 * urand(&seed);
        }
        (*Ap)[c + 1] = m;
    }
}

static double residual(int n, const int *Ap, const int *Ai, const double *Ax, const double *x, const double *b)
{
    double *r = xcalloc((size_t)n, sizeof *r), worst = 0, bmax = 0;
    for (int c = 0; c < n; c++)
        for (int k = Ap[c]; k < Ap[c + 1]; k++) r[Ai[k]] += Ax[k] * x[c];
    for (int i = 0; i < n; i++) {
        worst = fmax(worst, fabs(r[i] - b[i]));
        bmax = fmax(bmax, fabs(b[i]));
    }
    free(r);
    return worst / bmax;
}

/* A 200 x 200 mesh (40,000 unknowns; its factors are large enough for the
 * split): the solution's residual within 1e-12 of |b| (double rounding of
 * a well-conditioned system: measured 5e-15), the second solve of each
 * factorization on the split factors, and one thread and two give the same
 * bits, after a refactorization with new values too. */
static void test_split_mesh(void **state)
{
    (void)state;
    int k = 200, n = k * k, *Ap, *Ai;
    double *Ax;
    mesh(k, &Ap, &Ai, &Ax, 7);
    double *b = xmalloc((size_t)n * sizeof *b), *x1 = xmalloc((size_t)n * sizeof *x1),
           *x2 = xmalloc((size_t)n * sizeof *x2);
    uint64_t s = 11;
    for (int i = 0; i < n; i++) b[i] = urand(&s);
    LinSolver *l1 = linsolve_new(n, Ap, Ai), *l2 = linsolve_new(n, Ap, Ai);
    assert_non_null(l1);
    assert_non_null(l2);
    Worker *w = worker_new();
    assert_non_null(w);
    linsolve_set_worker(l2, w);
    for (int round = 0; round < 2; round++) {
        if (round) {
            uint64_t t = 99;
            for (int j = 0; j < Ap[n]; j++) Ax[j] *= 1 + 0.1 * urand(&t);
        }
        int bad = -1;
        assert_int_equal(linsolve_factor(l1, Ax, &bad), LS_OK);
        assert_int_equal(linsolve_factor(l2, Ax, &bad), LS_OK);
        /* the first solve of a factorization is KLU's own, the next ones split */
        for (int rep = 0; rep < 2; rep++) {
            memcpy(x1, b, (size_t)n * sizeof *b);
            memcpy(x2, b, (size_t)n * sizeof *b);
            assert_int_equal(linsolve_solve(l1, x1), LS_OK);
            assert_int_equal(linsolve_solve(l2, x2), LS_OK);
        }
        double r = residual(n, Ap, Ai, Ax, x2, b);
        print_message("mesh %dx%d round %d: residual %.3g of |b|\n", k, k, round, r);
        tu_le(r, 1e-12, "residual of the split solve");
        assert_memory_equal(x1, x2, (size_t)n * sizeof *x1);
    }
    assert_int_equal(linsolve_stats(l1)->split_solves, 2);
    assert_int_equal(linsolve_stats(l2)->split_solves, 2);
    linsolve_free(l1);
    linsolve_free(l2);
    worker_free(w);
    free(Ap), free(Ai), free(Ax), free(b), free(x1), free(x2);
}

/* dense Gaussian elimination with partial pivoting: A (n x n, row major) x = b */
static void dense_solve(int n, double *A, double *b)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(A[i * n + c]) > fabs(A[p * n + c])) p = i;
        for (int j = 0; j < n; j++) {
            double t = A[c * n + j];
            A[c * n + j] = A[p * n + j];
            A[p * n + j] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int i = c + 1; i < n; i++) {
            double f = A[i * n + c] / A[c * n + c];
            for (int j = c; j < n; j++) A[i * n + j] -= f * A[c * n + j];
            b[i] -= f * b[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int j = c + 1; j < n; j++) b[c] -= A[c * n + j] * b[j];
        b[c] /= A[c * n + c];
    }
}

/* A ring of 40 nodes with 20 two-terminal devices, each with a state
 * coupled to its two nodes (row and column), plus one pair of states
 * coupled to each other (only one of them can be condensed) and a node
 * with a charge: the engine's fields the condensation reads, filled by
 * hand. The condensed update equals the dense solve of the full system to
 * 1e-10 of its size (rounding of two different eliminations of a
 * system with entries from 1e-2 to 1e6). */
static void test_condense_exact(void **state)
{
    (void)state;
    enum { NN = 40, ND = 20, N = NN + ND + 2 };
    Engine e;
    memset(&e, 0, sizeof e);
    e.n = N;
    Unknown *uk = xcalloc(N, sizeof *uk);
    for (int i = 0; i < N; i++) uk[i].kind = i < NN ? UK_VOLTAGE : UK_STATE;
    e.uk.v = uk;
    e.uk.n = N;
    /* dense pattern first, then compressed */
    char *pat = xcalloc((size_t)N * N, 1);   /* pat[col * N + row] */
#define SET(r, c) pat[(c) * N + (r)] = 1
    for (int i = 0; i < N; i++) SET(i, i);
    for (int i = 0; i < NN; i++) {
        SET(i, (i + 1) % NN);
        SET((i + 1) % NN, i);
    }
    for (int d = 0; d < ND; d++) {
        int s = NN + d, p = (3 * d) % NN, q = (3 * d + 7) % NN;
        SET(p, q), SET(q, p), SET(p, s), SET(q, s), SET(s, p), SET(s, q);
    }
    SET(N - 2, N - 1), SET(N - 1, N - 2), SET(N - 2, 5), SET(5, N - 1), SET(N - 1, 6);
    e.Ap = xcalloc(N + 1, sizeof *e.Ap);
    e.Ai = xmalloc((size_t)N * N * sizeof *e.Ai);
    int nnz = 0;
    for (int c = 0; c < N; c++) {
        for (int r = 0; r < N; r++)
            if (pat[c * N + r]) {
                if (r == c) {
                    /* diag_h needs the handle */
                }
                e.Ai[nnz++] = r;
            }
        e.Ap[c + 1] = nnz;
    }
    e.nnz = nnz;
    e.diag_h = xmalloc(N * sizeof *e.diag_h);
    for (int c = 0; c < N; c++)
        for (int k = e.Ap[c]; k < e.Ap[c + 1]; k++)
            if (e.Ai[k] == c) e.diag_h[c] = k;
    /* charges: every state's diagonal, and node 3's */
    e.cq_h = xmalloc(N * sizeof *e.cq_h);
    for (int i = NN; i < N; i++) e.cq_h[e.ncq++] = e.diag_h[i];
    e.cq_h[e.ncq++] = e.diag_h[3];
    /* values: G, C, then J = G + a0 C */
    double a0 = 1e6;
    double *G = xcalloc((size_t)nnz + 1, sizeof *G), *C = xcalloc((size_t)nnz + 1, sizeof *C),
           *J = xcalloc((size_t)nnz + 1, sizeof *J);
    uint64_t sd = 5;
    for (int c = 0; c < N; c++)
        for (int k = e.Ap[c]; k < e.Ap[c + 1]; k++) {
            int r = e.Ai[k];
            G[k] = r == c ? (r < NN ? 5 + urand(&sd) : 100 * urand(&sd)) : (r < NN && c < NN ? -1 : 1) * (0.5 + 0.4 * urand(&sd));
            if (r >= NN && c < NN) G[k] *= 1e3;   /* rates per volt */
            if (r < NN && c >= NN) G[k] *= 1e-2;  /* amperes per unit state */
        }
    for (int k = 0; k < e.ncq; k++) C[e.cq_h[k]] = 1 + 0.5 * urand(&sd);
    for (int k = 0; k <= nnz; k++) J[k] = G[k] + a0 * C[k];

    Condense *cd = condense_new(&e);
    assert_non_null(cd);
    /* 20 device states and one of the pair */
    assert_int_equal(condense_size(cd), N - ND - 1);
    assert_false(condense_a0_free(cd));   /* node 3 has a charge */
    int bad = -1;
    assert_int_equal(condense_pivots(cd, J, G, C, a0, NULL, &bad), 0);
    assert_int_equal(condense_factor(cd, J, &bad), LS_OK);
    double r[N + 1], dy[N + 1];
    for (int i = 0; i < N; i++) r[i] = urand(&sd) * (i < NN ? 1e-3 : 1);
    assert_int_equal(condense_solve(cd, J, r, dy), LS_OK);

    double *A = xcalloc((size_t)N * N, sizeof *A), ref[N];
    for (int c = 0; c < N; c++)
        for (int k = e.Ap[c]; k < e.Ap[c + 1]; k++) A[e.Ai[k] * N + c] = J[k];
    for (int i = 0; i < N; i++) ref[i] = -r[i];
    dense_solve(N, A, ref);
    double worst = 0, size = 0;
    for (int i = 0; i < N; i++) {
        worst = fmax(worst, fabs(dy[i] - ref[i]));
        size = fmax(size, fabs(ref[i]));
    }
    print_message("condensed update vs dense solve: %.3g of its size\n", worst / size);
    tu_le(worst / size, 1e-10, "condensed update against the dense solve");

    /* a state whose a0 C and G cancel is refused (the full system is then solved) */
    int s0 = NN;
    J[e.diag_h[s0]] = 1e-9;
    assert_int_equal(condense_pivots(cd, J, G, C, a0, NULL, &bad), -1);
    assert_int_equal(bad, s0);

    condense_free(cd);
    free(A), free(G), free(C), free(J), free(pat), free(uk);
    free(e.Ap), free(e.Ai), free(e.diag_h), free(e.cq_h);
#undef SET
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_mesh),
        cmocka_unit_test(test_condense_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
