/* .crossbar (docs/crossbar.md): the array element gives exactly the
 * circuit of the hand-written netlist (the same lines in a subcircuit
 * instance of the same name: every saved value identical, bit for bit);
 * a static read of a 64x64 array against an independent solve of its
 * conductance network written here (conjugate gradients); initial states
 * from a matrix file and from a seeded spread; bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/xmem.h"

/* a growing string */
typedef struct Txt {
    char *s;
    size_t n, cap;
} Txt;

static void add(Txt *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(Txt *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (t->n + (size_t)n + 1 > t->cap) {
        t->cap = (t->n + (size_t)n + 1) * 2;
        t->s = xrealloc(t->s, t->cap);
    }
    memcpy(t->s + t->n, buf, (size_t)n + 1);
    t->n += (size_t)n;
}

typedef struct Arr {
    int rows, cols, cell;    /* 0 0T1R, 1 1S1R, 2 1T1R */
    double rrow, rcol, crow, ccol, rdrv, rsense;
    const char *xo;          /* the instance parameter text, "" for none */
} Arr;

/* The array written by hand as docs/crossbar.md describes it: the same
 * element lines, in the same order, in a subcircuit instantiated as "xb" */
static void handwritten(Txt *t, const Arr *a)
{
    int R = a->rows, C = a->cols;
    char p[64], q[64];
#define RN(i, j) (a->rrow > 0 ? (snprintf(p, sizeof p, "r%d_%d", i, j), p) : (snprintf(p, sizeof p, "rl%d", i), p))
#define CN(i, j) (a->rcol > 0 ? (snprintf(q, sizeof q, "c%d_%d", i, j), q) : (snprintf(q, sizeof q, "ct%d", j), q))
    add(t, ".subckt xbar\n");
    if (a->rrow > 0)
        for (int i = 0; i < R; i++)
            for (int j = 0; j <= C; j++) {
                char l[64], r[64];
                if (j == 0) snprintf(l, sizeof l, "rl%d", i);
                else snprintf(l, sizeof l, "%s", RN(i, j - 1));
                if (j == C) snprintf(r, sizeof r, "rr%d", i);
                else snprintf(r, sizeof r, "%s", RN(i, j));
                add(t, "rrow%d_%d %s %s %.17g\n", i, j, l, r, a->rrow + (j == 0 ? a->rdrv : 0));
            }
    if (a->rcol > 0)
        for (int j = 0; j < C; j++)
            for (int i = 0; i <= R; i++) {
                char u[64], d[64];
                if (i == 0) snprintf(u, sizeof u, "ct%d", j);
                else snprintf(u, sizeof u, "%s", CN(i - 1, j));
                if (i == R) snprintf(d, sizeof d, "cb%d", j);
                else snprintf(d, sizeof d, "%s", CN(i, j));
                add(t, "rcol%d_%d %s %s %.17g\n", i, j, u, d, a->rcol + (i == R ? a->rsense : 0));
            }
    if (a->crow > 0)
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++) add(t, "crow%d_%d %s 0 %.17g\n", i, j, RN(i, j), a->crow);
    if (a->ccol > 0)
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) add(t, "ccol%d_%d %s 0 %.17g\n", i, j, CN(i, j), a->ccol);
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            RN(i, j);
            CN(i, j);
            if (a->cell == 0) {
                add(t, "ymemristor m%d_%d %s %s mm%s\n", i, j, p, q, a->xo);
            } else if (a->cell == 1) {
                add(t, "Ds%d_%d %s s%d_%d dsel\n", i, j, p, i, j);
                add(t, "ymemristor m%d_%d s%d_%d %s mm%s\n", i, j, i, j, q, a->xo);
            } else {
                add(t, "ymemristor m%d_%d %s d%d_%d mm%s\n", i, j, p, i, j, a->xo);
                add(t, "mt%d_%d d%d_%d wl%d %s %s nch w=2e-06 l=1e-06\n", i, j, i, j, i, q, q);
            }
        }
    add(t, ".ends\nXb xbar\n");   /* the instance named xb: prefix "xb." */
#undef RN
#undef CN
}

static const char *const MODELS = ".options seed=7\n.model mm memristor level=1 ron=100 roff=16k d=10n uv=1e-14 "
                                  "window=1 p=2\n.model dsel d is=1e-12 n=2\n.model nch nmos vto=0.7 kp=1e-4\n";

/* drivers at the rows' left ends and the columns' bottom ends, word lines */
static void drive(Txt *t, const Arr *a)
{
    for (int i = 0; i < a->rows; i++)
        add(t, "Vr%d xb.rl%d 0 %s\n", i, i, i % 3 == 0 ? "PULSE(0 1.5 1u 0.2u 0.2u 3u 10u)" : "0.2");
    for (int j = 0; j < a->cols; j++) add(t, "Vc%d xb.%s%d 0 0\n", j, a->rcol > 0 ? "cb" : "ct", j);
    if (a->cell == 2)
        for (int i = 0; i < a->rows; i++) add(t, "Vw%d xb.wl%d 0 %g\n", i, i, i % 2 ? 0.0 : 3.0);
}

static void same_runs(const char *what, const Txt *elem, const Txt *hand)
{
    TuRun *r1 = tu_run(elem->s), *r2 = tu_run(hand->s);
    const MemPlot *p = tu_plot_named(r1, "Transient"), *q = tu_plot_named(r2, "Transient");
    assert_int_equal(p->nvars, q->nvars);
    assert_int_equal(p->npoints, q->npoints);
    for (int k = 0; k < p->nvars; k++)
        if (strcmp(p->names[k], q->names[k])) fail_msg("%s: column %d is %s, hand-written %s", what, k, p->names[k], q->names[k]);
    if (memcmp(p->data, q->data, (size_t)p->npoints * (size_t)p->nvars * sizeof *p->data))
        fail_msg("%s: the values differ from the hand-written netlist's", what);
    print_message("%s: %d columns x %d points identical\n", what, p->nvars, p->npoints);
    tu_free(r1);
    tu_free(r2);
}

static void test_same_as_handwritten(void **state)
{
    (void)state;
    static const char *const cells[] = {"0t1r", "1s1r", "1t1r"};
    Arr arrs[] = {
        {4, 5, 0, 2, 3, 1e-15, 2e-15, 50, 100, " xo={limit(agauss(0.5, 0.2, 1), 0, 1)}"},
        {3, 4, 1, 2, 2, 0, 0, 0, 0, " xo=0.3"},
        {3, 3, 2, 1, 1, 0, 0, 20, 0, ""},
        {2, 3, 0, 0, 0, 0, 0, 0, 0, " xo=0.7"},   /* ideal wires: one node per line */
    };
    for (size_t k = 0; k < sizeof arrs / sizeof arrs[0]; k++) {
        const Arr *a = &arrs[k];
        Txt e = {0}, h = {0};
        add(&e, "crossbar\n%s", MODELS);
        add(&e, ".crossbar xb rows=%d cols=%d model=mm cell=%s save=all", a->rows, a->cols, cells[a->cell]);
        if (a->cell == 1) add(&e, " selector=dsel");
        if (a->cell == 2) add(&e, " transistor=nch w=2u l=1u");
        if (a->rrow > 0) add(&e, " rrow=%g", a->rrow);
        if (a->rcol > 0) add(&e, " rcol=%g", a->rcol);
        if (a->crow > 0) add(&e, " crow=%g", a->crow);
        if (a->ccol > 0) add(&e, " ccol=%g", a->ccol);
        if (a->rdrv > 0) add(&e, " rdrv=%g", a->rdrv);
        if (a->rsense > 0) add(&e, " rsense=%g", a->rsense);
        if (!strcmp(a->xo, " xo=0.3")) add(&e, " xo=0.3");
        else if (!strcmp(a->xo, " xo=0.7")) add(&e, " xo=0.7");
        else if (a->xo[0]) add(&e, " xo=0.5 xo_sigma=0.2");
        add(&e, "\n");
        drive(&e, a);
        add(&e, ".tran 0.05u 5u\n.end\n");
        add(&h, "crossbar\n%s", MODELS);
        handwritten(&h, a);
        drive(&h, a);
        add(&h, ".tran 0.05u 5u\n.end\n");
        same_runs(cells[a->cell], &e, &h);
        free(e.s);
        free(h.s);
    }
}

/* ---- a static read against an independent solve ---- */

/* The conductance network of the array with every row's left end at
 * vrow[i] and every column's bottom end at 0 V, solved by conjugate
 * gradients on the free junctions (SPD: a connected resistor network
 * with fixed potentials). Unknowns: row junction (i, j) at i*C + j, column
 * junction at R*C + i*C + j, the rows' right ends and the columns' top
 * ends after them. */
typedef struct Net {
    int R, C, n;
    double gw, gcell[64 * 64];
    const double *vrow;
} Net;

static int rj(const Net *a, int i, int j) { return i * a->C + j; }
static int cj(const Net *a, int i, int j) { return a->R * a->C + i * a->C + j; }
static int rr(const Net *a, int i) { return 2 * a->R * a->C + i; }
static int ct(const Net *a, int j) { return 2 * a->R * a->C + a->R + j; }

/* y = A x (the free nodes' conductance matrix); b from the fixed ends */
static void apply(const Net *a, const double *x, double *y, double *b)
{
    int R = a->R, C = a->C;
    memset(y, 0, (size_t)a->n * sizeof *y);
    if (b) memset(b, 0, (size_t)a->n * sizeof *b);
#define G(u, v, g)                                                                                     \
    do {                                                                                               \
        y[u] += (g) * (x[u] - x[v]);                                                                   \
        y[v] += (g) * (x[v] - x[u]);                                                                   \
    } while (0)
#define GFIX(u, g, vfix)                                                                               \
    do {                                                                                               \
        y[u] += (g) * x[u];                                                                            \
        if (b) b[u] += (g) * (vfix);                                                                   \
    } while (0)
    for (int i = 0; i < R; i++) {
        GFIX(rj(a, i, 0), a->gw, a->vrow[i]);
        for (int j = 0; j + 1 < C; j++) G(rj(a, i, j), rj(a, i, j + 1), a->gw);
        G(rj(a, i, C - 1), rr(a, i), a->gw);
    }
    for (int j = 0; j < C; j++) {
        G(ct(a, j), cj(a, 0, j), a->gw);
        for (int i = 0; i + 1 < R; i++) G(cj(a, i, j), cj(a, i + 1, j), a->gw);
        GFIX(cj(a, R - 1, j), a->gw, 0.0);
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) G(rj(a, i, j), cj(a, i, j), a->gcell[i * C + j]);
#undef G
#undef GFIX
}

static void cg(const Net *a, double *x)
{
    int n = a->n;
    double *r = xcalloc((size_t)n, sizeof *r), *p = xcalloc((size_t)n, sizeof *p), *q = xcalloc((size_t)n, sizeof *q);
    double *b = xcalloc((size_t)n, sizeof *b);
    memset(x, 0, (size_t)n * sizeof *x);
    apply(a, x, q, b);
    double rs = 0, bs = 0;
    for (int k = 0; k < n; k++) r[k] = b[k] - q[k], p[k] = r[k], rs += r[k] * r[k], bs += b[k] * b[k];
    for (int it = 0; it < 20 * n && rs > 1e-30 * bs; it++) {
        apply(a, p, q, NULL);
        double pq = 0;
        for (int k = 0; k < n; k++) pq += p[k] * q[k];
        double al = rs / pq, rs2 = 0;
        for (int k = 0; k < n; k++) x[k] += al * p[k], r[k] -= al * q[k], rs2 += r[k] * r[k];
        for (int k = 0; k < n; k++) p[k] = r[k] + rs2 / rs * p[k];
        rs = rs2;
    }
    assert_true(rs <= 1e-28 * bs);
    free(r), free(p), free(q), free(b);
}

/* 64x64, 2 ohm segments, states from a file: every column's sense current
 * and three junction voltages against the independent solve. The cells are
 * linear at the held states (level 1: i = v/R(x)), so both are exact up to
 * round-off: 1e-9 relative. */
static void test_static_read_64(void **state)
{
    enum { N = 64 };
    static Net net;
    static double vrow[N];
    net.R = net.C = N;
    net.n = 2 * N * N + 2 * N;
    net.gw = 1 / 2.0;
    net.vrow = vrow;
    char *xof = tu_tmp_path(state, "xo64.csv");
    FILE *f = fopen(xof, "w");
    assert_non_null(f);
    uint64_t s = 12345;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double x = (double)(s >> 11) / 9007199254740992.0;
            fprintf(f, "%s%.17g", j ? ", " : "", x);
            net.gcell[i * N + j] = 1 / (100 * x + 16e3 * (1 - x));
        }
        fprintf(f, "\n");
        vrow[i] = i == 17 ? 0.3 : i % 2 ? 0.0 : 0.15;   /* a read of row 17 with the others biased */
    }
    fclose(f);
    Txt t = {0};
    add(&t, "read 64x64\n%s.crossbar xb rows=%d cols=%d model=mm rrow=2 rcol=2 xo_file=%s save=all\n", MODELS, N, N, xof);
    for (int i = 0; i < N; i++) add(&t, "Vr%d xb.rl%d 0 %.17g\n", i, i, vrow[i]);
    for (int j = 0; j < N; j++) add(&t, "Vc%d xb.cb%d 0 0\n", j, j);
    add(&t, ".op\n.end\n");
    TuRun *r = tu_run(t.s);
    double *x = xcalloc((size_t)net.n, sizeof *x);
    cg(&net, x);
    double worst = 0;
    for (int j = 0; j < N; j++) {
        char name[32];
        snprintf(name, sizeof name, "i(vc%d)", j);
        /* the current into the column's bottom end: (v(c63_j) - 0) g_w, which
         * enters Vc_j at its n+ */
        double want = x[cj(&net, N - 1, j)] * net.gw, got = tu_op(r, name);
        worst = fmax(worst, fabs(got - want) / fabs(want));
        tu_close(got, want, 1e-9, 0, name);
    }
    tu_close(tu_op(r, "v(xb.r17_40)"), x[rj(&net, 17, 40)], 1e-9, 0, "row junction");
    tu_close(tu_op(r, "v(xb.c63_5)"), x[cj(&net, 63, 5)], 1e-9, 0, "column junction");
    tu_close(tu_op(r, "v(xb.rr17)"), x[rr(&net, 17)], 1e-9, 0, "row's right end");
    print_message("64x64 static read: sense currents within %.2g of the independent solve\n", worst);
    tu_free(r);
    free(x);
    free(t.s);
    free(xof);
}

/* ---- studies (examples/crossbar/) ---- */

/* Study 1: reading cell (N/2, N/2), in its low-resistance state, of a
 * passive NxN array whose other cells are all high-resistance, with 0.2 V
 * on the selected row and the selected column sensed at 0 V; the other
 * lines floating, at V/2, or at V/3 (rows) and 2V/3 (columns). Returns
 * the sense current's relative error against the cell's own V/R. */
static double read_error(void **state, int n, double ratio, int scheme)
{
    char *xof = tu_tmp_path(state, "read.csv");
    FILE *f = fopen(xof, "w");
    assert_non_null(f);
    int si = n / 2, sj = n / 2;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) fprintf(f, "%d%s", i == si && j == sj, j + 1 < n ? ", " : "\n");
    fclose(f);
    Txt t = {0};
    double v = 0.2, ron = 1e3;
    add(&t, "read\n.model rm memristor level=1 ron=%g roff=%g\n.crossbar xb rows=%d cols=%d model=rm rrow=1 rcol=1 "
            "xo_file=%s\nVsel xb.rl%d 0 %g\nVsense xb.cb%d 0 0\n", ron, ron * ratio, n, n, xof, si, v, sj);
    for (int i = 0; i < n && scheme; i++)
        if (i != si) add(&t, "Vr%d xb.rl%d 0 %.17g\n", i, i, scheme == 1 ? v / 2 : v / 3);
    for (int j = 0; j < n && scheme; j++)
        if (j != sj) add(&t, "Vc%d xb.cb%d 0 %.17g\n", j, j, scheme == 1 ? v / 2 : 2 * v / 3);
    add(&t, ".op\n.end\n");
    TuRun *r = tu_run(t.s);
    double err = (tu_op(r, "i(vsense)") - v / ron) / (v / ron);
    tu_free(r);
    free(t.s);
    free(xof);
    return err;
}

/* The sneak-path error grows with the array, falls with the on/off ratio
 * (about in proportion), and the V/3 scheme lowers it; V/2 does not help a
 * read (floating lines settle near V/2 themselves): within 5 % of floating */
static void test_study_sneak_read(void **state)
{
    static const int sizes[] = {8, 16, 32};
    double e[3][2][3];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++)
            for (int sc = 0; sc < 3; sc++) e[a][b][sc] = read_error(state, sizes[a], b ? 100 : 10, sc);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++) {
            print_message("N=%d on/off=%d: floating %+.3g, V/2 %+.3g, V/3 %+.3g\n", sizes[a], b ? 100 : 10,
                          e[a][b][0], e[a][b][1], e[a][b][2]);
            for (int sc = 0; sc < 3; sc++) {
                tu_ge(e[a][b][sc], 0, "sneak currents add to the cell's");
                if (a > 0) tu_ge(e[a][b][sc], 1.5 * e[a - 1][b][sc], "the error grows with the array");
                if (b > 0) tu_le(e[a][b][sc], 0.2 * e[a][b - 1][sc], "a larger on/off ratio lowers it");
            }
            tu_le(e[a][b][2], 0.8 * e[a][b][0], "V/3 below floating");
            tu_le(e[a][b][2], 0.8 * e[a][b][1], "V/3 below V/2");
            tu_close(e[a][b][1], e[a][b][0], 0.1, 0, "V/2 close to floating");
        }
}

/* Study 2: a vector-matrix multiply: every row driven (inputs in [0, 0.2]
 * V), every column held at 0 V by its sense source; the relative RMS error
 * of the column currents against the ideal I_j = sum_i G_ij V_i. */
static double vmm_error(void **state, int n, double rw)
{
    char *xof = tu_tmp_path(state, "vmm.csv");
    FILE *f = fopen(xof, "w");
    assert_non_null(f);
    double *g = xcalloc((size_t)n * (size_t)n, sizeof *g), *vin = xcalloc((size_t)n, sizeof *vin);
    uint64_t s = 99;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double x = (double)(s >> 11) / 9007199254740992.0;
            g[i * n + j] = 1 / (1e3 * x + 1e5 * (1 - x));
            fprintf(f, "%.17g%s", x, j + 1 < n ? ", " : "\n");
        }
    fclose(f);
    Txt t = {0};
    add(&t, "vmm\n.model vm memristor level=1 ron=1k roff=100k\n.crossbar xb rows=%d cols=%d model=vm rrow=%g rcol=%g "
            "xo_file=%s\n", n, n, rw, rw, xof);
    for (int i = 0; i < n; i++) {
        vin[i] = 0.2 * ((i * 37 % n) + 0.5) / n;
        add(&t, "Vr%d xb.rl%d 0 %.17g\n", i, i, vin[i]);
    }
    /* with ideal wires a column is the one node ct<j> */
    for (int j = 0; j < n; j++) add(&t, "Vc%d xb.%s%d 0 0\n", j, rw > 0 ? "cb" : "ct", j);
    add(&t, ".op\n.end\n");
    TuRun *r = tu_run(t.s);
    double se = 0, si = 0;
    for (int j = 0; j < n; j++) {
        double ideal = 0;
        for (int i = 0; i < n; i++) ideal += g[i * n + j] * vin[i];
        char name[32];
        snprintf(name, sizeof name, "i(vc%d)", j);
        double got = tu_op(r, name);
        se += (got - ideal) * (got - ideal);
        si += ideal * ideal;
    }
    tu_free(r);
    free(t.s), free(xof), free(g), free(vin);
    return sqrt(se / si);
}

/* IR drop: the error grows with the array and with the wire resistance;
 * with ideal wires it is round-off */
static void test_study_ir_drop(void **state)
{
    static const int sizes[] = {8, 16, 32};
    static const double rws[] = {0.5, 2, 8};
    double e[3][3];
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            e[a][b] = vmm_error(state, sizes[a], rws[b]);
            print_message("VMM N=%d r_wire=%g ohm: relative RMS error %.3g\n", sizes[a], rws[b], e[a][b]);
            if (a > 0) tu_ge(e[a][b], 2 * e[a - 1][b], "the error grows with the array");
            if (b > 0) tu_ge(e[a][b], 2 * e[a][b - 1], "the error grows with the wire resistance");
        }
    tu_le(vmm_error(state, 16, 0), 1e-9, "ideal wires: I = G^T V");
}

#define YK_MODEL ".model yk memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 " \
                 "xn=0.5 alphap=1 alphan=5 eta=1\n"

/* Study 3: programming cell (N/2, N/2) of a Yakopcic array (thresholds
 * +0.16 / -0.15 V) with a 1 ms, 0.4 V pulse, the other lines at V/2, or at
 * V/3 (rows) and 2V/3 (columns). States after the pulse: the selected
 * cell, a half-selected cell on its row and on its column, an unselected
 * cell. */
static void write_states(int n, int v3, double x[4])
{
    int s = n / 2;
    Txt t = {0};
    add(&t, "write\n" YK_MODEL ".crossbar xb rows=%d cols=%d model=yk rrow=1 rcol=1 xo=0.1 save=all\n", n, n);
    add(&t, "Vsel xb.rl%d 0 PULSE(0 0.4 10u 1u 1u 1m 10m)\nVsc xb.cb%d 0 0\n", s, s);
    for (int i = 0; i < n; i++)
        if (i != s) add(&t, "Vr%d xb.rl%d 0 PULSE(0 %.17g 10u 1u 1u 1m 10m)\n", i, i, v3 ? 0.4 / 3 : 0.2);
    for (int j = 0; j < n; j++)
        if (j != s) add(&t, "Vc%d xb.cb%d 0 PULSE(0 %.17g 10u 1u 1u 1m 10m)\n", j, j, v3 ? 0.8 / 3 : 0.2);
    add(&t, ".tran 10u 1.1m\n.end\n");
    TuRun *r = tu_run(t.s);
    const MemPlot *p = tu_plot_named(r, "Transient");
    char name[4][64];
    snprintf(name[0], sizeof name[0], "x(ymemristor!xb.m%d_%d)", s, s);
    snprintf(name[1], sizeof name[1], "x(ymemristor!xb.m%d_0)", s);
    snprintf(name[2], sizeof name[2], "x(ymemristor!xb.m0_%d)", s);
    snprintf(name[3], sizeof name[3], "x(ymemristor!xb.m0_0)");
    for (int k = 0; k < 4; k++) x[k] = tu_val(p, p->npoints - 1, tu_col(p, name[k]));
    tu_free(r);
    free(t.s);
}

/* the selected cell switches in both schemes; at V/2 the half-selected
 * cells (0.2 V, above the threshold) move too (by 4 ... 30 % of the
 * selected cell's change: less far along the wires, where the IR drop
 * takes part of the 0.2 V), at V/3 (0.133 V, below it) by less than 0.1 %;
 * unselected cells never */
static void test_study_write_disturb(void **state)
{
    (void)state;
    for (int n = 8; n <= 16; n *= 2) {
        double a[4], b[4];
        write_states(n, 0, a);
        write_states(n, 1, b);
        print_message("N=%d: selected %.3g / %.3g, half-selected row %.3g / %.3g, column %.3g / %.3g (V/2 / V/3, "
                      "from 0.1)\n", n, a[0], b[0], a[1], b[1], a[2], b[2]);
        for (int k = 0; k < 2; k++) {
            const double *x = k ? b : a;
            tu_ge(x[0] - 0.1, 0.5, "the selected cell switches");
            tu_close(x[3], 0.1, 0, 1e-9, "an unselected cell keeps its state");
        }
        tu_ge(a[1] - 0.1, 0.02 * (a[0] - 0.1), "V/2 disturbs the half-selected cell on the row");
        tu_ge(a[2] - 0.1, 0.02 * (a[0] - 0.1), "V/2 disturbs the half-selected cell on the column");
        tu_le(fabs(b[1] - 0.1), 1e-3 * (b[0] - 0.1), "V/3: the row's half-selected cell within 0.1 %");
        tu_le(fabs(b[2] - 0.1), 1e-3 * (b[0] - 0.1), "V/3: the column's half-selected cell within 0.1 %");
    }
}

/* Study 4a: the read of study 1 with every other cell in its LOW state
 * (the worst sneak paths), 1 V on the selected row, the other lines
 * floating: the sense current's error against the selected cell's own
 * current, for 0T1R, 1S1R (diode selectors) and 1T1R (the selected word
 * line at 3 V, the others at 0) */
static double cell_read_error(int n, int cell)
{
    int s = n / 2;
    static const char *const ext[] = {"", " cell=1s1r selector=dsel", " cell=1t1r transistor=nch w=20u l=1u"};
    Txt t = {0};
    add(&t, "sneak\n.model rm memristor level=1 ron=1k roff=100k\n.model dsel d is=1e-12 n=1\n"
            ".model nch nmos vto=0.7 kp=1e-4\n.crossbar xb rows=%d cols=%d model=rm rrow=1 rcol=1 xo=1 save=all%s\n"
            "Vsel xb.rl%d 0 1\nVsense xb.cb%d 0 0\n", n, n, ext[cell], s, s);
    for (int i = 0; cell == 2 && i < n; i++) add(&t, "Vw%d xb.wl%d 0 %d\n", i, i, i == s ? 3 : 0);
    add(&t, ".op\n.end\n");
    TuRun *r = tu_run(t.s);
    char a[64], b[64];
    snprintf(a, sizeof a, "v(xb.%c%d_%d)", cell == 1 ? 's' : 'r', s, s);
    snprintf(b, sizeof b, "v(xb.%c%d_%d)", cell == 2 ? 'd' : 'c', s, s);
    double icell = (tu_op(r, a) - tu_op(r, b)) / 1e3;   /* x = 1: 1 kOhm */
    double err = (tu_op(r, "i(vsense)") - icell) / icell;
    tu_free(r);
    free(t.s);
    return err;
}

static void test_study_selectors(void **state)
{
    (void)state;
    for (int n = 8; n <= 32; n *= 2) {
        double e0 = cell_read_error(n, 0), e1 = cell_read_error(n, 1), e2 = cell_read_error(n, 2);
        print_message("N=%d, other cells low: sneak error 0T1R %.3g, 1S1R %.3g, 1T1R %.3g\n", n, e0, e1, e2);
        tu_ge(e0, 1, "0T1R: the sneak current exceeds the cell's");
        tu_le(fabs(e1), 1e-4 * e0, "diode selectors suppress it by 1e4 at least");
        tu_le(fabs(e2), 1e-4 * e0, "access transistors suppress it by 1e4 at least");
    }
}

/* Study 4b: 1T1R SET through the access transistor: a 2 V, 2 ms pulse on
 * the row of a Yakopcic cell from x = 0.1; the transistor's saturation
 * current limits the cell current, so the state after SET rises with the
 * gate voltage and the current stays below the saturation current */
static void test_study_1t1r_compliance(void **state)
{
    (void)state;
    double prev = 0;
    for (double vg = 1.4; vg < 2.05; vg += 0.2) {
        Txt t = {0};
        add(&t, "set\n" YK_MODEL ".model nch nmos vto=0.7 kp=1e-4\n"
                ".crossbar xb rows=2 cols=2 model=yk cell=1t1r transistor=nch w=10u l=1u rrow=1 rcol=1 xo=0.1 save=all\n"
                "Vset xb.rl0 0 PULSE(0 2 10u 1u 1u 2m 10m)\nVr1 xb.rl1 0 0\nVg xb.wl0 0 %g\nVg1 xb.wl1 0 0\n"
                "Vc0 xb.cb0 0 0\nVc1 xb.cb1 0 0\n.tran 10u 2.2m\n.end\n", vg);
        TuRun *r = tu_run(t.s);
        const MemPlot *p = tu_plot_named(r, "Transient");
        int cx = tu_col(p, "x(ymemristor!xb.m0_0)"), ci = tu_col(p, "i(vc0)");
        double x = tu_val(p, p->npoints - 1, cx), imax = 0;
        for (int k = 0; k < p->npoints; k++) imax = fmax(imax, fabs(tu_val(p, k, ci)));
        /* level-1 saturation current: kp/2 (W/L) (vg - vto)^2, lambda 0 */
        double isat = 0.5 * 1e-4 * 10 * (vg - 0.7) * (vg - 0.7);
        print_message("VG=%.1f V: state after SET %.3g, peak current %.3g mA (saturation %.3g mA)\n", vg, x, imax * 1e3,
                      isat * 1e3);
        tu_le(imax, isat * 1.001, "the transistor limits the current");
        tu_ge(x, prev + 0.05, "the state after SET rises with the gate voltage");
        prev = x;
        tu_free(r);
        free(t.s);
    }
}

/* g_file: conductances mapped to states through the model's own I-V at
 * vread. Read at vread with ideal wires, every column's current is the
 * sum of its target conductances times vread (1e-9: the bisection of the
 * mapping is to round-off); for the linear level-1 model the states are
 * also the closed form x = (1/g - roff)/(ron - roff) */
static void test_weight_mapping(void **state)
{
    enum { R = 4, C = 5 };
    char *gf = tu_tmp_path(state, "g.csv");
    double g[R][C];
    FILE *f = fopen(gf, "w");
    assert_non_null(f);
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            g[i][j] = 1e-4 + 2e-4 * ((i * 7 + j * 3) % 11) / 10.0;   /* 0.1 ... 0.3 mS */
            fprintf(f, "%.17g%s", g[i][j], j + 1 < C ? ", " : "\n");
        }
    fclose(f);
    static const char *const models[] = {".model mm memristor level=1 ron=1k roff=100k",
                                         ".model mm memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15"};
    for (int k = 0; k < 2; k++) {
        double vread = k ? 0.15 : 0.1;
        Txt t = {0};
        add(&t, "weights\n%s\n.crossbar xb rows=%d cols=%d model=mm g_file=%s vread=%g save=all\n", models[k], R, C, gf,
            vread);
        for (int i = 0; i < R; i++) add(&t, "Vr%d xb.rl%d 0 %g\n", i, i, vread);
        for (int j = 0; j < C; j++) add(&t, "Vc%d xb.ct%d 0 0\n", j, j);
        add(&t, ".op\n.end\n");
        TuRun *r = tu_run(t.s);
        for (int j = 0; j < C; j++) {
            double want = 0;
            for (int i = 0; i < R; i++) want += g[i][j] * vread;
            char name[32];
            snprintf(name, sizeof name, "i(vc%d)", j);
            tu_close(tu_op(r, name), want, 1e-9, 0, "column current = vread * sum of the target conductances");
        }
        if (k == 0)
            for (int i = 0; i < R; i++)
                for (int j = 0; j < C; j++) {
                    char name[64];
                    snprintf(name, sizeof name, "x(ymemristor!xb.m%d_%d)", i, j);
                    tu_close(tu_op(r, name), (1 / g[i][j] - 1e5) / (1e3 - 1e5), 1e-12, 1e-15, "level 1: closed form");
                }
        tu_free(r);
        free(t.s);
    }
    f = fopen(gf, "w");
    fprintf(f, "1e-4, 5\n");
    fclose(f);
    char *net = xasprintf("e\n.model mm memristor level=1 ron=1k roff=100k\n.crossbar xb rows=1 cols=2 model=mm "
                          "g_file=%s\nV1 xb.rl0 0 1\n.op\n.end\n", gf);
    tu_expect_error(net, "xb: g_file row 1, column 2: conductance 5 S is outside the model's range [1e-05, 0.001] S");
    free(net);
    free(gf);
}

/* the default output of an array: its edge nodes and the circuit around
 * it, not its junctions, middle nodes and cells; a .save of a cell by
 * name still works; save=all puts everything in */
static void test_default_output(void **state)
{
    (void)state;
    const char *fmt = "out\n.model mm memristor level=1\n.crossbar xb rows=3 cols=4 model=mm rrow=1 rcol=1 xo=0.5%s\n"
                      "V1 xb.rl0 0 1\nVc xb.cb2 0 0\n%s.tran 1u 2u\n.end\n";
    char *n1 = xasprintf(fmt, "", ""), *n2 = xasprintf(fmt, " save=all", "");
    char *n3 = xasprintf(fmt, "", ".save v(xb.rl0) x(ymemristor!xb.m1_2) v(xb.r1_2)\n");
    TuRun *r1 = tu_run(n1), *r2 = tu_run(n2), *r3 = tu_run(n3);
    const MemPlot *p1 = tu_plot_named(r1, "Transient"), *p2 = tu_plot_named(r2, "Transient");
    const MemPlot *p3 = tu_plot_named(r3, "Transient");
    /* time, 3 x (rl, rr) + 4 x (ct, cb) = 14 edge nodes, 2 source currents */
    assert_int_equal(p1->nvars, 1 + 14 + 2);
    for (int k = 0; k < p1->nvars; k++)
        if (strstr(p1->names[k], "ymemristor") || strstr(p1->names[k], "_")) fail_msg("%s in the default output", p1->names[k]);
    /* save=all: 24 junctions, 12 states and 24 cell outputs (i, r) more */
    assert_int_equal(p2->nvars, 1 + 14 + 2 + 24 + 12 + 24);
    assert_int_equal(p3->nvars, 4);
    tu_close(tu_val(p3, p3->npoints - 1, tu_col(p3, "x(ymemristor!xb.m1_2)")), 0.5, 0, 0.1, "a saved cell");
    tu_free(r1), tu_free(r2), tu_free(r3);
    free(n1), free(n2), free(n3);
}

/* An array in a subcircuit: each instance has its own (nodes
 * x1.xb.r0_0, cells ymemristor!x1.xb.m0_0, sizes from the subcircuit's
 * parameters), and one instance's waveforms equal the same array written at
 * the top level (bound 1e-12 of each signal's range, for another order of
 * the unknowns; measured: identical) */
static void test_in_subckt(void **state)
{
    (void)state;
    const char *model = ".model yk memristor level=3 a1=0.17 a2=0.17 b=0.05 vp=0.16 vn=0.15 ap=4000 an=4000 xp=0.3 "
                        "xn=0.5 alphap=1 alphan=5 eta=1\n";
    const char *body = ".crossbar xb rows={n} cols=2 model=yk rrow=2 rcol=2 xo=0.11\nR0 in xb.rl0 1\n"
                       "R1 xb.cb0 out 1\nR2 xb.cb1 out 1\nV1 xb.rl1 0 0\nV2 xb.rl2 0 0\n";
    char *sub = xasprintf("tile\n%s.subckt tile in out params: n=3\n%s.ends\nX1 a o tile\n"
                          "Vin a 0 PULSE(0 0.5 0 10u 10u 100u 1m)\nR3 o 0 10\n.tran 2u 200u\n"
                          ".save v(x1.xb.r2_1) v(o) x(ymemristor!x1.xb.m0_0) x(ymemristor!x1.xb.m0_1)\n.end\n",
                          model, body);
    char *top = xasprintf("one array\n%s.param n=3\n%s\nVin in 0 PULSE(0 0.5 0 10u 10u 100u 1m)\nR3 out 0 10\n"
                          ".tran 2u 200u\n.save v(xb.r2_1) v(out) x(ymemristor!xb.m0_0) x(ymemristor!xb.m0_1)\n.end\n",
                          model, body);
    TuRun *rs = tu_run(sub), *rt = tu_run(top);
    const MemPlot *ps = tu_plot_named(rs, "Transient"), *pt = tu_plot_named(rt, "Transient");
    static const char *const pairs[][2] = {{"v(x1.xb.r2_1)", "v(xb.r2_1)"},
                                           {"x(ymemristor!x1.xb.m0_0)", "x(ymemristor!xb.m0_0)"},
                                           {"x(ymemristor!x1.xb.m0_1)", "x(ymemristor!xb.m0_1)"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        double range, worst = tu_col_diff(pt, tu_col(pt, pairs[k][1]), ps, tu_col(ps, pairs[k][0]), &range);
        print_message("%s: %.3g of the range %.3g\n", pairs[k][0], worst / range, range);
        tu_ge(range, 1e-4, "the signal moves");
        tu_le(worst, 1e-12 * range + 1e-15, pairs[k][0]);
    }
    /* two instances, the second with 5 rows (its parameter) */
    char *two = xasprintf("tiles\n%s.subckt tile in out params: n=3\n%s.ends\nX1 a o tile\nX2 a o2 tile params: n=5\n"
                          "Vin a 0 1\nR3 o 0 10\nR4 o2 0 10\n.op\n.save x(ymemristor!x2.xb.m4_1) v(x1.xb.r2_1)\n.end\n",
                          model, body);
    TuRun *r2 = tu_run(two);
    tu_col(tu_plot_named(r2, "Operating Point"), "x(ymemristor!x2.xb.m4_1)");
    tu_free(r2);
    free(two);
    tu_free(rs);
    tu_free(rt);
    free(sub);
    free(top);
}

static void test_errors(void **state)
{
    char *bad = tu_tmp_path(state, "bad.csv");
    FILE *f = fopen(bad, "w");
    fprintf(f, "0.1, 0.2\n0.3, 0.4\n");
    fclose(f);
    char *net;
    struct {
        const char *line, *want;
    } cases[] = {
        {".crossbar xb rows=0 cols=4 model=mm", "xb: rows=0: a whole number 1 ... 65536 is needed"},
        {".crossbar xb rows=2.5 cols=4 model=mm", "xb: rows=2.5: a whole number"},
        {".crossbar xb rows=4096 cols=4096 model=mm", "the flattened circuit would have 5.034e+07 element"},
        {".options maxelements=1e9\n.crossbar xb rows=4096 cols=4096 model=mm", "xb: 4096x4096 = 1.67772e+07 cells, more than"},
        {".crossbar xb rows=2 cols=2", "xb: model= (the memristor model of the cells) is required"},
        {".crossbar xb rows=2 cols=2 model=nosuch", "unknown model 'nosuch'"},
        {".crossbar xb rows=2 cols=2 model=dsel", "xb: model 'dsel' is a diode model; the cells need a two-terminal Y"},
        {".crossbar xb rows=2 cols=2 model=mm cell=2t2r", "xb: cell=2t2r: the cell types are 0t1r, 1s1r and 1t1r"},
        {".crossbar xb rows=2 cols=2 model=mm cell=1s1r", "xb: cell=1s1r needs selector=<model>"},
        {".crossbar xb rows=2 cols=2 model=mm cell=1t1r", "xb: cell=1t1r needs transistor=<model>"},
        {".crossbar xb rows=2 cols=2 model=mm rrow=-1", "xb: rrow must not be negative, got -1"},
        {".crossbar xb rows=2 cols=2 model=mm rdrv=5", "xb: rdrv= adds to the rows' first wire segment: give rrow= too"},
        {".crossbar xb rows=2 cols=2 model=mm bogus=1", "xb: unknown parameter 'bogus'"},
        {".crossbar xb rows=2 cols=2 model=mm save=some", "xb: save=some: edges (the default) or all"},
        {".crossbar xb rows=2 cols=2 model=mm xo_sigma=0.1", "xb: xo_sigma= spreads the states around xo=: give xo= too"},
        {".crossbar xb rows=3 cols=2 model=mm xo_file=BAD", "the array is 3 x 2 (one row of the file per row)"},
        {".crossbar xb rows=2 cols=2 model=mm xo_file=/nonexistent/x.csv", "xb: xo_file: /nonexistent/x.csv: No such file"},
        {".crossbar xb rows=2 cols=2 model=mm xo=3", "initial state xo=3 is outside [0, 1]"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *line = cases[k].line, *at = strstr(line, "BAD");
        char *l = at ? xasprintf("%.*s%s", (int)(at - line), line, bad) : xstrdup(line);
        net = xasprintf("e\n%s%s\nV1 xb.rl0 0 1\n.op\n.end\n", MODELS, l);
        tu_expect_error(net, cases[k].want);
        free(net);
        free(l);
    }
    free(bad);
    /* a problem of the cells' model is said once, not once per cell */
    TuRun *r = tu_run_any("e\n.model yk memristor level=3 xp=1.5\n.crossbar xb rows=16 cols=16 model=yk xo=0.1\n"
                          "V1 xb.rl0 0 1\n.op\n.end\n");
    assert_int_equal(r->rc, 1);
    int nerr = 0;
    for (const char *q = r->log; (q = strstr(q, "error:")); q++) nerr++;
    assert_int_equal(nerr, 1);
    if (!strstr(r->log, "model 'yk': xp and xn must be below 1 (xp=1.5, xn=0.5): the same for its other instances"))
        fail_msg("no note for the other cells: %s", r->log);
    tu_free(r);
    /* the message points at the .crossbar line */
    tu_expect_error("e\n.model mm memristor level=1\n.crossbar xb rows=2 cols=2 model=mm rrow=-1\n.op\n.end\n",
                    "test.cir:3:1: error: xb: rrow must not be negative");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_handwritten),
        cmocka_unit_test(test_static_read_64),
        cmocka_unit_test(test_study_sneak_read),
        cmocka_unit_test(test_study_ir_drop),
        cmocka_unit_test(test_study_write_disturb),
        cmocka_unit_test(test_study_selectors),
        cmocka_unit_test(test_study_1t1r_compliance),
        cmocka_unit_test(test_weight_mapping),
        cmocka_unit_test(test_default_output),
        cmocka_unit_test(test_in_subckt),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
