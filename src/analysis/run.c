/* Runs a deck: one engine for the circuit, then every analysis in netlist
 * order. */
#include "analysis/analysis.h"

static int needs_dc_solve(const Deck *deck)
{
    for (int i = 0; i < deck->an.n; i++)
        if (deck->an.v[i].kind != AN_TRAN || !deck->an.v[i].uic) return 1;
    return 0;
}

int analysis_run_deck(Deck *deck, Sink *sink, const RunOpts *ro, Diag *d)
{
    if (deck->an.n == 0) {
        diag_warning(d, NULL, "the netlist has no analysis (.op, .dc or .tran): nothing to simulate");
        return RUN_OK;
    }
    if (needs_dc_solve(deck) && circuit_check_topology(deck->ckt, d)) return RUN_INPUT_ERROR;
    Engine *e = engine_new(deck->ckt, &deck->opt, d);
    if (!e) return RUN_SIM_ERROR;
    int rc = RUN_OK;
    for (int i = 0; i < deck->an.n && rc == RUN_OK; i++) {
        const AnalysisReq *an = &deck->an.v[i];
        switch (an->kind) {
        case AN_OP: rc = run_op(deck, e, an, sink, ro, d); break;
        case AN_DC: rc = run_dc(deck, e, an, sink, ro, d); break;
        case AN_TRAN: rc = run_tran(deck, e, an, sink, ro, d); break;
        }
    }
    engine_free(e);
    return rc;
}
