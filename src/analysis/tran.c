/* .tran tstep tstop [tstart [tmax]] [uic]: initial point (operating point,
 * or the given initial conditions with uic), then every accepted time point
 * is streamed to the sinks as it is accepted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis.h"
#include "engine/transient.h"
#include "output/progress.h"
#include "util/interrupt.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* initial solution: uic -> .ic values and device initial conditions;
 * otherwise the operating point with sources at t = 0 and .ic nodes held */
static int initial_point(Deck *deck, Engine *e, const AnalysisReq *an, double *y, const RunOpts *ro, Diag *d)
{
    if (an->uic) {
        /* node voltages: unknown (NaN) until .ic or a device fixes them
         * (a capacitor's ic= across it, a source's value at t = 0,
         * propagated from node to node); the rest 0 */
        for (int i = 0; i < e->n; i++) y[i] = e->uk.v[i].kind == UK_VOLTAGE ? NAN : 0;
        y[e->n] = 0;
        for (int k = 0; k < deck->ic.n; k++) y[deck->ic.v[k].node - 1] = deck->ic.v[k].value;
        engine_reset_context(e);
        e->lc.t = 0;
        e->lc.tran = 1;
        e->lc.tstep = an->tstep;
        e->lc.tstop = an->tstop;
        for (int pass = 0, known = -1; pass <= e->n; pass++) {
            for (int g = 0; g < e->ckt->ngroups; g++) {
                InstGroup *grp = &e->ckt->groups[g];
                if (grp->type->init_uic) grp->type->init_uic(grp, y, &e->lc);
            }
            int now = 0;
            for (int i = 0; i < e->n; i++) now += !isnan(y[i]);
            if (now == known) break;
            known = now;
        }
        for (int i = 0; i < e->n; i++)
            if (isnan(y[i])) y[i] = 0;
        return 0;
    }
    DcopInfo info;
    if (dcop_solve(e, y, deck->nodeset.v, deck->nodeset.n, deck->ic.v, deck->ic.n, &info)) {
        diag_note(d, &an->loc, "the transient needs an initial operating point; .tran ... uic skips it");
        return -1;
    }
    engine_accept(e, y);
    if (strcmp(info.method, "newton") != 0 && !ro->quiet)
        diag_note(d, &an->loc, "initial operating point found by %s", info.method);
    return 0;
}

int run_tran(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d)
{
    OutSet os;
    if (outset_build(&os, e, deck, AN_TRAN, d)) {
        outset_free(&os);
        return RUN_INPUT_ERROR;
    }
    double t0 = now_seconds();
    long fact0 = e->n_factor;
    double span = an->tstop - an->tstart;
    /* maximum step as ngspice: tmax if given, else min(tstep, span/50) */
    double tmax = an->tmax > 0 ? an->tmax : fmin(an->tstep, span / 50);
    double *y = xcalloc((size_t)e->n + 1, sizeof *y);
    engine_reset_context(e);
    e->lc.tran = 1;
    e->lc.tstep = an->tstep;
    e->lc.tstop = an->tstop;
    int rc = RUN_OK;
    if (initial_point(deck, e, an, y, ro, d)) {
        free(y);
        outset_free(&os);
        return RUN_SIM_ERROR;
    }
    OutVar scale = {"time", VT_TIME};
    PlotOut po;
    TranCtl *tc = NULL;
    if (plotout_begin(&po, sink, ro, deck, "Transient Analysis", &scale, &os, d)) rc = RUN_SIM_ERROR;
    po.loc = &an->loc;
    if (rc == RUN_OK) tc = tran_new(e, an->tstep, an->tstop, tmax, y, an->uic);
    /* the initial point is a solution only when it comes from an operating
     * point; with uic it is an incomplete guess, and like ngspice the output
     * starts at the first time step */
    long points = 0;
    if (rc == RUN_OK && an->tstart <= 0 && !an->uic) {
        po.vals[0] = 0;
        outset_eval(&os, y, 0, po.vals + 1);
        if (plotout_point(&po, d)) rc = RUN_SIM_ERROR;
        points++;
    }
    Progress *pg = progress_new(stderr, ro->progress, "tran");
    while (rc == RUN_OK && tran_time(tc) < an->tstop) {
        if (interrupt_requested()) {
            diag_warning(d, &an->loc, "interrupted at t=%g s: output closed with every accepted point",
                         tran_time(tc));
            rc = RUN_INTERRUPTED;
            break;
        }
        if (tran_step(tc)) {
            rc = RUN_SIM_ERROR;
            break;
        }
        double t = tran_time(tc);
        if (t >= an->tstart) {
            po.vals[0] = t;
            outset_eval(&os, tran_solution(tc), t, po.vals + 1);
            if (plotout_point(&po, d)) rc = RUN_SIM_ERROR;
            points++;
        }
        progress_update(pg, t, 0, an->tstop, tran_stats(tc)->accepted);
    }
    progress_done(pg);
    if (plotout_end(&po, rc == RUN_OK, d)) rc = RUN_SIM_ERROR;
    if (tc && !ro->quiet) {
        const TranStats *st = tran_stats(tc);
        fprintf(ro->log ? ro->log : stderr,
                "memspice: tran: %ld points, %ld steps accepted, %ld rejected (truncation error), %ld "
                "rejected (Newton), %ld Newton iterations, %ld factorizations, %ld jumps, %.3f s\n",
                points, st->accepted, st->rejected_lte, st->rejected_newton, st->iterations, e->n_factor - fact0,
                st->jumps,
                now_seconds() - t0);
    }
    tran_free(tc);
    free(y);
    outset_free(&os);
    return rc;
}
