/* Subcircuit instances (X lines) and flattening. Each instance gets a scope:
 * its parameters (instance values evaluated in the caller's scope, defaults
 * and body .params in the instance's own), its port-to-node map and a
 * prefix for internal node ("x1.n3") and element ("r.x1.r2") names, as
 * ngspice names them. */
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/suggest.h"
#include "util/xmem.h"

static int is_dot(const Card *c)
{
    return c->items[0]->text[0] == '.';
}

int elab_body(Elab *el, Scope *s, const Card *const *cards, int n)
{
    const Card **rest;
    int nrest, rc = collect_defs(el, s, cards, n, &rest, &nrest);
    for (int i = 0; i < nrest; i++) {
        const Card *c = rest[i];
        if (!is_dot(c)) {
            if (elab_element(el, s, c)) rc = -1;
        } else if (s->parent) {
            rc = -1;   /* reported where the subcircuit is defined */
        } else if (elab_control(el, c)) {
            rc = -1;
        }
    }
    free(rest);
    return rc;
}

static void suggest_subckt(Elab *el, Scope *s, const Item *it)
{
    VEC(const char *) names = {0};
    for (Scope *sc = s; sc; sc = sc->parent)
        for (size_t i = 0; i < sc->subckts.cap; i++)
            if (sc->subckts.slot[i].key) VEC_PUSH(names, sc->subckts.slot[i].key);
    const char *hint = suggest_closest(it->text, names.v, names.n);
    elab_error(el, s, &it->loc, "unknown subcircuit '%s'%s%s%s", it->text, hint ? "; did you mean '" : "",
               hint ? hint : "", hint ? "'?" : "");
    VEC_FREE(names);
}

static int recursion_check(Elab *el, Scope *s, const SubcktDef *sd, const Card *c)
{
    for (int i = 0; i < el->stack.n; i++) {
        if (el->stack.v[i] != sd) continue;
        char *chain = xstrdup(sd->name);
        for (int j = i + 1; j < el->stack.n; j++) {
            char *t = xasprintf("%s -> %s", chain, el->stack.v[j]->name);
            free(chain);
            chain = t;
        }
        char *t = xasprintf("%s -> %s", chain, sd->name);
        elab_error(el, s, &c->loc, "recursive subcircuit: %s", t);
        free(t);
        free(chain);
        return -1;
    }
    return 0;
}

/* instance parameters: given values (caller scope) and defaults (own scope) */
static int bind_params(Elab *el, Scope *caller, Scope *inst, const SubcktDef *sd, const Card *c, int first)
{
    int rc = 0;
    for (int k = first; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind == ITEM_WORD && strcmp(it->text, "params:") == 0) continue;
        if (it->kind != ITEM_ASSIGN || it->key->kind != ITEM_WORD) {
            elab_error(el, caller, &it->loc, "%s: expected name=value after the subcircuit name", c->items[0]->text);
            rc = -1;
            continue;
        }
        int known = 0;
        for (int d = 0; d < sd->ndefaults; d++) known |= strcmp(sd->defaults[d]->key->text, it->key->text) == 0;
        if (!known) {
            elab_error(el, caller, &it->key->loc, "subcircuit '%s' has no parameter '%s'", sd->name, it->key->text);
            rc = -1;
            continue;
        }
        double v;
        if (scope_eval_item(el, caller, c, it->value, 1, &v)) rc = -1;
        scope_set_value(el, inst, it->key->text, v, &it->value->loc);
    }
    for (int d = 0; d < sd->ndefaults; d++) {
        const Item *it = sd->defaults[d];
        if (strmap_get(&inst->params, it->key->text, NULL)) continue;
        const char *text = it->value->kind == ITEM_EXPR || it->value->kind == ITEM_WORD ? it->value->text : NULL;
        if (!text) {
            elab_error(el, inst, &it->value->loc, "parameter default must be a value or {expression}");
            rc = -1;
            continue;
        }
        scope_add_param(el, inst, it->key->text, text, &it->value->loc);
    }
    return rc;
}

int elab_instance(Elab *el, Scope *s, const Card *c)
{
    const char *name = c->items[0]->text;
    int nwords = 0;
    while (1 + nwords < c->nitems && c->items[1 + nwords]->kind == ITEM_WORD &&
           strcmp(c->items[1 + nwords]->text, "params:") != 0)
        nwords++;
    if (nwords < 1) {
        elab_error(el, s, &c->loc, "%s: expected nodes and a subcircuit name", name);
        return -1;
    }
    const Item *subname = c->items[nwords];
    SubcktDef *sd = SCOPE_FIND(s, subckts, subname->text);
    if (!sd) {
        suggest_subckt(el, s, subname);
        return -1;
    }
    int nnodes = nwords - 1;
    if (nnodes != sd->nports) {
        char where[512];
        elab_error(el, s, &c->loc, "%s: subcircuit '%s' has %d port%s (%s), %d node%s given", name, sd->name,
                   sd->nports, sd->nports == 1 ? "" : "s", srcloc_str(&sd->card->loc, where, sizeof where), nnodes,
                   nnodes == 1 ? "" : "s");
        return -1;
    }
    if (recursion_check(el, s, sd, c)) return -1;
    if (el->stack.n >= ELAB_MAX_SUBCKT_DEPTH) {
        elab_error(el, s, &c->loc, "subcircuits nested deeper than %d levels", ELAB_MAX_SUBCKT_DEPTH);
        return -1;
    }
    sd->used = 1;
    char *prefix = xasprintf("%s%s.", s->prefix, name);
    char *path = xstrndup(prefix, strlen(prefix) - 1);
    Scope *inst = scope_new(el, sd->def_scope, prefix, path, &c->loc);
    free(prefix);
    free(path);
    for (int k = 0; k < nnodes; k++) {
        int node = elab_node(el, s, c->items[1 + k]->text, &c->items[1 + k]->loc);
        strmap_put(&inst->ports, sd->ports[k], strmap_int_to_ptr(node));
    }
    int rc = bind_params(el, s, inst, sd, c, 1 + nwords);
    VEC_PUSH(el->stack, sd);
    if (elab_body(el, inst, sd->body, sd->nbody)) rc = -1;
    el->stack.n--;
    return rc;
}
