#include "engine/transient.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NHIST = 3 };

/* A solution further than this many Newton tolerances from its prediction
 * counts as a jump (jumped()); smooth motion misses by far less. */
#define JUMP_TOLS 100

/* Lack of progress (a stall, not a hard event): STALL_STEPS accepted steps
 * that together advance less than STALL_STEPS * STALL_HMIN minimum steps
 * (an average step below 1e-8 tmax) end the run with an error naming the
 * unknown that limits the step (checked in blocks of STALL_STEPS); and
 * a transient never takes more than DECK_MAX_POINTS steps, the cap the
 * parser puts on tstop/tstep. */
#define STALL_STEPS 10000
#define STALL_HMIN 1000
/* Trapezoidal ringing of device states (UK_STATE rows, whose equation is
 * the state's own rate: G_ii/C_ii = -d rate/dx, its relaxation rate; a
 * node's diagonal also holds conductances to neighbours, e.g. a short to
 * an inductor, and says nothing about its own time constant, so nodes keep
 * the trapezoidal rule, as in SPICE): a row relaxing at rate lam is multiplied per step by
 * (1 - lam h/2)/(1 + lam h/2), which is below -0.2 for lam h > 3: an error
 * (or the start of a step at a kink) alternates in sign and decays slowly
 * (to -1 as lam h grows). Above this the row is integrated by backward
 * Euler (amplification 1/(1 + lam h), no sign change) with its own
 * first-order truncation-error estimate. */
#define STIFF_LH 3.0

struct TranCtl {
    Engine *e;
    double tstep, tstop, tmax, hmin;
    double t, h;              /* last accepted time; next step to try */
    int order;                /* order of the next step (1 after start/breakpoints) */
    int nh;                   /* valid history points */
    double th[NHIST];         /* th[0] = t_n, th[1] = t_{n-1}, ... */
    double *qh[NHIST];        /* Q at those times */
    double *qdot;             /* dQ/dt at t_n */
    double *y, *ynew, *b;
    double *yprev;            /* solution at th[1] (for the predictor) */
    double *yprev2;           /* ... at th[2] */
    double *ypred;            /* the predicted start of the step being solved */
    int predicted;            /* ... the step started from an extrapolation */
    int smooth;               /* accepted points since the last breakpoint */
    double next_bp;
    int at_bp;                /* last accepted point is a breakpoint */
    int worst_lte_row;
    /* stiff rows under the trapezoidal rule: lam[i] = G_ii/C_ii at the last
     * accepted point (the row's own relaxation rate); a row with
     * lam h > STIFF_LH takes backward Euler in this step (damp[i], its
     * coefficient a0row[i] = 1/h), so that it does not ring */
    double *lam, *a0row;
    char *damp;
    long damp_id;             /* changes with the set of damped rows */
    int use_a0row;            /* some row is damped in this step */
    int limit_row;            /* the unknown that limited the last step (-1: none known) */
    double block_t0;          /* time at the start of the current block of STALL_STEPS steps */
    TranStats st;
};

/* retries of one step (rejected by Newton or the truncation error) before
 * the step is given up: each shrinks h by up to 8, so 200 span far more
 * than the 1e-11 range between tmax and hmin */
enum { MAX_TRIES = 200 };

static size_t vbytes(const Engine *e)
{
    return ((size_t)e->n + 1) * sizeof(double);
}

/* smallest device breakpoint strictly after t (at least hmin after) */
static double find_next_bp(TranCtl *tc, double t)
{
    Engine *e = tc->e;
    double bp = tc->tstop;
    for (int g = 0; g < e->ckt->ngroups; g++) {
        InstGroup *grp = &e->ckt->groups[g];
        if (!grp->type->next_breakpoint) continue;
        /* the first corner beyond t + hmin, asked for directly: stepping
         * through the corners one by one never ends when hmin spans very
         * many periods (a PULSE of 10 us in a run of 1e300 s) */
        double x = grp->type->next_breakpoint(grp, t + tc->hmin, &e->lc);
        for (int k = 0; x <= t + tc->hmin && k < 64; k++) {
            double nx = grp->type->next_breakpoint(grp, x, &e->lc);
            x = nx > x ? nx : INFINITY;   /* no progress (rounding at a huge time): no more corners */
        }
        if (x <= t + tc->hmin) x = INFINITY;
        if (x < bp) bp = x;
    }
    /* a corner closer than hmin to tstop (rounding of td + k*per) merges
     * with it: the step after it would be a sliver Newton cannot solve */
    if (tc->tstop - bp < tc->hmin) bp = tc->tstop;
    return bp;
}

TranCtl *tran_new(Engine *e, double tstep, double tstop, double tmax, const double *y0, int uic)
{
    TranCtl *tc = xcalloc(1, sizeof *tc);
    tc->e = e;
    tc->tstep = tstep;
    tc->tstop = tstop;
    tc->tmax = tmax;
    tc->hmin = 1e-11 * tmax;          /* as SPICE's delmin */
    for (int k = 0; k < NHIST; k++) tc->qh[k] = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->qdot = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->lam = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->a0row = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->damp = xcalloc((size_t)e->n + 1, 1);
    tc->damp_id = 1;
    tc->y = xmalloc(vbytes(e));
    tc->ynew = xmalloc(vbytes(e));
    tc->yprev = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->yprev2 = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->ypred = xcalloc((size_t)e->n + 1, sizeof(double));
    tc->b = xcalloc((size_t)e->n + 1, sizeof(double));
    memcpy(tc->y, y0, vbytes(e));
    tc->y[e->n] = 0;
    e->lc.t = 0;
    e->lc.tran = 1;
    e->lc.tstep = tstep;
    e->lc.tstop = tstop;
    e->lc.uic_init = uic;
    engine_load(e, tc->y);
    e->lc.uic_init = 0;
    /* with uic the initial point is given, not solved: the first step is
     * no analysis-start solve (SPICE's MODEINITTRAN, not MODEINITJCT) */
    if (uic) e->lc.first_solve = 0;
    memcpy(tc->qh[0], e->Q, vbytes(e));
    tc->nh = 1;
    tc->th[0] = 0;
    tc->t = 0;
    tc->order = 1;
    tc->at_bp = 1;
    tc->next_bp = find_next_bp(tc, 0);
    /* first step as SPICE: min(tstop/100, tstep)/10, at most a tenth of the
     * way to the first breakpoint, and (t = 0 being a breakpoint itself)
     * divided by 10 once more */
    double h = fmin(tstop / 100, tstep) / 10;
    h = fmin(h, 0.1 * tc->next_bp) / 10;
    tc->h = fmin(h, tmax);
    tc->st.hmin_used = INFINITY;
    tc->limit_row = -1;
    return tc;
}

void tran_free(TranCtl *tc)
{
    if (!tc) return;
    for (int k = 0; k < NHIST; k++) free(tc->qh[k]);
    free(tc->qdot);
    free(tc->lam);
    free(tc->a0row);
    free(tc->damp);
    free(tc->yprev);
    free(tc->yprev2);
    free(tc->ypred);
    free(tc->y);
    free(tc->ynew);
    free(tc->b);
    free(tc);
}

double tran_time(const TranCtl *tc) { return tc->t; }
const double *tran_solution(const TranCtl *tc) { return tc->y; }
const TranStats *tran_stats(const TranCtl *tc) { return &tc->st; }

/* coefficients for a step of size h and the history term b on dynamic rows */
static double coefficients(TranCtl *tc, double h, int order)
{
    Engine *e = tc->e;
    const double *q0 = tc->qh[0], *q1 = tc->qh[1];
    double a0;
    tc->use_a0row = 0;
    if (order == 1) {
        a0 = 1 / h;
        for (int k = 0; k < e->ndyn; k++) {
            int i = e->dyn_rows[k];
            tc->b[i] = -q0[i] / h;
        }
    } else if (e->opt->method == METHOD_TRAP) {
        a0 = 2 / h;
        int changed = 0, any = 0;
        for (int k = 0; k < e->ndyn; k++) {
            int i = e->dyn_rows[k];
            char d = tc->lam[i] * h > STIFF_LH;
            changed |= d != tc->damp[i];
            tc->damp[i] = d;
            any |= d;
            if (d) {   /* backward Euler */
                tc->a0row[i] = 1 / h;
                tc->b[i] = -q0[i] / h;
            } else {
                tc->a0row[i] = a0;
                tc->b[i] = -a0 * q0[i] - tc->qdot[i];
            }
        }
        tc->use_a0row = any;
        if (changed) tc->damp_id++;
    } else {
        double rho = h / (tc->th[0] - tc->th[1]);
        a0 = (1 + 2 * rho) / (h * (1 + rho));
        double a1 = -(1 + rho) / h, a2 = rho * rho / (h * (1 + rho));
        for (int k = 0; k < e->ndyn; k++) {
            int i = e->dyn_rows[k];
            tc->b[i] = a1 * q0[i] + a2 * q1[i];
        }
    }
    return a0;
}

static inline double maxd(double a, double b)
{
    return a > b ? a : b;
}

/* Largest step the truncation error allows. SPICE's charge-based estimate:
 * the divided difference of order+1 of Q through the new point and the
 * history (missing history taken as constant, tmax apart), and for each
 * dynamic row
 *     h^order = trtol * tol / max(abstol, factor * |DD|)
 * with tol the larger of a rate tolerance (reltol*|dQ/dt| + abstol) and a
 * charge tolerance (reltol*max(|Q|, qtol)/h). */
static double lte_step(TranCtl *tc, double tnew, double h, int order, double a0)
{
    Engine *e = tc->e;
    const SimOptions *o = e->opt;
    double t[4] = {tnew, tc->th[0], 0, 0};
    const double *q[4] = {e->Q, tc->qh[0], NULL, NULL};
    for (int k = 1; k < NHIST; k++) {
        int src = k < tc->nh ? k : tc->nh - 1;
        t[k + 1] = k < tc->nh ? tc->th[k] : t[k] - tc->tmax;
        q[k + 1] = tc->qh[src];
    }
    double i01 = 1 / (t[0] - t[1]), i12 = 1 / (t[1] - t[2]), i23 = 1 / (t[2] - t[3]);
    double i02 = 1 / (t[0] - t[2]), i13 = 1 / (t[1] - t[3]), i03 = 1 / (t[0] - t[3]);
    double factor = order == 1 ? 0.5 : (o->method == METHOD_TRAP ? 1.0 / 12 : 2.0 / 9);
    double reltol = o->reltol, invh = 1 / h;
    const double *Q = e->Q, *q1 = q[1], *q2 = q[2], *q3 = q[3], *qdot = tc->qdot, *b = tc->b;
    const double *qtol = e->lte_qtol, *rabs = e->lte_rateabs;
    const char *qrel = e->lte_qrel;
    /* smallest h^order = trtol * tol / den over the rows, kept as a fraction
     * (bnum / bden) so the loop has no division */
    double bnum = INFINITY, bden = 1;
    double bnum1 = INFINITY, bden1 = 1;   /* rows damped to backward Euler: h^1 */
    int worst = -1, worst1 = -1;
    const double *a0row = tc->use_a0row ? tc->a0row : NULL;
    const char *pinned = e->bnd_active, *was_pinned = e->bnd_prev;
    for (int k = 0; k < e->ndyn; k++) {
        int i = e->dyn_rows[k];
        /* a state held at its bound is exact there; the kink where it
         * reached the bound is not a truncation error */
        if (pinned && pinned[i] && was_pinned[i]) continue;
        double d10 = (Q[i] - q1[i]) * i01, d11 = (q1[i] - q2[i]) * i12;
        double d20 = (d10 - d11) * i02, diff = d20;
        int be = a0row && tc->damp[i];
        if (order != 1 && !be) {
            double d12 = (q2[i] - q3[i]) * i23;
            diff = (d20 - (d11 - d12) * i13) * i03;
        }
        double qdot_new = (a0row ? a0row[i] : a0) * Q[i] + b[i];
        /* a state arriving at its bound in this step: the trapezoidal
         * qdot_new of the kink is not its rate; with the rate before it,
         * the estimate accepts the step when the state moved for at least
         * about half of it before it reached the bound (the divided
         * difference of a kink at fraction theta is rate (1 - theta)/6h^2) */
        if (pinned && pinned[i]) qdot_new = 0;
        double tol_rate = rabs[i] + reltol * maxd(fabs(qdot_new), fabs(qdot[i]));
        /* charges: SPICE's reltol*|Q|; device states: only their floor, so
         * that a state's error is relative to how fast it moves (a small
         * synaptic update of a large state is resolved), not to its size */
        double tol_q = (qrel[i] ? reltol * maxd(maxd(fabs(Q[i]), fabs(q1[i])), qtol[i]) : qtol[i]) * invh;
        double num = maxd(tol_rate, tol_q);
        if (be) {
            double den = maxd(o->abstol, 0.5 * fabs(diff));
            if (num * bden1 < bnum1 * den) {
                bnum1 = num;
                bden1 = den;
                worst1 = i;
            }
            continue;
        }
        double den = maxd(o->abstol, factor * fabs(diff));
        if (num * bden < bnum * den) {
            bnum = num;
            bden = den;
            worst = i;
        }
    }
    double best = o->trtol * bnum / bden;
    best = order == 2 ? sqrt(best) : best;
    double best1 = o->trtol * bnum1 / bden1;
    if (worst1 >= 0 && !(best1 >= best)) {
        best = best1;
        worst = worst1;
    }
    tc->worst_lte_row = worst;
    return best;
}

static void accept(TranCtl *tc, double tnew, double a0)
{
    Engine *e = tc->e;
    double *oldest = tc->qh[NHIST - 1];
    for (int k = NHIST - 1; k > 0; k--) {
        tc->qh[k] = tc->qh[k - 1];
        tc->th[k] = tc->th[k - 1];
    }
    tc->qh[0] = oldest;
    memcpy(tc->qh[0], e->Q, vbytes(e));
    tc->th[0] = tnew;
    if (tc->nh < NHIST) tc->nh++;
    const double *a0row = tc->use_a0row ? tc->a0row : NULL;
    const int *dh = e->diag_h;
    int trap = e->opt->method == METHOD_TRAP;
    for (int k = 0; k < e->ndyn; k++) {
        int i = e->dyn_rows[k];
        tc->qdot[i] = (a0row ? a0row[i] : a0) * e->Q[i] + tc->b[i];
        /* the row's relaxation rate at this point (the next trapezoidal
         * step's choice) */
        if (trap) {
            double c = e->C[dh[i]];
            tc->lam[i] = c > 0 && e->uk.v[i].kind == UK_STATE ? e->G[dh[i]] / c : 0;
        }
    }
    /* a state held at its bound does not move: its derivative is 0, not
     * the trapezoidal rule's -qdot (which would alternate in sign for as
     * long as the bound holds and push the state off it later) */
    for (int k = 0; k < e->nbnd; k++) {
        if (e->bnd[k].active) tc->qdot[e->bnd[k].row] = 0;
        e->bnd_prev[e->bnd[k].row] = (char)e->bnd[k].active;
    }
    double *t2 = tc->yprev2;
    tc->yprev2 = tc->yprev;
    tc->yprev = t2;
    memcpy(tc->yprev, tc->y, vbytes(e));
    memcpy(tc->y, tc->ynew, vbytes(e));
    tc->t = tnew;
    tc->st.accepted++;
    engine_accept(e, tc->y);
}

static int too_small(TranCtl *tc, double h, int row, const char *why)
{
    Engine *e = tc->e;
    char *what = engine_describe_unknown(e, row);
    char fb[600];
    if (row < 0 && e->last_fault[0])
        diag_error(e->diag, e->loc.file ? &e->loc : NULL,
                   "timestep too small at t=%.9g s (step %.3g s < minimum %.3g s) after %s: %s", tc->t, h, tc->hmin,
                   why, e->last_fault);
    else
        diag_error(e->diag, e->loc.file ? &e->loc : NULL,
                   "timestep too small at t=%.9g s (step %.3g s < minimum %.3g s) after %s; "
                   "the unknown with the largest error is %s%s",
                   tc->t, h, tc->hmin, why, what, engine_fault_suffix(e, fb, sizeof fb));
    free(what);
    return -1;
}

/* No progress: see STALL_STEPS. Always -1 (error reported). */
static int stalled(TranCtl *tc, const char *why)
{
    Engine *e = tc->e;
    char *what = tc->limit_row >= 0 ? engine_describe_unknown(e, tc->limit_row) : NULL;
    char fb[600];
    diag_error(e->diag, e->loc.file ? &e->loc : NULL,
               "no progress at t=%.9g s: %s; the step is limited by %s%s", tc->t, why,
               what ? what : "Newton failures", engine_fault_suffix(e, fb, sizeof fb));
    free(what);
    return -1;
}

/* Next trial step after a rejection: SPICE tries the minimum step once
 * before giving up. 0 ok, -1 too small. */
static int shrink(TranCtl *tc, double *h, double want)
{
    if (want >= tc->hmin) {
        *h = want;
        return 0;
    }
    if (*h > tc->hmin * 1.000001) {
        *h = tc->hmin;
        return 0;
    }
    return -1;
}

/* Newton's starting point: the solution extrapolated from the last points
 * (quadratically through three once three steps have passed since a
 * breakpoint, linearly through two before; never across a breakpoint, where
 * the sources' slopes change), bounded states kept in their intervals;
 * else the last point. */
static void predict(TranCtl *tc, double h)
{
    Engine *e = tc->e;
    tc->predicted = 0;
    if (!e->opt->predictor || e->linear || tc->nh < 2 || tc->at_bp || tc->smooth < 1) {
        memcpy(tc->ynew, tc->y, vbytes(e));
        return;
    }
    if (tc->smooth >= 3 && tc->nh >= 3) {
        /* quadratic through the last three points, in Newton's divided-
         * difference form: a quantity that has not moved is predicted
         * exactly */
        double t0 = tc->th[0], t1 = tc->th[1], t2 = tc->th[2];
        double c1 = h / (t0 - t1), c2 = h * (h + t0 - t1) / ((t0 - t2) * (t0 - t1)), i12 = (t0 - t1) / (t1 - t2);
        for (int i = 0; i < e->n; i++) {
            double d01 = tc->y[i] - tc->yprev[i], d12 = tc->yprev[i] - tc->yprev2[i];
            tc->ynew[i] = tc->y[i] + c1 * d01 + c2 * (d01 - d12 * i12);
        }
    } else {
        double f = h / (tc->th[0] - tc->th[1]);
        for (int i = 0; i < e->n; i++) tc->ynew[i] = tc->y[i] + f * (tc->y[i] - tc->yprev[i]);
    }
    tc->ynew[e->n] = 0;
    for (int k = 0; k < e->nbnd; k++) {
        int i = e->bnd[k].row;
        if (tc->ynew[i] < e->bnd[k].lo) tc->ynew[i] = e->bnd[k].lo;
        if (tc->ynew[i] > e->bnd[k].hi) tc->ynew[i] = e->bnd[k].hi;
    }
    memcpy(tc->ypred, tc->ynew, vbytes(e));
    tc->predicted = 1;
}

/* Did an algebraic node voltage (no charge on its row) land more than
 * JUMP_TOLS tolerances from its extrapolation (a comparator flipping, a
 * threshold device firing)? Where the circuit's algebraic equations have
 * several solutions (a comparator with positive feedback between its
 * thresholds), an extrapolated start can converge on the other branch:
 * early, or, extrapolating through the last switching, back and forth at
 * every step. tran_step then solves again from the last point, and the
 * predictor restarts as after a breakpoint (constant, then linear, then
 * quadratic), since its history holds a discontinuity. */
static int jumped(TranCtl *tc)
{
    Engine *e = tc->e;
    if (!tc->predicted) return 0;
    double reltol = e->opt->reltol;
    const double *yn = tc->ynew, *yp = tc->ypred;
    for (int i = 0; i < e->n; i++) {
        /* algebraic unknowns only: one with a charge cannot jump unseen
         * (truncation-error control rejects such a step) */
        if (e->dyn[i] || e->uk.v[i].kind != UK_VOLTAGE) continue;
        double d = fabs(yn[i] - yp[i]);
        if (d <= JUMP_TOLS * reltol * fabs(yn[i])) continue;   /* most unknowns */
        if (d > JUMP_TOLS * (reltol * maxd(fabs(yn[i]), fabs(yp[i])) + e->uk.v[i].abstol)) return 1;
    }
    return 0;
}

int tran_step(TranCtl *tc)
{
    Engine *e = tc->e;
    e->last_fault[0] = '\0';
    double h = fmin(tc->h, tc->tmax);
    for (int tries = 0;; tries++) {
        double tnew = tc->t + h;
        int hit = 0;
        double gap = tc->next_bp - tc->t;
        /* Every rejection shrinks h, but a retry that lands within hmin of
         * a breakpoint is snapped to it again; when the breakpoint is
         * closer than hmin (a run whose minimum step dwarfs its sources'
         * corners) the same step would be retried for ever. A point that
         * no shrinking can pass is a failure, said as such. */
        if (tries >= MAX_TRIES) {
            tc->st.rejected_lte++;
            return too_small(tc, h, tc->limit_row, "every retry of the step landed on the same breakpoint");
        }
        if (tnew >= tc->next_bp - tc->hmin) {
            tnew = tc->next_bp;
            h = gap;
            hit = 1;
        } else if (tc->next_bp - tnew < 0.25 * h) {
            /* do not leave a sliver before the breakpoint: two even steps */
            h = gap / 2;
            tnew = tc->t + h;
        }
        int order = (tc->at_bp || tc->nh < 2) ? 1 : e->opt->maxord;
        double a0 = coefficients(tc, h, order);
        predict(tc, h);
        e->lc.t = tnew;
        NewtonReq rq = {.a0 = a0, .b = tc->b, .maxiter = e->opt->itl4, .a0row = tc->use_a0row ? tc->a0row : NULL,
                        .a0row_id = tc->use_a0row ? tc->damp_id : 0};
        int it = 0;
        int st = newton_solve(e, &rq, tc->ynew, &it);
        tc->st.iterations += it;
        if (st == NEWTON_FATAL) return -1;
        if (st == NEWTON_NOCONV) {
            tc->st.rejected_newton++;
            tc->limit_row = e->worst_row;
            tc->at_bp = 1;           /* restart at first order, as SPICE does */
            if (shrink(tc, &h, h / 8)) return too_small(tc, h / 8, e->worst_row, "Newton failed to converge");
            continue;
        }
        int jump = jumped(tc);
        if (jump) {
            /* The solution left its extrapolation: it may have switched
             * branch only because the prediction started Newton in the
             * other branch's basin (early, or back and forth). Solve again
             * from the last point, on the branch the circuit is on (where
             * ngspice starts), and keep that solution: it is the same one
             * when the circuit really switched. */
            tc->st.jumps++;
            memcpy(tc->ynew, tc->y, vbytes(e));
            it = 0;
            st = newton_solve(e, &rq, tc->ynew, &it);
            tc->st.iterations += it;
            if (st == NEWTON_FATAL) return -1;
            if (st != NEWTON_OK) {
                /* not from there: the predicted start again (it converged) */
                memcpy(tc->ynew, tc->ypred, vbytes(e));
                it = 0;
                st = newton_solve(e, &rq, tc->ynew, &it);
                tc->st.iterations += it;
                if (st == NEWTON_FATAL) return -1;
                if (st != NEWTON_OK) {
                    tc->st.rejected_newton++;
                    tc->limit_row = e->worst_row;
                    tc->at_bp = 1;
                    if (shrink(tc, &h, h / 8))
                        return too_small(tc, h / 8, e->worst_row, "Newton failed to converge");
                    continue;
                }
            }
        }
        double hlte = lte_step(tc, tnew, h, order, a0);
        if (hlte < 0.9 * h) {
            tc->st.rejected_lte++;
            tc->limit_row = tc->worst_lte_row;
            if (shrink(tc, &h, fmax(hlte, h / 8)))
                return too_small(tc, hlte, tc->worst_lte_row, "truncation error control");
            continue;
        }
        accept(tc, tnew, a0);
        if (h < tc->st.hmin_used) tc->st.hmin_used = h;
        if (h > tc->st.hmax_used) tc->st.hmax_used = h;
        double hnext = fmin(hlte, 2 * h);
        if (hit) {
            if (tnew < tc->tstop) {
                tc->next_bp = find_next_bp(tc, tnew);
                hnext = fmin(hnext, 0.1 * fmin(tc->h, tc->next_bp - tnew));
            }
            tc->at_bp = 1;
            tc->smooth = 0;
        } else {
            tc->at_bp = 0;
            tc->smooth = jump ? 0 : tc->smooth + 1;
        }
        tc->h = fmax(fmin(hnext, tc->tmax), tc->hmin);
        if (hlte < 2 * h) tc->limit_row = tc->worst_lte_row;
        if (tc->st.accepted % STALL_STEPS == 0) {
            double adv = tc->t - tc->block_t0;
            tc->block_t0 = tc->t;
            if (adv < STALL_STEPS * STALL_HMIN * tc->hmin && tnew < tc->tstop) {
                char why[200];
                snprintf(why, sizeof why, "the last %d steps advanced only %.3g s (an average step of %.3g s)",
                         STALL_STEPS, adv, adv / STALL_STEPS);
                return stalled(tc, why);
            }
        }
        if (tc->st.accepted >= DECK_MAX_POINTS && tnew < tc->tstop) {
            char why[200];
            snprintf(why, sizeof why, "%.0f time steps taken, the most a transient may take", (double)DECK_MAX_POINTS);
            return stalled(tc, why);
        }
        return 0;
    }
}
