/* Subcircuit instances (X lines) and flattening. Each instance gets a scope:
 * its parameters (instance values evaluated in the caller's scope, defaults
 * and body .params in the instance's own), its port-to-node map and a
 * prefix for internal node ("x1.n3") and element ("r.x1.r2") names, as
 * ngspice names them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/interrupt.h"
#include "util/suggest.h"
#include "util/xmem.h"

static int is_dot(const Card *c)
{
    return c->items[0]->text[0] == '.';
}

/* ---- counting the expansion before building it ----
 *
 * Nested subcircuits multiply: 20 levels of two instances each make 2^20
 * elements from 20 lines. Before the top level builds anything, the
 * instances of the flat circuit (elements plus subcircuit instances) are
 * counted from the definitions alone, resolving X lines as elaboration will
 * (lexically: definitions nested in the body first, then the enclosing
 * ones), each definition counted once. A netlist over the limit
 * (.options maxelements, default ELAB_MAX_ELEMENTS) is an error. */

/* where names resolve: the .subckt definitions among cards[0..n) (at their
 * own nesting level), then `up`; the outermost frame is a real scope */
typedef struct Frame {
    const Card *const *cards;
    int n;
    const struct Frame *up;
    Scope *scope;           /* set in the outermost frame only */
} Frame;

static int is_word(const Card *c, const char *w)
{
    return strcmp(c->items[0]->text, w) == 0;
}

/* index of the matching .ends of the .subckt at cards[i] (n if missing) */
static int ends_of(const Card *const *cards, int n, int i)
{
    int depth = 1, j = i + 1;
    for (; j < n; j++) {
        if (is_word(cards[j], ".subckt")) depth++;
        else if (is_word(cards[j], ".ends") && --depth == 0) break;
    }
    return j;
}

/* the subcircuit name of an X line, as elab_instance reads it */
static const char *x_subckt_name(const Card *c)
{
    int nwords = 0;
    while (1 + nwords < c->nitems && c->items[1 + nwords]->kind == ITEM_WORD &&
           strcmp(c->items[1 + nwords]->text, "params:") != 0)
        nwords++;
    return nwords >= 1 ? c->items[nwords]->text : NULL;
}

static double count_range(Elab *el, const Frame *f, int depth);

/* instances made by one instance of a definition (its .subckt line `def`,
 * its body, names in the body resolving in a frame over `up`), counted once */
static double count_def(Elab *el, const Card *def, const Card *const *body, int nbody, const Frame *up, int depth)
{
    char key[32];
    snprintf(key, sizeof key, "%p", (const void *)def);
    void *v;
    if (strmap_get(&el->expansion, key, &v)) {
        double c = el->expcount.v[strmap_ptr_to_int(v) - 1];
        return c < 0 ? 0 : c;   /* recursion: reported when elaborated */
    }
    if (depth > ELAB_MAX_SUBCKT_DEPTH) return 0;   /* reported when elaborated */
    VEC_PUSH(el->expcount, -1.0);
    int slot = el->expcount.n - 1;
    strmap_put(&el->expansion, key, strmap_int_to_ptr(slot + 1));
    Frame f = {body, nbody, up, NULL};
    double c = count_range(el, &f, depth + 1);
    el->expcount.v[slot] = c;
    return c;
}

static double count_x(Elab *el, const Frame *f, const Card *c, int depth)
{
    const char *name = x_subckt_name(c);
    if (!name) return 0;
    for (const Frame *g = f; g; g = g->up) {
        if (g->scope) {   /* definitions already collected in a real scope */
            SubcktDef *sd = SCOPE_FIND(g->scope, subckts, name);
            if (!sd) return 0;   /* unknown: reported when elaborated */
            Frame outer = {NULL, 0, NULL, sd->def_scope};
            return count_def(el, sd->card, sd->body, sd->nbody, &outer, depth);
        }
        for (int i = 0; i < g->n; i++) {
            if (!is_word(g->cards[i], ".subckt")) continue;
            const Card *d = g->cards[i];
            int end = ends_of(g->cards, g->n, i);
            if (d->nitems >= 2 && d->items[1]->kind == ITEM_WORD && strcmp(d->items[1]->text, name) == 0)
                return count_def(el, d, g->cards + i + 1, end - i - 1, g, depth);
            i = end;
        }
    }
    return 0;
}

/* instances made by the cards of a frame (nested definitions skipped) */
static double count_range(Elab *el, const Frame *f, int depth)
{
    double total = 0;
    for (int i = 0; i < f->n; i++) {
        const Card *c = f->cards[i];
        const char *w = c->items[0]->text;
        if (is_word(c, ".subckt")) i = ends_of(f->cards, f->n, i);
        else if (is_word(c, ".crossbar")) total += elab_crossbar_count(el, NULL, c);
        else if (w[0] == 'x') total += 1 + count_x(el, f, c, depth);
        else if (w[0] != '.') total += 1;
    }
    return total;
}

/* .options maxelements=N, read ahead of the other options (they are read in
 * netlist order, after the elements) */
static double max_elements(Elab *el, const Card *const *cards, int n)
{
    double lim = ELAB_MAX_ELEMENTS;
    for (int i = 0; i < n; i++) {
        const Card *c = cards[i];
        if (!is_word(c, ".options") && !is_word(c, ".option") && !is_word(c, ".opt")) continue;
        for (int k = 1; k < c->nitems; k++) {
            const Item *it = c->items[k];
            double v;
            if (it->kind == ITEM_ASSIGN && it->key->kind == ITEM_WORD && !strcmp(it->key->text, "maxelements") &&
                scope_eval_item(el, el->top, c, it->value, 0, &v) == 0 && v > 0)
                lim = v;   /* a bad value is reported with the other options */
        }
    }
    return lim;
}

/* the top level's cards (definitions collected): refuse an expansion over
 * the limit, pointing at the X line that contributes most */
static int check_expansion(Elab *el, Scope *top, const Card *const *rest, int nrest)
{
    Frame f = {NULL, 0, NULL, top};
    double total = 0, worst = -1;
    const Card *worst_card = NULL;
    for (int i = 0; i < nrest; i++) {
        const Card *c = rest[i];
        const char *w = c->items[0]->text;
        if (is_word(c, ".crossbar")) {
            double k = elab_crossbar_count(el, top, c);
            if (k > worst) worst = k, worst_card = c;
            total += k;
            continue;
        }
        if (w[0] == '.') continue;
        double k = 1;
        if (w[0] == 'x') {
            k += count_x(el, &f, c, 0);
            if (k > worst) worst = k, worst_card = c;
        }
        total += k;
    }
    double lim = max_elements(el, rest, nrest);
    if (!(total > lim)) return 0;
    elab_error(el, top, worst_card ? &worst_card->loc : NULL,
               "the flattened circuit would have %.4g element and subcircuit instances, more than the limit of %.4g"
               " (this line alone makes %.4g; .options maxelements=N raises the limit)",
               total, lim, worst);
    return -1;
}

/* SIGINT/SIGTERM while elaborating: stop (sim_run exits with 3) */
static int elab_interrupted(Elab *el)
{
    if (!interrupt_requested()) return 0;
    if (!el->interrupted)
        diag_warning(el->d, NULL, "interrupted while reading the netlist: nothing simulated");
    el->interrupted = 1;
    return 1;
}

/* a top-level subcircuit `sub` with a params: default or a .param named `name` */
static int sub_has_param(Scope *top, const char *sub, const char *name)
{
    SubcktDef *sd = strmap_find(&top->subckts, sub);
    if (!sd) return 0;
    for (int d = 0; d < sd->ndefaults; d++)
        if (!strcmp(sd->defaults[d]->key->text, name)) return 1;
    for (int b = 0; b < sd->nbody; b++) {
        const Card *c = sd->body[b];
        if (!c->nitems || strcmp(c->items[0]->text, ".param")) continue;
        for (int k = 1; k < c->nitems; k++)
            if (c->items[k]->kind == ITEM_ASSIGN && c->items[k]->key->kind == ITEM_WORD &&
                !strcmp(c->items[k]->key->text, name))
                return 1;
    }
    return 0;
}

/* alterparam sub name: the value replacing subcircuit `sub`'s parameter `name`, or NULL */
static const ParamOverride *sub_override(const Elab *el, const char *sub, const char *name)
{
    const ParamOverride *found = NULL;
    for (int k = 0; sub && k < el->eo->nov; k++) {
        const ParamOverride *o = &el->eo->ov[k];
        if (o->sub && !strcmp(o->sub, sub) && !strcmp(o->name, name)) found = o;
    }
    return found;
}

/* --param and .step values replace top-level .param definitions (before
 * anything is evaluated, so parameters defined through them follow). A
 * .step name without a .param is defined by it, as in LTspice; --param
 * must name an existing one. */
static int apply_overrides(Elab *el, Scope *top)
{
    int rc = 0;
    for (int k = 0; k < el->eo->nov; k++) {
        const ParamOverride *o = &el->eo->ov[k];
        if (o->sub) {
            if (!sub_has_param(top, o->sub, o->name)) {
                elab_error(el, NULL, o->loc.file ? &o->loc : NULL, "%s %s %s: the netlist has no subcircuit '%s' "
                           "with a parameter '%s'", o->origin, o->sub, o->name, o->sub, o->name);
                rc = -1;
            }
            continue;
        }
        ParamDef *p = strmap_find(&top->params, o->name);
        if (!p && !strcmp(o->origin, ".step")) {
            /* LTspice: a stepped name needs no .param (.step param run 1 100 1) */
            scope_set_value(el, top, o->name, o->value, &o->loc);
            continue;
        }
        if (!p || !p->dotparam) {
            elab_error(el, NULL, o->loc.file ? &o->loc : NULL, "%s %s: the netlist has no top-level .param '%s'",
                       o->origin, o->name, o->name);
            rc = -1;
            continue;
        }
        p->state = 2;
        p->value = o->value;
    }
    return rc;
}

int elab_body(Elab *el, Scope *s, const Card *const *cards, int n)
{
    const Card **rest;
    int nrest, rc = collect_defs(el, s, cards, n, &rest, &nrest);
    if (s == el->top && apply_overrides(el, s)) rc = -1;
    if (s != el->top && s->subckt) {   /* alterparam sub name: the subcircuit's own .param */
        for (int k = 0; k < el->eo->nov; k++) {
            const ParamOverride *o = &el->eo->ov[k];
            ParamDef *p = o->sub && !strcmp(o->sub, s->subckt) ? strmap_find(&s->params, o->name) : NULL;
            if (p && p->dotparam) p->state = 2, p->value = o->value;
        }
    }
    if (s == el->top && elab_read_seed(el, rest, nrest)) rc = -1;
    if (s == el->top && check_expansion(el, s, rest, nrest)) {
        free(rest);
        return -1;
    }
    for (int i = 0; i < nrest; i++) {
        const Card *c = rest[i];
        if (elab_interrupted(el)) {
            rc = -1;
            break;
        }
        if (!is_dot(c)) {
            if (elab_element(el, s, c)) rc = -1;
        } else if (is_word(c, ".crossbar")) {
            if (elab_crossbar(el, s, c)) rc = -1;
        } else if (s->parent) {
            if (!is_word(c, ".ic") && !is_word(c, ".nodeset")) rc = -1;   /* reported where the subcircuit is defined */
        } else if (elab_control(el, c)) {
            rc = -1;
        }
    }
    /* a subcircuit's .ic / .nodeset, once its nodes exist: each instance
     * sets its own nodes */
    for (int i = 0; i < nrest && s->parent; i++)
        if (is_word(rest[i], ".ic") || is_word(rest[i], ".nodeset"))
            if (elab_node_values(el, s, rest[i], is_word(rest[i], ".ic"))) rc = -1;
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
        /* drawn for the instance's parameter, as its default would be */
        ElabRnd prev = elab_rnd_enter(el, RND_SCOPE_PARAM, inst->prefix, it->key->text);
        if (scope_eval_item(el, caller, c, it->value, 1, &v)) rc = -1;
        elab_rnd_leave(el, prev);
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
        const ParamOverride *o = sub_override(el, sd->name, it->key->text);
        if (o) scope_set_value(el, inst, it->key->text, o->value, &it->value->loc);
        else scope_add_param(el, inst, it->key->text, text, &it->value->loc);
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
    inst->subckt = sd->name;
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
