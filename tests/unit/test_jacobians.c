/* Every device family's Jacobian against finite differences (issue 10):
 * for a small circuit around each device, load the engine at random
 * in-range points and compare every column of dF/dy (G) and dQ/dy (C)
 * with central differences of F and Q. Entries outside the sparse pattern
 * must be zero.
 *
 * Tolerance: |fd - exact| <= 1e-5 max(|exact|, 1e-3 colmax) + 1e-12, per
 * column j with colmax the largest |exact| in the column; the central
 * difference step is 1e-6 max(range_j, |y_j|), range_j the interval the
 * unknown is drawn from (truncation error ~h^2 f''' / 6,
 * rounding ~eps |F| / h: both well below 1e-5 relative for these smooth
 * models). The smooth switches (Xyce VSWITCH/ISWITCH) are checked with
 * their band spanning the drawn range. Devices with limiting (diode, MOSFET) are first loaded at the
 * point until F stops changing, so that their linearisation point is the point
 * itself and the perturbed loads (2h apart) are not limited. Switches
 * of ngspice's kind (piecewise constant, no derivative at the
 * threshold) are left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "netlist/elaborate.h"
#include "netlist/source.h"
#include "netlist/syntax.h"
#include "testutil.h"
#include "util/xmem.h"

/* xorshift: reproducible points */
static uint64_t rng_state = 88172645463325252ULL;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* value of a handle, or 0 for (row, col) outside the pattern */
static double entry(const Engine *e, const double *M, int row, int col)
{
    for (int k = e->Ap[col]; k < e->Ap[col + 1]; k++)
        if (e->Ai[k] == row) return M[k];
    return 0;
}

static void load(Engine *e, const double *y, double *F, double *Q)
{
    e->lc.iter = 5;
    e->want_mag = 1;   /* Fmag: the sizes of F's terms, for the rounding bound */
    engine_load(e, y);
    memcpy(F, e->F, (size_t)e->n * sizeof *F);
    memcpy(Q, e->Q, (size_t)e->n * sizeof *Q);
}

/* accept each point before the next (devices with memory changed at
 * accepted points, e.g. the VO2 hysteresis branch, then reverse) */
static int accept_points;

static void check_deck(const char *what, const char *text, int points)
{
    SourceSet src;
    sourceset_init(&src);
    Diag d;
    diag_init(&d, NULL);
    Netlist *nl = netlist_read_string(text, "jac.cir", &src, &d);
    Deck *deck = nl ? elaborate(nl, NULL, &d) : NULL;
    if (!deck) fail_msg("%s: %s", what, d.buf ? d.buf : "");
    Engine *e = engine_new(deck->ckt, &deck->opt, &d);
    if (!e) fail_msg("%s: engine: %s", what, d.buf ? d.buf : "");
    engine_reset_context(e);
    e->lc.tran = 1;
    e->lc.dc = 0;   /* transient loads: state rows carry their rates */
    e->lc.first_solve = 0;
    int n = e->n;
    double *y = xcalloc((size_t)n + 1, sizeof *y), *yp = xcalloc((size_t)n + 1, sizeof *yp);
    double *F0 = xcalloc((size_t)n, sizeof *F0), *Q0 = xcalloc((size_t)n, sizeof *Q0);
    double *Fp = xcalloc((size_t)n, sizeof *Fp), *Qp = xcalloc((size_t)n, sizeof *Qp);
    double *Fm = xcalloc((size_t)n, sizeof *Fm), *Qm = xcalloc((size_t)n, sizeof *Qm);
    double *G = xcalloc((size_t)e->nnz + 1, sizeof *G), *C = xcalloc((size_t)e->nnz + 1, sizeof *C);
    double *scale = xcalloc((size_t)n, sizeof *scale);
    for (int pt = 0; pt < points; pt++) {
        for (int i = 0; i < n; i++) {
            double lo = -1, hi = 1;
            if (e->uk.v[i].kind == UK_CURRENT) lo = -1e-3, hi = 1e-3;
            for (int b = 0; b < e->nbnd; b++)
                if (e->bnd[b].row == i) {
                    double w = e->bnd[b].hi - e->bnd[b].lo;
                    lo = e->bnd[b].lo + 0.1 * w, hi = e->bnd[b].hi - 0.1 * w;
                }
            /* temperatures (a state "temp(...)" or a thermal node "v(th...)"):
             * inside the range where the models are smooth */
            const char *nm = e->uk.v[i].name;
            if (strncmp(nm, "temp(", 5) == 0 || strncmp(nm, "v(th", 4) == 0) lo = 310, hi = 365;
            y[i] = lo + (hi - lo) * urand();
            scale[i] = hi - lo;
        }
        y[n] = 0;
        /* settle limiting memory at y: load until F stops changing */
        for (int w = 0; w < 500; w++) {
            memcpy(Fp, F0, (size_t)n * sizeof *Fp);
            load(e, y, F0, Q0);
            if (w > 0 && memcmp(Fp, F0, (size_t)n * sizeof *Fp) == 0) break;
        }
        memcpy(G, e->G, ((size_t)e->nnz + 1) * sizeof *G);
        for (int k = 0; k < e->nnz; k++) C[k] = 0;
        for (int k = 0; k < e->ncq; k++) C[e->cq_h[k]] = e->C[e->cq_h[k]];
        for (int j = 0; j < n; j++) {
            double h = 1e-6 * fmax(scale[j], fabs(y[j]));
            memcpy(yp, y, ((size_t)n + 1) * sizeof *yp);
            yp[j] = y[j] + h;
            load(e, yp, Fp, Qp);
            yp[j] = y[j] - h;
            load(e, yp, Fm, Qm);
            double gmax = 0, cmax = 0;
            for (int i = 0; i < n; i++) {
                gmax = fmax(gmax, fabs(entry(e, G, i, j)));
                cmax = fmax(cmax, fabs(entry(e, C, i, j)));
            }
            for (int i = 0; i < n; i++) {
                double fd = (Fp[i] - Fm[i]) / (2 * h), ex = entry(e, G, i, j);
                /* the difference quotient's own rounding: F is summed from
                 * terms as large as Fmag, each good to a few ulps */
                double fround = 64 * DBL_EPSILON * fmax(e->Fmag ? e->Fmag[i] : 0, fmax(fabs(Fp[i]), fabs(Fm[i]))) / h;
                if (!(fabs(fd - ex) <= 1e-5 * fmax(fabs(ex), 1e-3 * gmax) + fround + 1e-12))
                    fail_msg("%s, point %d: dF(%s)/d(%s): exact %.10g, finite difference %.10g", what, pt,
                             e->uk.v[i].name, e->uk.v[j].name, ex, fd);
                double qd = (Qp[i] - Qm[i]) / (2 * h), qx = entry(e, C, i, j);
                if (!(fabs(qd - qx) <= 1e-5 * fmax(fabs(qx), 1e-3 * cmax) + 1e-18))
                    fail_msg("%s, point %d: dQ(%s)/d(%s): exact %.10g, finite difference %.10g", what, pt,
                             e->uk.v[i].name, e->uk.v[j].name, qx, qd);
            }
        }
        if (accept_points) engine_accept(e, y);
    }
    free(scale), free(y), free(yp), free(F0), free(Q0), free(Fp), free(Qp), free(Fm), free(Qm), free(G), free(C);
    engine_free(e);
    deck_free(deck);
    netlist_free(nl);
    sourceset_free(&src);
    diag_free(&d);
}

static void test_linear_and_controlled(void **state)
{
    (void)state;
    check_deck("R C L K V I", "lin\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1n\nL1 b c 1m\nL2 c 0 2m\nK1 L1 L2 0.5\nI1 c 0 1m\n"
                              ".tran 1n 1u\n.end\n", 3);
    check_deck("E F G H", "ctl\nV1 a 0 1\nR1 a b 1k\nE1 c 0 a b 2\nR2 c 0 1k\nG1 d 0 a b 1m\nR3 d 0 1k\n"
                          "F1 e 0 V1 2\nR4 e 0 1k\nH1 f 0 V1 100\nR5 f 0 1k\n.tran 1n 1u\n.end\n", 3);
}

static void test_smooth_switches(void **state)
{
    (void)state;
    check_deck("smooth switches", "sw\nV1 a 0 1\nR1 a b 1k\nS1 b c d 0 sm\nR2 c 0 1k\nR3 d 0 1k\nVs e f 0\nR4 a e 1k\n"
                                  "R5 f 0 1k\nW1 b f Vs wm\n.model sm vswitch von=0.9 voff=-0.9 ron=10 roff=1e5\n"
                                  ".model wm iswitch ion=0.9m ioff=-0.9m ron=50 roff=1e4\n.tran 1n 1u\n.end\n", 6);
}

static void test_behavioural(void **state)
{
    (void)state;
    check_deck("B sources", "b\nV1 a 0 1\nR1 a b 1k\nB1 b 0 I=1m*tanh(v(a,b)*3)+1u*v(b)^2\nB2 c 0 V=exp(v(b))*sin(v(a))\n"
                             "R2 c 0 1k\nE1 d 0 value={v(c)*v(b)}\nR3 d 0 1k\n.tran 1n 1u\n.end\n", 5);
    check_deck("noise functions", "n\nV1 a 0 1\nR1 a b 1k\nB1 b 0 I=1m*white(v(a,b)*7.3)\nB2 c 0 V=random(3.1*v(b))\n"
                                   "R2 c 0 1k\n.tran 1n 1u\n.end\n", 5);
}

static void test_diode_mos(void **state)
{
    (void)state;
    check_deck("diode", "d\nV1 a 0 1\nR1 a b 1k\nD1 b 0 dm\n.model dm d is=1e-14 rs=10 cjo=1p tt=1n bv=5\n"
                        ".tran 1n 1u\n.end\n", 8);
    check_deck("mos1", "m\nVd d 0 2\nVg g 0 1\nR1 d dd 1k\nR2 g gg 1k\nM1 dd gg s 0 nch w=2u l=1u\nR3 s 0 100\n"
                       "M2 dd gg s2 s2 pch w=4u l=1u\nR4 s2 0 1k\n"
                       ".model nch nmos vto=0.7 kp=1e-4 lambda=0.02 gamma=0.4 cgso=1e-10 cbd=1f cbs=1f rd=10 rs=10\n"
                       ".model pch pmos vto=-0.7 kp=5e-5 lambda=0.02\n.tran 1n 1u\n.end\n", 8);
}

static void test_memristors(void **state)
{
    (void)state;
    static const char *const models[] = {"hp_tio2_joglekar", "hp_tio2_biolek", "team_pickett", "yakopcic_tcad2013",
                                         "vteam_technion", "sto_stp", "rram_stanford_hfox", "kim2015_taox"};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        char *net = xasprintf("mem\n.include \"%s/models/memristors.lib\"\nV1 a 0 1\nR1 a b 100\n"
                              "YMEMRISTOR m1 b 0 %s\n.tran 1n 1u\n.end\n", MS_SRCDIR, models[k]);
        check_deck(models[k], net, 8);
        free(net);
    }
    check_deck("pem", "pem\nV1 a 0 1\nR1 a b 100\nYMEMRISTOR m1 b 0 pm xo=0.4\n.model pm memristor level=4 fxpdata="
                      MS_SRCDIR "/netlists/data/pem_fxp.csv fxmdata=" MS_SRCDIR "/netlists/data/pem_fxm.csv\n"
                      "+ i1=1e-4 i2=2e-4 v1=0.5 v2=0.4 g0=1e-4 vp=0.2 vn=-0.3 d1=3 d2=4 c1=1e3 c2=2e3\n.tran 1n 1u\n.end\n", 8);
}

/* the volatile families: threshold switch (both gate forms), the Mott
 * levels (the Mott step moved into the drawn temperatures), the diffusive
 * memristor (through 1 Gohm, so that the node row's other currents do not
 * drown its ~1e-8 A/unit derivatives in the finite difference's rounding),
 * VO2 with an
 * internal temperature and with its thermal terminal (the node drawn in
 * [310, 365] K, inside the clamp of R(T), where the model is smooth), at
 * points past a reversal of its hysteresis memory as well */
static void test_volatile(void **state)
{
    (void)state;
    accept_points = 1;
    check_deck("threshold snap", "ts\nV1 a 0 1\nR1 a b 100\nYTHRESHOLD s1 b 0 tsm\n"
                                 ".model tsm threshold vth=0.6 vhold=0.3 dvs=0.2 dvr=0.2 ronn=2k\n.tran 1n 1u\n.end\n", 8);
    check_deck("threshold paper gates", "ts\nV1 a 0 1\nR1 a b 100\nYTHRESHOLD s1 b 0 tsm\n"
                                        ".model tsm threshold snap=0 vth=0.6 vhold=0.3 dvs=0.2 dvr=0.2\n.tran 1n 1u\n"
                                        ".end\n", 8);
    check_deck("vo2", "vo2\nV1 a 0 1\nR1 a b 100\nYVO2 d1 b 0 vo2m\n.model vo2m vo2 t_amb=325\n"
                      ".tran 1n 1u\n.end\n", 8);
    check_deck("vo2 thermal terminal", "vo2\nV1 a 0 1\nR1 a b 100\nYVO2 d1 b 0 th vo2m\nCth th 0 1p\n"
                                       ".model vo2m vo2 t_amb=325\n.tran 1n 1u\n.end\n", 8);
    check_deck("threshold umass", "ts\nV1 a 0 1\nR1 a b 1k\nYTHRESHOLD s1 b 0 um\n.model um threshold level=2\n"
                                  ".tran 1n 1u\n.end\n", 8);
    check_deck("threshold vvteam", "ts\nV1 a 0 1\nR1 a b 1k\nYTHRESHOLD s1 b 0 vv\n"
                                   ".model vv threshold level=3 vth=0.6 vh=0.4 dv=0.1 imax=1m roff=1meg\n"
                                   ".tran 1n 1u\n.end\n", 8);
    check_deck("mott pickett", "mott\nV1 a 0 1\nR1 a b 100\nYMOTT m1 b 0 mm\n.model mm mott level=1 eps=0.05\n"
                               ".tran 1n 1u\n.end\n", 8);
    check_deck("mott kumar", "mott\nV1 a 0 1\nR1 a b 100\nYMOTT m1 b 0 mm\n.model mm mott level=2 dtc=30 tc=340\n"
                             ".tran 1n 1u\n.end\n", 8);
    check_deck("mott third order", "mott\nV1 a 0 1\nR1 a b 100\nYMOTT m1 b 0 mm\n"
                                   ".model mm mott level=3 tc=340 dtc=30 dth=20 wm=5\n.tran 1n 1u\n.end\n", 8);
    check_deck("mott kumar thermal terminal", "mott\nV1 a 0 1\nR1 a b 100\nYMOTT m1 b 0 th mm\nCth th 0 1f\n"
                                              ".model mm mott level=2 dtc=30 tc=340\n.tran 1n 1u\n.end\n", 8);
    check_deck("diffusive", "dm\nV1 a 0 1\nR1 a b 1g\nYDIFFUSIVE d1 b 0 dm\n"
                            ".model dm diffusive ron=170k roff=1e8 mu=60 gamma1=60 gamma2=40 theta=100 beta=40 lambda=0.8\n"
                            ".tran 1n 1u\n.end\n", 8);
    check_deck("diffusive asymmetric", "dm\nV1 a 0 1\nR1 a b 1g\nYDIFFUSIVE d1 b 0 dm\n"
                                       ".model dm diffusive sym=0 ron=80k roff=1e9 lambda=0.8\n.tran 1n 1u\n.end\n", 8);
    accept_points = 0;
}

/* last: its random points do not shift the other tests' points */
static void test_behavioural_elements(void **state)
{
    (void)state;
    check_deck("behavioural R C L, ddt, sdt, i(R)",
               "rcl\nV1 a 0 1\nR1 a b r={1k*(1+v(a,b)^2)}\nC1 b 0 c={1n*(2+tanh(v(b)))}\n"
               "L1 b c l={1m*(1+1e5*i(l1)^2+v(c)^2)}\nR2 c 0 1k\nB1 d 0 I=1m*ddt(v(b)*v(c))+1m*sdt(v(a)*v(b))\n"
               "R3 d 0 1k\nE1 e 0 value={i(R1)*1k+i(R2)*2k}\nR4 e 0 1k\n.tran 1n 1u\n.end\n", 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_and_controlled),
        cmocka_unit_test(test_behavioural),
        cmocka_unit_test(test_smooth_switches),
        cmocka_unit_test(test_diode_mos),
        cmocka_unit_test(test_memristors),
        cmocka_unit_test(test_volatile),
        cmocka_unit_test(test_behavioural_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
