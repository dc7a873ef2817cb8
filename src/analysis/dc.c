/* .dc: one or two nested source sweeps (the first source is the inner,
 * fast one, as in SPICE). Each point starts Newton from the previous
 * solution; if that fails the full operating-point strategy is used. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/interrupt.h"

static int npoints(const DcSweep *s)
{
    if (s->step == 0 || s->start == s->stop) return 1;
    return (int)floor((s->stop - s->start) / s->step * (1 + 1e-12) + 1e-9) + 1;
}

static int solve_point(Engine *e, double *y, const Deck *deck)
{
    NewtonReq rq = {.maxiter = e->opt->itl1};
    e->quiet = 1;
    int st = newton_solve(e, &rq, y, NULL);
    e->quiet = 0;
    if (st == NEWTON_OK) return 0;
    DcopInfo info;
    return dcop_solve(e, y, deck->nodeset.v, deck->nodeset.n, NULL, 0, &info);
}

int run_dc(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d)
{
    OutSet os;
    if (outset_build(&os, e, deck, AN_DC, d)) {
        outset_free(&os);
        return RUN_INPUT_ERROR;
    }
    /* the sweep overrides each source's "dc" parameter; both the value and
     * its given-flag are restored afterwards */
    double *val[2];
    double saved[2];
    unsigned char *given[2], saved_given[2];
    for (int k = 0; k < an->nsweep; k++) {
        Instance *src = an->sweep[k].src;
        int idx = param_index(src->type->inst_params, src->type->n_inst_params, "dc");
        val[k] = &src->p[idx];
        given[k] = &src->given[idx];
        saved[k] = *val[k];
        saved_given[k] = *given[k];
        *given[k] = 1;
    }
    const Instance *src0 = an->sweep[0].src;
    int is_v = src0->type->letter == 'V';
    OutVar scale = {is_v ? "v(v-sweep)" : "i(i-sweep)", is_v ? VT_VOLTAGE : VT_CURRENT};
    double *y = xcalloc((size_t)e->n + 1, sizeof *y);
    engine_reset_context(e);
    PlotOut po;
    int rc = RUN_OK;
    if (plotout_begin(&po, sink, ro, deck, "DC transfer characteristic", &scale, &os, d)) rc = RUN_SIM_ERROR;
    po.loc = &an->loc;
    int n0 = npoints(&an->sweep[0]), n1 = an->nsweep > 1 ? npoints(&an->sweep[1]) : 1;
    for (int j = 0; j < n1 && rc == RUN_OK; j++) {
        if (an->nsweep > 1) *val[1] = an->sweep[1].start + j * an->sweep[1].step;
        for (int i = 0; i < n0 && rc == RUN_OK; i++) {
            if (interrupt_requested()) {
                diag_warning(d, &an->loc, "interrupted during the DC sweep: output closed with every point computed");
                rc = RUN_INTERRUPTED;
                break;
            }
            double v = an->sweep[0].start + i * an->sweep[0].step;
            *val[0] = v;
            if (solve_point(e, y, deck)) {
                diag_error(d, &an->loc, "DC sweep failed at %s = %g", an->sweep[0].source, v);
                rc = RUN_SIM_ERROR;
                break;
            }
            engine_accept(e, y);
            po.vals[0] = v;
            outset_eval(&os, y, 0, po.vals + 1);
            if (plotout_point(&po, d)) rc = RUN_SIM_ERROR;
        }
    }
    if (plotout_end(&po, rc == RUN_OK, d)) rc = RUN_SIM_ERROR;
    for (int k = 0; k < an->nsweep; k++) {
        *val[k] = saved[k];
        *given[k] = saved_given[k];
    }
    free(y);
    outset_free(&os);
    return rc;
}
