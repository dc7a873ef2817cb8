/* Newton-Raphson on the DAE residual
 *     r(y) = F(y) + a0*Q(y) + b,   J = dF/dy + a0*dQ/dy
 * (a0 = 0, b = 0 for static solves). Convergence as in SPICE: every unknown
 * moved by at most reltol*max(|new|,|old|) + its absolute tolerance, and no
 * device limited its variables in the iteration. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

/* Chord iterations (newton_solve) go on while each contracts the update
 * by at least CHORD_RHO, and one counts as small when its estimated
 * remaining error is below CHORD_EPS of the Newton tolerance (a full Newton
 * step leaves a far smaller error than its update). */
#define CHORD_RHO 0.5
#define CHORD_EPS 0.01
#define CHORD_TINY 1e-3
/* A chord update at the first iteration of a solve takes the contraction
 * measured by the last solve that iterated twice on the same kind of
 * factors (e->chord_rho): its error estimate rho/(1-rho) |dy| then lets
 * the solve end there, as the same estimate ends a later iteration. At
 * most this many solves in a row end so; the next one iterates again and
 * measures. */
#define CHORD_CARRY_MAX 3

/* Halvings of an update that led where a device cannot be evaluated
 * (2^-20 of the update: far below any tolerance of a useful step). */
#define NEWTON_BACKTRACK 20

/* Large conductance holding .nodeset/.ic nodes (as SPICE does). */
#define G_FORCE 1e10

/* Bounded states (mna_bound_unknown): the equation r(y) = 0 of row i
 * becomes the complementarity condition
 *     min(max(r, a0 (y_i - hi)), a0 (y_i - lo)) = 0,
 * that is r = 0 with lo <= y_i <= hi, or y_i = hi where the unconstrained
 * solution would pass hi (r < 0 there), or y_i = lo likewise. The scaling
 * by a0 makes the two terms comparable (r = a0 y_i + b - rate). Newton on
 * this piecewise-smooth system (semismooth Newton) replaces an active row
 * by a0 (y_i - bound) with the single Jacobian entry a0 on the diagonal.
 * Static solves (a0 = 0: the row is a steady state -rate = 0, or a held
 * state y_i - y0 = 0) use the row's diagonal |J_ii| as the scale. */
static void apply_bounds(Engine *e, double a0, const double *a0row, const double *y, int need_j)
{
    for (int k = 0; k < e->nbnd; k++) {
        struct Bound *b = &e->bnd[k];
        int i = b->row;
        /* static solves (a0 = 0) scale by the row's own diagonal, so the
         * bound term and the residual are in the same units there too */
        double s = a0row && a0 != 0 ? a0row[i] : a0;
        if (s == 0) {
            s = need_j ? fabs(e->J[e->diag_h[i]]) : 0;
            if (!(s > 0)) s = 1;
        }
        double rhi = s * (y[i] - b->hi), rlo = s * (y[i] - b->lo), r;
        int was = b->active;
        b->active = e->bnd_active[i] = 1;
        if (e->r[i] < rhi) r = rhi;
        else if (e->r[i] > rlo) r = rlo;
        else {
            b->active = e->bnd_active[i] = 0;
            if (was) e->bnd_flips++;
            continue;
        }
        if (!was) e->bnd_flips++;
        e->r[i] = r;
        if (need_j) {
            for (int j = 0; j < b->nh; j++) e->J[b->h[j]] = 0;
            e->J[e->diag_h[i]] = s;
        }
    }
}

/* The converged solution of an active bound row is the bound up to the
 * rounding of the solve; make it exact (the correction is far below the
 * Newton tolerance) and move Q with it. */
static void clamp_bounds(Engine *e, double *y)
{
    for (int k = 0; k < e->nbnd; k++) {
        const struct Bound *b = &e->bnd[k];
        double v = y[b->row], c = v < b->lo ? b->lo : v > b->hi ? b->hi : v;
        if (c == v) continue;
        e->Q[b->row] += e->C[e->diag_h[b->row]] * (c - v);
        y[b->row] = c;
    }
}

/* J = G + a0*C only when it will be factored; r always */
static void form_system(Engine *e, const NewtonReq *rq, const double *y, int need_j)
{
    int n = e->n;
    double a0 = rq->a0;
    if (need_j) {
        memcpy(e->J, e->G, (size_t)e->nnz * sizeof *e->J);
        if (a0 != 0 && rq->a0row)
            for (int k = 0; k < e->ncq; k++) {
                int h = e->cq_h[k];
                e->J[h] += rq->a0row[e->Ai[h]] * e->C[h];
            }
        else if (a0 != 0)
            for (int k = 0; k < e->ncq; k++) e->J[e->cq_h[k]] += a0 * e->C[e->cq_h[k]];
    }
    memcpy(e->r, e->F, (size_t)n * sizeof *e->r);
    if (a0 != 0) {
        for (int k = 0; k < e->ndyn; k++) {
            int i = e->dyn_rows[k];
            double ai = rq->a0row ? rq->a0row[i] : a0;
            e->r[i] += ai * e->Q[i] + (rq->b ? rq->b[i] : 0);
        }
    }
    if (rq->gshunt > 0)
        for (int i = 0; i < n; i++)
            if (e->uk.v[i].kind == UK_VOLTAGE) {
                if (need_j) e->J[e->diag_h[i]] += rq->gshunt;
                e->r[i] += rq->gshunt * y[i];
            }
    for (int k = 0; k < rq->nforce; k++) {
        int row = rq->force[k].node - 1;
        if (need_j) e->J[e->diag_h[row]] += G_FORCE;
        e->r[row] += G_FORCE * (y[row] - rq->force[k].value);
    }
    if (e->nbnd) apply_bounds(e, a0, rq->a0row, y, need_j);
}

/* A NaN or Inf in the system comes from a device: say which. The residual
 * is checked every iteration (O(n)); the Jacobian only to explain a
 * non-finite solution. */
static int check_residual(Engine *e)
{
    for (int i = 0; i < e->n; i++)
        if (!isfinite(e->r[i])) {
            char *what = engine_describe_unknown(e, i);
            engine_error(e, "non-finite residual (%g) in the equation of %s at t=%g", e->r[i],
                       what, e->lc.t);
            free(what);
            return -1;
        }
    return 0;
}

static int check_jacobian(Engine *e)
{
    for (int c = 0; c < e->n; c++)
        for (int k = e->Ap[c]; k < e->Ap[c + 1]; k++)
            if (!isfinite(e->J[k])) {
                char *what = engine_describe_unknown(e, e->Ai[k]);
                engine_error(e, "non-finite Jacobian entry in the equation of %s at t=%g", what,
                           e->lc.t);
                free(what);
                return -1;
            }
    return 0;
}

static void report_singular(Engine *e, int col)
{
    char *what = engine_describe_unknown(e, col);
    engine_error(e, "singular matrix at t=%g: the equation of %s cannot be solved", e->lc.t, what);
    free(what);
    e->worst_row = col;
}

/* The condensed system (condense.h) serves transient solves; static
 * solves (a0 = 0: states hold or sit at a steady state, D may vanish),
 * damped, shunted or forced solves use the full one. */
static int use_reduced(const Engine *e, const NewtonReq *rq)
{
    return e->cond && rq->a0 != 0 && !rq->damped && rq->gshunt == 0 && rq->nforce == 0;
}

static LinSolver *solver_of(Engine *e, int red)
{
    return red ? condense_solver(e->cond) : e->ls;
}

/* Linear circuits: J depends only on a0 and the added conductances, so a
 * factorization is reused while they stay the same. */
/* factors of the matrix this request forms (up to the solution); the
 * condensed matrix of a circuit whose kept unknowns carry no charge
 * depends on a0 only through the condensed states' small terms, and its
 * factors serve chord iterations of any step size (the contraction test
 * decides) */
static int factors_for(const Engine *e, const struct FactorKey *f, const NewtonReq *rq, int red)
{
    if (!f->valid || f->reduced != red || f->gshunt != rq->gshunt || f->nforce != rq->nforce) return 0;
    if (red && condense_a0_free(e->cond)) return 1;
    return f->a0 == rq->a0 && f->a0row_id == rq->a0row_id;
}

static int factor_reusable(const Engine *e, const NewtonReq *rq)
{
    return e->linear && factors_for(e, &e->fact, rq, 0);
}

/* Exchange the current factorization with kept slot k */
static void swap_factors(Engine *e, int k, int red)
{
    linsolve_swap(solver_of(e, red), k);
    struct FactorKey cur = e->fact;
    cur.used = e->n_iter;
    e->fact = e->kept[k];
    e->kept[k] = cur;
}

/* A transient solve whose step size differs from the current factors':
 * bring back kept factors of that step size (a breakpoint's short steps
 * repeat the same few sizes), or keep the current ones in the slot used
 * least recently and start from that slot's (refactored in place). Chord
 * iterations then decide whether the brought-back factors still serve.
 * A slot's key says which solver holds its factors (FactorKey.reduced);
 * the other solver's factors in that slot are stale and never brought back. */
static void choose_factors(Engine *e, const NewtonReq *rq, int red)
{
    int lru = 0;
    for (int k = 0; k < e->nkeep; k++) {
        const struct FactorKey *f = &e->kept[k];
        if (factors_for(e, f, rq, red) && f->flips == e->bnd_flips) {
            swap_factors(e, k, red);
            return;
        }
        if (!f->valid || (e->kept[lru].valid && f->used < e->kept[lru].used)) lru = k;
    }
    if (e->nkeep && e->fact.valid && e->fact.reduced == red) {
        swap_factors(e, lru, red);
        e->fact.valid = 0;
    }
}

static int factor(Engine *e, const NewtonReq *rq, int red)
{
    int bad = -1, st;
    if (red) {
        st = condense_factor(e->cond, e->J, &bad);
    } else {
        st = linsolve_factor(e->ls, e->J, &bad);
    }
    if (st != LS_OK) {
        e->fact.valid = 0;
        if (st == LS_SINGULAR) report_singular(e, bad);
        else engine_error(e, "sparse factorization failed at t=%g", e->lc.t);
        return -1;
    }
    e->n_factor++;
    /* the transient solves the condensed system from here on: the full
     * one's factors (the operating point's) would only hold memory */
    if (red) {
        linsolve_release(e->ls);
        for (int k = 0; k < e->nkeep; k++)
            if (!e->kept[k].reduced) e->kept[k].valid = 0;
    }
    e->fact = (struct FactorKey){.valid = 1, .reduced = red, .a0 = rq->a0, .gshunt = rq->gshunt,
                                 .a0row_id = rq->a0row_id, .nforce = rq->nforce, .flips = e->bnd_flips};
    return 0;
}

/* Largest scaled update; sets e->worst_row. Returns 1 when every unknown
 * moved within its tolerance. */
static int update_small(Engine *e, const double *y)
{
    double worst = 0;
    int ok = 1, wr = e->worst_row;
    const double *dy = e->dy, *yold = e->yold, *urel = e->urel, *uabs = e->uabs;
    for (int i = 0; i < e->n; i++) {
        double a = fabs(y[i]), b = fabs(yold[i]);
        double tol = urel[i] * (a > b ? a : b) + uabs[i];
        double d = fabs(dy[i]);
        if (d > worst * tol) {   /* the division only for a new largest ratio */
            worst = d / tol;
            wr = i;
        }
        if (d > tol) ok = 0;
    }
    e->worst_row = wr;
    e->last_worst = worst;
    return ok;
}

/* The residual test that makes an accepted point a solution, not only the
 * end of small updates (a steep nonlinearity can make the update tiny while
 * the equations are far from satisfied; a chord step on an old Jacobian
 * too). At an iterate loaded with the sizes of its terms (load_f), row i
 * passes when
 *     |r_i| <= reltol * (S_i + |a0 Q_i + b_i|) + floor_i
 * S_i: the sum of the sizes of the row's terms (currents of a KCL row,
 * voltages of a branch equation, rates of a state); a0 Q_i + b_i: the
 * row's dQ/dt; floor_i: the larger of the row's absolute tolerance in its
 * own units (abstol amperes for a KCL row, vntol volts for the branch
 * equation of a current unknown) and the residual that moving unknown i by
 * its update tolerance makes, |G_ii + a0 C_ii| (reltol |y_i| + abstol_i). This is SPICE's
 * per-device check (the current at the new point against reltol of its
 * size) for every row at once. Rows held at a state bound are exact by
 * construction. On failure sets worst_row and last_resid (the largest
 * |r_i|/tol_i). */
static int residual_small(Engine *e, const NewtonReq *rq, const double *y)
{
    const double reltol = e->opt->reltol, a0 = rq->a0;
    const double *Fmag = e->Fmag, *r = e->r, *Q = e->Q, *b = rq->b, *G = e->G, *C = e->C;
    const int *dh = e->diag_h;
    double worst = 0;
    int ok = 1;
    for (int i = 0; i < e->n; i++) {
        double size = Fmag[i], jii = G[dh[i]];
        if (a0 != 0 && e->dyn[i]) {
            double ai = rq->a0row ? rq->a0row[i] : a0;
            size += fabs(ai * Q[i] + (b ? b[i] : 0));
            jii += ai * C[dh[i]];
        }
        double ri = fabs(r[i]);
        if (ri <= reltol * size) continue;   /* most rows */
        if (e->bnd_active && e->bnd_active[i]) continue;
        if (rq->gshunt > 0 && e->uk.v[i].kind == UK_VOLTAGE) size += rq->gshunt * fabs(y[i]);
        double floor = fabs(jii) * ((e->uk.v[i].abs_only ? 0 : reltol) * fabs(y[i]) + e->uk.v[i].abstol);
        if (floor < e->rfloor[i]) floor = e->rfloor[i];
        double tol = reltol * size + floor;
        if (ri <= tol) continue;
        double ratio = ri / tol;
        if (!(ratio <= worst)) {
            worst = ratio;
            e->worst_row = i;
        }
        ok = 0;
    }
    e->last_resid = worst;
    return ok;
}

/* Halve the last update (from e->yold) and load the devices there. */
static void step_back(Engine *e, double *y)
{
    for (int i = 0; i < e->n; i++) {
        e->dy[i] *= 0.5;
        y[i] = e->yold[i] + e->dy[i];
    }
    e->want_mag = !e->linear;
    engine_load(e, y);
    e->want_mag = 0;
    e->n_iter++;
    e->n_backtrack++;
}

/* Merit function of damped Newton: the squared residual, each row in
 * units of its absolute tolerance (amperes of abstol for KCL rows, vntol
 * for branch equations, the unknown's own tolerance for states). */
static double merit(const Engine *e)
{
    double phi = 0;
    for (int i = 0; i < e->n; i++) {
        double w = e->rfloor[i] > 0 ? e->rfloor[i] : e->uk.v[i].abstol;
        double q = e->r[i] / w;
        phi += q * q;
    }
    return phi;
}

/* A starting point for a static solve where the circuit's linear part
 * holds: every device flagged DEV_LINEAR (resistors, sources, controlled
 * sources, ...) is loaded at y = 0 and the others are left out; node
 * voltages get the shunt rq->gshunt (at least gmin) so nodes reached only
 * through left-out devices settle at 0, and a row or column that has no
 * entry left (a left-out device's own unknown) is pinned to 0. One solve
 * gives the node voltages the sources set (V1 a 0 4 puts v(a) at 4),
 * where a device singular at zero (sqrt(v(a)), 1/v(a)) is defined.
 * Returns 0 with y filled, -1 when that system is singular (y unchanged). */
int newton_linear_start(Engine *e, const NewtonReq *rq, double *y)
{
    int n = e->n;
    if (n == 0) return -1;
    double *y0 = xcalloc((size_t)n + 1, sizeof *y0);
    e->lc.dc = 1;
    engine_load_linear(e, y0);
    NewtonReq lr = *rq;
    lr.a0 = 0;
    lr.b = NULL;
    if (lr.gshunt < e->opt->gmin) lr.gshunt = e->opt->gmin;
    if (!(lr.gshunt > 0)) lr.gshunt = 1e-12;
    int nb = e->nbnd;
    e->nbnd = 0;           /* states are left out: no bound rows either */
    form_system(e, &lr, y0, 1);
    e->nbnd = nb;
    char *row_used = xcalloc((size_t)n + 1, 1);
    for (int c = 0; c < n; c++)
        for (int k = e->Ap[c]; k < e->Ap[c + 1]; k++)
            if (e->J[k] != 0) {
                row_used[e->Ai[k]] |= 1;
                row_used[c] |= 2;
            }
    for (int i = 0; i < n; i++)
        if (row_used[i] != 3) {
            for (int k = e->Ap[i]; k < e->Ap[i + 1]; k++) e->J[k] = 0;   /* the column */
            e->J[e->diag_h[i]] = 1;
            e->r[i] = 0;
        }
    /* a row pinned above keeps no entry in another column */
    for (int c = 0; c < n; c++)
        for (int k = e->Ap[c]; k < e->Ap[c + 1]; k++)
            if (row_used[e->Ai[k]] != 3 && e->Ai[k] != c) e->J[k] = 0;
    free(row_used);
    int rc = -1, bad = -1, quiet = e->quiet;
    e->quiet = 1;
    e->fact.valid = 0;
    if (linsolve_factor(e->ls, e->J, &bad) == LS_OK) {
        for (int i = 0; i < n; i++) y0[i] = -e->r[i];
        if (linsolve_solve(e->ls, y0) == LS_OK) {
            rc = 0;
            for (int i = 0; i < n; i++)
                if (!isfinite(y0[i])) rc = -1;
            if (rc == 0) memcpy(y, y0, (size_t)n * sizeof *y);
        }
    }
    e->quiet = quiet;
    e->fact.valid = 0;
    e->chord_carry = 0;
    e->chord_rho = INFINITY;
    free(y0);
    return rc;
}

static int solve(Engine *e, const NewtonReq *rq, double *y, int *iters);

/* every solve tells the devices its iteration number (LoadCtx.iter); the
 * first solve of an analysis is LoadCtx.first_solve, whatever its outcome */
int newton_solve(Engine *e, const NewtonReq *rq, double *y, int *iters)
{
    int st = solve(e, rq, y, iters);
    e->lc.first_solve = 0;
    e->lc.iter = -1;
    return st;
}

static int solve(Engine *e, const NewtonReq *rq, double *y, int *iters)
{
    int n = e->n;
    y[n] = 0;
    if (n == 0) return NEWTON_OK;
    e->lc.dc = rq->a0 == 0;
    e->last_resid = 0;
    e->start_fault = 0;
    /* Convergence (SPICE's two tests, both required): the iterate y_k
     * satisfies the equations, its residual within tolerance row by row
     * (residual_small: the devices report the sizes of their terms in every
     * load), and the Newton update from it is within the update tolerance
     * (update_small) with no device limiting its variables. The solve then
     * returns y_k + dy_k: a verified solution, refined by an update smaller
     * than its tolerance (Q follows the update linearly). A small update at
     * an iterate that is not a solution (a steep nonlinearity, an old
     * Jacobian) does not end the solve.
     *
     * Chord iterations (transient, nonlinear circuits without nonlinear
     * charges): after the first iteration of a solve, or from the start when
     * the previous solve converged fast with the same a0, the LU factors are
     * kept while each iteration contracts the update by CHORD_RHO (the
     * Jacobian changes little between iterates that close); a slower
     * contraction, a device limiting its variables, a change in the set of
     * active state bounds (rows replaced) or a small update at an iterate
     * whose residual fails refactors. Chord iterations converge linearly,
     * error ~ rho/(1-rho) |dy|: a chord update counts as small only when
     * that estimate is below CHORD_EPS of the tolerance. */
    double prev_worst = INFINITY, phi_prev = INFINITY;
    int chord_ok = e->chord_allowed && rq->a0 != 0 && !e->linear && !rq->damped;
    int red = use_reduced(e, rq);
    for (int it = 0; it < rq->maxiter; it++) {
        e->want_mag = !e->linear;
        e->lc.iter = it;
        engine_load(e, y);
        e->want_mag = 0;
        e->n_iter++;
        /* A device cannot be evaluated at this iterate (log of a negative
         * number, division by zero): the update overshot into a region
         * where the circuit is undefined. Step back towards the last iterate,
         * halving the update, as a line search on the domain; the last
         * iterate was evaluable, so a short enough step is too. At the
         * starting point there is nothing to step back to: the solve fails
         * (a smaller time step or another DC strategy may start elsewhere). */
        for (int back = 0; e->lc.fault_inst && it > 0 && back < NEWTON_BACKTRACK; back++) {
            if (iters) *iters = it + 1;
            it++;
            chord_ok = 0;
            e->lc.iter = it;
            step_back(e, y);
        }
        if (e->lc.fault_inst || it >= rq->maxiter) {
            /* not evaluable here: like a failed iteration (a smaller step or
             * another DC strategy may avoid the region) */
            if (e->lc.fault_inst) snprintf(e->last_fault, sizeof e->last_fault, "%s", e->lc.fault);
            e->start_fault = it == 0 && e->lc.fault_inst;
            e->worst_row = -1;
            e->fact.valid = 0;
            e->chord_carry = 0;
            e->chord_rho = INFINITY;
            return NEWTON_NOCONV;
        }
        if (iters) *iters = it + 1;
        if (it == 0 && chord_ok && e->chord_carry && !factors_for(e, &e->fact, rq, red))
            choose_factors(e, rq, red);
        int chord = chord_ok && (it > 0 || e->chord_carry) && factors_for(e, &e->fact, rq, red);
        if (!e->linear && !chord) e->fact.valid = 0;
        int need_j = !chord && !factor_reusable(e, rq);
        /* the condensation reads the current J in every iteration */
        form_system(e, rq, y, need_j || red);
        if (chord && !red && e->bnd_flips != e->fact.flips) {
            /* an active bound replaced a row since the factorization (the
             * condensed system takes the row from the current J) */
            chord = 0;
            e->fact.valid = 0;
            need_j = 1;
            form_system(e, rq, y, 1);
        }
        if (red && condense_pivots(e->cond, e->J, e->G, e->C, rq->a0, rq->a0row, NULL)) {
            /* a state's pivot vanishes: the full system for this solve */
            red = 0;
            chord = 0;
            e->fact.valid = 0;
            need_j = 1;
        }
        if (rq->damped) {
            /* damped Newton: an update that does not reduce the residual is
             * halved until it does (a line search on the merit function) */
            double phi = merit(e);
            for (int back = 0; it > 0 && !(phi < phi_prev) && back < NEWTON_BACKTRACK; back++) {
                step_back(e, y);
                form_system(e, rq, y, 1);
                phi = e->lc.fault_inst ? INFINITY : merit(e);
            }
            if (e->lc.fault_inst) {
                snprintf(e->last_fault, sizeof e->last_fault, "%s", e->lc.fault);
                e->worst_row = -1;
                e->fact.valid = 0;
                return NEWTON_NOCONV;
            }
            phi_prev = phi;
        }
        if (check_residual(e)) return NEWTON_FATAL;
        if (need_j && factor(e, rq, red)) return NEWTON_FATAL;
        int sst;
        if (red) {
            sst = condense_solve(e->cond, e->J, e->r, e->dy);
        } else {
            for (int i = 0; i < n; i++) e->dy[i] = -e->r[i];
            sst = linsolve_solve(e->ls, e->dy);
        }
        if (sst != LS_OK) {
            engine_error(e, "sparse solve failed at t=%g", e->lc.t);
            return NEWTON_FATAL;
        }
        memcpy(e->yold, y, (size_t)n * sizeof *y);
        int noncon = e->lc.noncon;
        for (int i = 0; i < n; i++) y[i] += e->dy[i];
        for (int i = 0; i < n; i++)
            if (!isfinite(y[i])) {
                if (check_jacobian(e)) return NEWTON_FATAL;
                char *what = engine_describe_unknown(e, i);
                engine_error(e, "solution diverged (%s is %g) at t=%g", what, y[i], e->lc.t);
                free(what);
                return NEWTON_FATAL;
            }
        /* Q at the new point: exact for linear devices, second order for the
         * rest (the step is within tolerance when we stop). */
        for (int k = 0; k < e->ncq; k++) e->Q[e->cq_row[k]] += e->C[e->cq_h[k]] * e->dy[e->cq_col[k]];
        if (e->linear) return NEWTON_OK;   /* one solve of a linear system is exact */
        int small = update_small(e, y);
        if (noncon) chord_ok = 0;
        if (chord) {
            /* the first iteration of a solve has nothing to compare with */
            double w = e->last_worst;
            double rho = it == 0 ? INFINITY : w == 0 ? 0 : prev_worst > 0 ? w / prev_worst : INFINITY;
            /* the error left after a chord update is about rho/(1-rho) of
             * it; an update below CHORD_TINY of the tolerance that still
             * contracts is converged whatever its rate (rho then measures
             * round-off and far-below-tolerance nonlinearity) */
            if (it > 0 && prev_worst > 0) {
                /* the measured contraction of these factors, carried to
                 * the next solves' first iterations */
                e->chord_rho = rho;
                e->chord_unmeasured = 0;
            }
            if (it == 0 && e->chord_unmeasured < CHORD_CARRY_MAX) rho = e->chord_rho;
            int tiny = w <= CHORD_TINY && rho < 0.9;
            if (rho > CHORD_RHO && it > 0 && !tiny) chord_ok = 0;
            if (w > 0 && !tiny && !(rho < CHORD_RHO && w * rho / (1 - rho) <= CHORD_EPS)) small = 0;
        }
        prev_worst = e->last_worst;
        /* a static solve (operating point, DC sweep point) is never accepted
         * on its first iteration, as in ngspice: its start is the previous
         * point with the sources moved, and a source step within reltol of
         * a large voltage passes both tests at that start while the
         * devices it feeds were evaluated before the step (a steep function
         * of that voltage is then off by far more than its tolerance). A
         * time step's start is its predictor, within the truncation error. */
        if (!small || noncon || (it == 0 && rq->a0 == 0)) continue;
        /* r, G, C still describe the iterate the update started from */
        if (!residual_small(e, rq, e->yold)) {
            /* a small update, yet not at a solution: the Jacobian the update
             * came from does not describe the circuit here; take a fresh one */
            chord_ok = 0;
            continue;
        }
        clamp_bounds(e, y);
        e->chord_carry = it <= 2;
        /* a solve accepted on its first chord iteration measured no
         * contraction: after CHORD_CARRY_MAX of them, one must */
        e->chord_unmeasured = chord && it == 0 ? e->chord_unmeasured + 1 : 0;
        return NEWTON_OK;
    }
    e->fact.valid = 0;
    e->chord_carry = 0;
    e->chord_rho = INFINITY;
    return NEWTON_NOCONV;
}
