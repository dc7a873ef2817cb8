/* Entry point of elaboration: syntax tree -> Deck. */
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "netlist/elaborate.h"
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

Deck *elaborate(const Netlist *nl, const ElabOpts *opt, Diag *d)
{
    static const ElabOpts none = {0};
    Deck *deck = xcalloc(1, sizeof *deck);
    deck->title = xstrdup(nl->title ? nl->title : "");
    deck->loc = nl->title_loc;
    deck->loc.col = 0;
    deck->ckt = circuit_new();
    simoptions_defaults(&deck->opt);
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
    deck->ckt->temp = deck->opt.temp;   /* device checks may compare with the ambient temperature */
    if (rc == 0 && el.errors == 0) rc = circuit_finalize(deck->ckt, d);
    if (rc == 0 && el.errors == 0) rc = elab_resolve_requests(&el);
    if (rc == 0 && el.errors == 0 && deck->ckt->ngroups == 0)
        diag_warning(d, &deck->loc, "the netlist has no circuit elements");
    int failed = rc != 0 || el.errors != 0;
    for (int i = 0; !failed && i < el.subckts.n; i++)
        if (el.subckts.v[i]->def_scope == el.top && !el.subckts.v[i]->used)
            diag_warning(d, &el.subckts.v[i]->card->loc, "subcircuit '%s' is defined but never used",
                         el.subckts.v[i]->name);
    elab_free(&el);
    if (failed) {
        deck_free(deck);
        return NULL;
    }
    return deck;
}
