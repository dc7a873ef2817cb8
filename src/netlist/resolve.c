/* Requests that name circuit objects, read once the flat circuit exists:
 * .dc sources, .ic and .nodeset nodes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/xmem.h"

static int sweep(Elab *el, const Card *c, int k, DcSweep *sw)
{
    const Item *src = c->items[k];
    if (src->kind != ITEM_WORD) {
        elab_error(el, NULL, &src->loc, ".dc: expected a source name");
        return -1;
    }
    Instance *in = circuit_find_instance(el->deck->ckt, src->text);
    if (!in) {
        elab_error(el, NULL, &src->loc, ".dc: no element named '%s'", src->text);
        return -1;
    }
    if (!in->type->waveform) {
        elab_error(el, NULL, &src->loc, ".dc: '%s' is a %s; only independent V and I sources can be swept",
                   src->text, in->type->name);
        return -1;
    }
    sw->src = in;
    double v[3];
    for (int j = 0; j < 3; j++)
        if (scope_eval_item(el, el->top, c, c->items[k + 1 + j], 0, &v[j])) return -1;
    sw->start = v[0], sw->stop = v[1], sw->step = v[2];
    if (v[0] != v[1] && (v[2] == 0 || (v[1] - v[0]) / v[2] < 0)) {
        elab_error(el, NULL, &c->items[k + 3]->loc, ".dc: step %g does not lead from %g to %g", v[2], v[0], v[1]);
        return -1;
    }
    double npts = v[0] == v[1] ? 1 : (v[1] - v[0]) / v[2] + 1;
    if (!isfinite(npts) || npts > DECK_MAX_POINTS) {
        elab_error(el, NULL, &c->items[k + 3]->loc, ".dc: %g to %g in steps of %g is %g points (at most %g)", v[0],
                   v[1], v[2], npts, DECK_MAX_POINTS);
        return -1;
    }
    sw->source = xstrdup(src->text);   /* owned by the request once it is valid */
    return 0;
}

static int cmd_dc(Elab *el, const Card *c)
{
    AnalysisReq a = {.kind = AN_DC, .loc = c->loc};
    int n = c->nitems - 1;
    if (n != 4 && n != 8) {
        elab_error(el, NULL, &c->loc, ".dc expects: .dc src start stop step [src2 start2 stop2 step2]");
        return -1;
    }
    for (int s = 0; s < n / 4; s++) {
        if (sweep(el, c, 1 + 4 * s, &a.sweep[s])) {
            for (int j = 0; j < s; j++) free(a.sweep[j].source);
            return -1;
        }
        a.nsweep++;
    }
    VEC_PUSH(el->deck->an, a);
    return 0;
}

/* .ic v(n)=value ...  /  .nodeset v(n)=value ...: at the top level (s the
 * top scope, after elaboration) or in a subcircuit instance (s its scope,
 * after its elements: node names local to the instance, values in its
 * parameters) */
int elab_node_values(Elab *el, Scope *s, const Card *c, int is_ic)
{
    int rc = 0;
    for (int k = 1; k < c->nitems; k++) {
        const Item *it = c->items[k];
        const Item *key = it->kind == ITEM_ASSIGN ? it->key : NULL;
        if (!key || key->kind != ITEM_CALL || strcmp(key->text, "v") != 0 || key->nargs != 1 ||
            key->args[0]->kind != ITEM_WORD) {
            elab_error(el, NULL, &it->loc, "%s expects v(node)=value", c->items[0]->text);
            rc = -1;
            continue;
        }
        const char *name = key->args[0]->text;
        int node = elab_find_node(el, s, name);
        if (node < 0) {
            elab_error(el, NULL, &key->args[0]->loc, "%s: no node named '%s'%s", c->items[0]->text, name,
                       s->parent ? " in this subcircuit" : "");
            rc = -1;
            continue;
        }
        if (node == 0) {
            elab_error(el, NULL, &key->args[0]->loc, "%s: the ground node cannot be set", c->items[0]->text);
            rc = -1;
            continue;
        }
        NodeValue nv = {node, 0, it->loc};
        if (scope_eval_item(el, s, c, it->value, 0, &nv.value)) {
            rc = -1;
            continue;
        }
        if (is_ic) VEC_PUSH(el->deck->ic, nv);
        else VEC_PUSH(el->deck->nodeset, nv);
    }
    return rc;
}

int elab_resolve_requests(Elab *el)
{
    int rc = 0;
    for (int i = 0; i < el->deferred.n; i++) {
        const Card *c = el->deferred.v[i];
        const char *cmd = c->items[0]->text;
        if (!strcmp(cmd, ".dc")) rc |= cmd_dc(el, c);
        else rc |= elab_node_values(el, el->top, c, !strcmp(cmd, ".ic"));
    }
    return rc;
}
