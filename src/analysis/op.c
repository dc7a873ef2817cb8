/* .op: DC operating point, listed on stdout and written as a one-point plot. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

static void print_op(const Engine *e, const double *y, FILE *out)
{
    fprintf(out, "\nOperating point\n");
    fprintf(out, "%-28s %s\n", "Unknown", "Value");
    for (int i = 0; i < e->n; i++)
        if (!e->uk.v[i].hidden) fprintf(out, "%-28s % .9e\n", e->uk.v[i].name, y[i]);
    fprintf(out, "\n");
}

int run_op(Deck *deck, Engine *e, const AnalysisReq *an, Sink *sink, const RunOpts *ro, Diag *d)
{
    OutSet os;
    if (outset_build(&os, e, deck, AN_OP, d)) {
        outset_free(&os);
        return RUN_INPUT_ERROR;
    }
    double *y = xcalloc((size_t)e->n + 1, sizeof *y);
    engine_reset_context(e);
    DcopInfo info;
    int rc = RUN_OK;
    if (dcop_solve(e, y, deck->nodeset.v, deck->nodeset.n, NULL, 0, &info)) {
        rc = RUN_SIM_ERROR;
    } else {
        engine_accept(e, y);
        if (strcmp(info.method, "newton") != 0 && !ro->quiet)
            diag_note(d, &an->loc, "operating point found by %s", info.method);
        if (ro->out && !os.nprint) print_op(e, y, ro->out);
        PlotOut po;
        if (plotout_begin(&po, sink, ro, deck, "Operating Point", NULL, &os, d)) rc = RUN_SIM_ERROR;
        po.loc = &an->loc;
        outset_eval(&os, y, 0, po.vals);
        if (rc == RUN_OK && plotout_point(&po, d)) rc = RUN_SIM_ERROR;
        if (plotout_end(&po, rc == RUN_OK, d)) rc = RUN_SIM_ERROR;
    }
    free(y);
    outset_free(&os);
    return rc;
}
