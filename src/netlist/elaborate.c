/* Entry point of elaboration: syntax tree -> Deck. */
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "netlist/elaborate.h"
#include "circuit/param.h"
#include "util/dialect.h"
#include "util/xmem.h"

static void collect_globals(Elab *el)
{
    for (int i = 0; i < el->nl->ncards; i++) {
        const Card *c = el->nl->cards[i];
        if (strcmp(c->items[0]->text, ".global") != 0) continue;
        for (int k = 1; k < c->nitems; k++)
            if (c->items[k]->kind == ITEM_WORD) strmap_put(&el->globals, c->items[k]->text, NULL);
    }
}

/* top-level models are checked even when no element uses them */
static void make_top_models(Elab *el)
{
    for (int i = 0; i < el->models.n; i++) {
        ModelDef *m = el->models.v[i];
        if (m->scope == el->top && !m->made) elab_model(el, el->top, m->name, &m->card->loc);
    }
}

/* LTspice's direct .step forms: model parameters before the circuit's
 * checks, source values once instances can be found by name */
static int apply_sets(const ElabOpts *eo, Circuit *ckt, ElabSetKind kind, Diag *d)
{
    int rc = 0;
    for (int k = 0; k < eo->nsets; k++) {
        const ElabSet *s = &eo->sets[k];
        if (s->kind != kind) continue;
        if (s->kind == ELAB_SET_MODEL) {
            Model *m = circuit_find_model(ckt, s->target);
            int idx = m ? param_index(m->type->model_params, m->type->n_model_params, s->param) : -1;
            if (!m) diag_error(d, &s->loc, ".step: no top-level .model '%s'", s->target);
            else if (idx < 0) diag_error(d, &s->loc, ".step: model '%s' (%s) has no parameter '%s'", s->target,
                                         m->type->name, s->param);
            else if (m->type->model_params[idx].flags & PF_TABLE) {
                diag_error(d, &s->loc, ".step: %s= of model '%s' is a table file, not a number", s->param, s->target);
                idx = -1;
            }
            if (idx < 0) {
                rc = -1;
                continue;
            }
            /* and the per-instance copies of a model with random parameters (same name) */
            for (int i = 0; i < ckt->models.n; i++)
                if (ckt->models.v[i] == m || strcmp(ckt->models.v[i]->name, m->name) == 0) {
                    ckt->models.v[i]->p[idx] = s->value;
                    ckt->models.v[i]->given[idx] = 1;
                }
        } else {
            Instance *in = circuit_find_instance(ckt, s->target);
            int idx = in && in->type->waveform ? param_index(in->type->inst_params, in->type->n_inst_params, "dc")
                                               : -1;
            if (idx < 0) {
                diag_error(d, &s->loc, ".step: '%s' is not an independent source of the top level", s->target);
                rc = -1;
                continue;
            }
            in->p[idx] = s->value;
            in->given[idx] = 1;
        }
    }
    return rc;
}

Deck *elaborate(const Netlist *nl, const ElabOpts *opt, Diag *d)
{
    static const ElabOpts none = {0};
    Deck *deck = xcalloc(1, sizeof *deck);
    deck->title = xstrdup(nl->title ? nl->title : "");
    deck->loc = nl->title_loc;
    deck->loc.col = 0;
    deck->ckt = circuit_new();
    simoptions_defaults(&deck->opt);
    deck->dialect = opt ? opt->dialect : 0;
    deck->ckt->ic_in_op = deck->dialect == DIALECT_XYCE;
    Elab el = {0};
    el.nl = nl;
    el.eo = opt ? opt : &none;
    el.d = d;
    el.deck = deck;
    el.top = scope_new(&el, NULL, "", NULL, NULL);
    collect_globals(&el);
    int rc = elab_body(&el, el.top, (const Card *const *)nl->cards, nl->ncards);
    if (el.errors == 0) make_top_models(&el);
    if (el.eo->temp_given) deck->opt.temp = el.eo->temp;   /* .step temp */
    if (rc == 0 && el.errors == 0 && apply_sets(el.eo, deck->ckt, ELAB_SET_MODEL, d)) rc = -1;
    deck->ckt->temp = deck->opt.temp;   /* device checks may compare with the ambient temperature */
    if (rc == 0 && el.errors == 0) elab_current_probes(&el);
    if (rc == 0 && el.errors == 0) rc = circuit_finalize(deck->ckt, d);
    if (rc == 0 && el.errors == 0 && apply_sets(el.eo, deck->ckt, ELAB_SET_SOURCE, d)) rc = -1;
    if (rc == 0 && el.errors == 0) rc = elab_resolve_requests(&el);
    if (rc == 0 && el.errors == 0 && deck->ckt->ngroups == 0)
        diag_warning(d, &deck->loc, "the netlist has no circuit elements");
    int failed = rc != 0 || el.errors != 0;
    for (int i = 0; !failed && i < el.subckts.n; i++)
        if (el.subckts.v[i]->def_scope == el.top && !el.subckts.v[i]->used)
            diag_warning(d, &el.subckts.v[i]->card->loc, "subcircuit '%s' is defined but never used",
                         el.subckts.v[i]->name);
    deck->random_draws = el.rnd_draws;
    elab_free(&el);
    if (failed) {
        deck_free(deck);
        return NULL;
    }
    return deck;
}
