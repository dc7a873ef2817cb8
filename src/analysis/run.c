/* Runs a deck: one engine for the circuit, then every analysis in netlist
 * order. */
#include "analysis/analysis.h"
#include "util/interrupt.h"

/* a .print for an analysis the netlist does not run would print nothing */
static void warn_unused_prints(const Deck *deck, Diag *d)
{
    for (int k = 0; k < deck->print.n; k++) {
        const OutReq *p = &deck->print.v[k];
        int found = 0;
        for (int i = 0; i < deck->an.n; i++) found |= (int)deck->an.v[i].kind == p->print_kind;
        int first = 1;
        for (int j = 0; j < k; j++) first &= !(deck->print.v[j].loc.line == p->loc.line &&
                                              deck->print.v[j].loc.file == p->loc.file);
        if (!found && first)
            diag_warning(d, &p->loc, ".print for an analysis the netlist does not run: nothing will be printed");
    }
}

int analysis_run_deck(Deck *deck, Sink *sink, const RunOpts *ro, Diag *d)
{
    /* a run that simulates nothing is an error (exit 1), not a success */
    if (deck->an.n == 0) {
        diag_error(d, &deck->loc, "the netlist has no analysis (.op, .dc or .tran, or a .control block that "
                                  "runs one): nothing to simulate");
        return RUN_INPUT_ERROR;
    }
    warn_unused_prints(deck, d);
    return analysis_run(deck, deck->an.v, deck->an.n, sink, ro, d);
}

int analysis_run(Deck *deck, const AnalysisReq *an, int nan, Sink *sink, const RunOpts *ro, Diag *d)
{
    int need_dc = 0;
    for (int i = 0; i < nan; i++) need_dc |= an[i].kind != AN_TRAN || !an[i].uic;
    if (need_dc && circuit_check_topology(deck->ckt, d)) return RUN_INPUT_ERROR;
    Engine *e = engine_new(deck->ckt, &deck->opt, d);
    if (!e) return RUN_SIM_ERROR;
    if (e->n == 0) {
        diag_error(d, &deck->loc, "the circuit has no unknowns (no node other than ground): nothing to simulate");
        engine_free(e);
        return RUN_INPUT_ERROR;
    }
    int rc = RUN_OK;
    for (int i = 0; i < nan && rc == RUN_OK; i++) {
        if (interrupt_requested()) {
            rc = RUN_INTERRUPTED;
            break;
        }
        e->loc = an[i].loc;   /* solver errors point at the analysis line */
        e->loc.col = 0;
        switch (an[i].kind) {
        case AN_OP: rc = run_op(deck, e, &an[i], sink, ro, d); break;
        case AN_DC: rc = run_dc(deck, e, &an[i], sink, ro, d); break;
        case AN_TRAN: rc = run_tran(deck, e, &an[i], sink, ro, d); break;
        case AN_AC: rc = run_ac(deck, e, &an[i], sink, ro, d); break;
        }
    }
    deck->rng_used |= e->rng_used;
    engine_free(e);
    return rc;
}
