/* DC operating point: plain Newton first (from the given guess with the
 * .nodeset/.ic values written in); then Newton from the solution of the
 * circuit's linear devices alone (newton_linear_start); then gmin stepping
 * (a shunt conductance on every node, reduced step by step to zero); then
 * source stepping (all independent sources ramped from 0 to full value).
 * Each continuation step starts from the previous solution. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

#define DCOP_METHODS "tried Newton, Newton from the linear part, damped Newton, gmin stepping, source stepping"

typedef struct Trial {
    Engine *e;
    NewtonReq rq;
    double *y;        /* current accepted solution */
    double *ysave;
    int iters;
} Trial;

static int try_solve(Trial *tr)
{
    int n = tr->e->n;
    memcpy(tr->ysave, tr->y, ((size_t)n + 1) * sizeof *tr->y);
    int it = 0;
    int st = newton_solve(tr->e, &tr->rq, tr->y, &it);
    tr->iters += it;
    if (st != NEWTON_OK) memcpy(tr->y, tr->ysave, ((size_t)n + 1) * sizeof *tr->y);
    return st;
}

static int gmin_stepping(Trial *tr)
{
    const SimOptions *o = tr->e->opt;
    if (o->gminsteps <= 0) return NEWTON_NOCONV;
    double g = 1e-2, g_good = -1, factor = 10;
    for (int guard = 0; guard < 1000; guard++) {
        tr->rq.gshunt = g;
        if (try_solve(tr) == NEWTON_OK) {
            g_good = g;
            if (g <= o->gmin) break;
            factor = fmin(factor * factor, 10);
            g = fmax(g / factor, o->gmin);
        } else if (g_good < 0) {
            if (g >= 1) return NEWTON_NOCONV;   /* not even with 1 S on every node */
            g *= 10;
        } else {
            factor = sqrt(factor);
            if (factor < 1.00005) return NEWTON_NOCONV;
            g = g_good / factor;
        }
    }
    tr->rq.gshunt = 0;
    return try_solve(tr);
}

static int source_stepping(Trial *tr)
{
    Engine *e = tr->e;
    if (e->opt->srcsteps <= 0) return NEWTON_NOCONV;
    memset(tr->y, 0, ((size_t)e->n + 1) * sizeof *tr->y);
    double fact = 0, raise = 1e-3;
    e->lc.srcfact = 0;
    int st = try_solve(tr);
    if (st == NEWTON_OK)
        while (fact < 1) {
            double next = fmin(1.0, fact + raise);
            e->lc.srcfact = next;
            int before = tr->iters;
            st = try_solve(tr);
            if (st == NEWTON_OK) {
                fact = next;
                if (tr->iters - before < tr->rq.maxiter / 4) raise *= 1.5;
            } else {
                raise /= 10;
                if (raise < 1e-7) break;
            }
        }
    e->lc.srcfact = 1;
    return fact >= 1 ? NEWTON_OK : NEWTON_NOCONV;
}

int dcop_solve(Engine *e, double *y, const NodeValue *nodeset, int nnodeset, const NodeValue *ic, int nic,
               DcopInfo *info)
{
    Trial tr = {0};
    tr.e = e;
    tr.y = y;
    tr.ysave = xmalloc(((size_t)e->n + 1) * sizeof *y);
    tr.rq.maxiter = e->opt->itl1;
    tr.rq.force = ic;
    tr.rq.nforce = nic;
    e->lc.srcfact = 1;
    info->method = "newton";
    int st = NEWTON_NOCONV;
    e->quiet = 1;
    e->last_err[0] = '\0';
    e->last_fault[0] = '\0';
    /* Newton starts where the user said the circuit is: .nodeset and .ic
     * values (held in the first solves) are also its first iterate */
    for (int k = 0; k < nic; k++) y[ic[k].node - 1] = ic[k].value;
    for (int k = 0; k < nnodeset; k++) y[nodeset[k].node - 1] = nodeset[k].value;
    double *ystart = xmalloc(((size_t)e->n + 1) * sizeof *y);
    memcpy(ystart, y, ((size_t)e->n + 1) * sizeof *y);
    if (nnodeset > 0) {
        /* .nodeset: converge with the nodes held, then release them */
        NodeValue *both = xmalloc((size_t)(nnodeset + nic) * sizeof *both);
        if (nic) memcpy(both, ic, (size_t)nic * sizeof *ic);
        memcpy(both + nic, nodeset, (size_t)nnodeset * sizeof *nodeset);
        tr.rq.force = both;
        tr.rq.nforce = nic + nnodeset;
        try_solve(&tr);
        tr.rq.force = ic;
        tr.rq.nforce = nic;
        free(both);
    }
    st = try_solve(&tr);
    int start_fault = st != NEWTON_OK && e->start_fault;
    if (st != NEWTON_OK && newton_linear_start(e, &tr.rq, y) == 0) {
        /* from the node voltages the linear devices alone give (sources
         * set their nodes), where a device undefined at 0 V is defined */
        info->method = "newton from the linear part";
        st = try_solve(&tr);
        if (st != NEWTON_OK && !start_fault) memcpy(y, ystart, ((size_t)e->n + 1) * sizeof *y);
    }
    if (st != NEWTON_OK) {
        /* damped Newton from the same start: a comparator whose linear
         * range is microvolts wide makes plain Newton jump between its
         * rails; halving updates that do not lower the residual finds it */
        info->method = "damped newton";
        tr.rq.damped = 1;
        st = try_solve(&tr);
        tr.rq.damped = 0;
    }
    if (st != NEWTON_OK) {
        /* from the first start, unless a device could not be evaluated
         * there; then from the linear part's solution */
        info->method = "gmin stepping";
        st = gmin_stepping(&tr);
    }
    if (st != NEWTON_OK) {
        info->method = "source stepping";
        tr.rq.gshunt = 0;
        st = source_stepping(&tr);
    }
    e->quiet = 0;
    info->iters = tr.iters;
    free(tr.ysave);
    free(ystart);
    if (st != NEWTON_OK) {
        char *what = engine_describe_unknown(e, e->worst_row);
        char fb[600];
        if (e->last_fault[0] && !e->last_err[0])
            diag_error(e->diag, e->loc.file ? &e->loc : NULL,
                       "DC operating point failed (" DCOP_METHODS "): %s", e->last_fault);
        else if (e->last_err[0])
            diag_error(e->diag, e->loc.file ? &e->loc : NULL, "DC operating point failed (" DCOP_METHODS "): %s", e->last_err);
        else
            diag_error(e->diag, e->loc.file ? &e->loc : NULL,
                       "DC operating point did not converge (" DCOP_METHODS "); the unknown "
                       "furthest from convergence is %s%s",
                       what, engine_fault_suffix(e, fb, sizeof fb));
        free(what);
        return -1;
    }
    return 0;
}
