/* Definitions in a card list: .subckt ... .ends blocks, .param, .func and
 * .model. What is left (elements and other dot commands) is returned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/xmem.h"

static int is_cmd(const Card *c, const char *cmd)
{
    return c->items[0]->kind == ITEM_WORD && strcmp(c->items[0]->text, cmd) == 0;
}

static int def_param(Elab *el, Scope *s, const Card *c)
{
    int rc = 0;
    if (c->nitems < 2) {
        elab_error(el, s, &c->loc, ".param needs name=value");
        return -1;
    }
    for (int k = 1; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind != ITEM_ASSIGN) {
            /* after an assignment: part of its unbraced value (".param x = 2 * y") */
            if (k > 1) continue;
            elab_error(el, s, &it->loc, ".param expects name=value, got '%s'", it->text ? it->text : "?");
            return -1;
        }
        if (it->key->kind != ITEM_WORD) {
            elab_error(el, s, &it->key->loc, "a parameter name must be a plain word");
            rc = -1;
            continue;
        }
        ParamDef *prev = strmap_find(&s->params, it->key->text);
        if (prev && prev->dotparam) {
            /* ngspice takes the later value silently; a typo or a forgotten
             * line is more likely than intent, so say it */
            char key[32], where[512];
            snprintf(key, sizeof key, "%p", (const void *)it);
            if (!strmap_get(&el->warned, key, NULL)) {
                strmap_put(&el->warned, key, NULL);
                diag_warning(el->d, &it->key->loc, "parameter '%s' is defined again (first at %s); the later value is used",
                             it->key->text, srcloc_str(&prev->loc, where, sizeof where));
            }
        }
        char *text = elab_assign_text(c, k);
        scope_add_param(el, s, it->key->text, text, &it->value->loc);
        free(text);
        ((ParamDef *)strmap_find(&s->params, it->key->text))->dotparam = 1;
    }
    return rc;
}

static int def_func(Elab *el, Scope *s, const Card *c)
{
    const Item *head = c->nitems > 1 ? c->items[1] : NULL;
    const Item *call = head && head->kind == ITEM_ASSIGN ? head->key : head;
    if (!call || call->kind != ITEM_CALL) {
        elab_error(el, s, head ? &head->loc : &c->loc, ".func expects name(args) {expression}");
        return -1;
    }
    int body_start;
    if (head->kind == ITEM_ASSIGN) body_start = head->value->start;
    else if (c->nitems > 2) body_start = c->items[2]->start;
    else {
        elab_error(el, s, &c->loc, ".func %s: missing body expression", call->text);
        return -1;
    }
    const Item *bi = head->kind == ITEM_ASSIGN ? head->value : c->items[2];
    int end = (int)strlen(c->text);
    int alone = head->kind == ITEM_ASSIGN ? c->nitems == 2 : c->nitems == 3;
    char *text = (bi->kind == ITEM_EXPR && alone) ? xstrdup(bi->text) : card_slice(c, body_start, end);
    str_lower(text);
    ExprError err = {0};
    ExprNode *body = expr_parse(text, &err);
    free(text);
    if (!body) {
        elab_error(el, s, &bi->loc, ".func %s: %s", call->text, err.msg);
        return -1;
    }
    FuncDef *f = xcalloc(1, sizeof *f);
    f->params = xcalloc((size_t)(call->nargs ? call->nargs : 1), sizeof *f->params);
    for (int k = 0; k < call->nargs; k++) {
        if (call->args[k]->kind != ITEM_WORD) {
            elab_error(el, s, &call->args[k]->loc, ".func %s: argument names must be plain words", call->text);
            f->params[k] = xstrdup("?");
        } else {
            f->params[k] = xstrdup(call->args[k]->text);
        }
    }
    f->f.name = xstrdup(call->text);
    f->f.params = (const char *const *)f->params;
    f->f.nparams = call->nargs;
    f->f.body = body;
    f->body = body;
    f->loc = c->loc;
    VEC_PUSH(el->funcs, f);
    strmap_put(&s->funcs, call->text, f);
    return 0;
}

static int def_model(Elab *el, Scope *s, const Card *c)
{
    if (c->nitems < 3 || c->items[1]->kind != ITEM_WORD ||
        (c->items[2]->kind != ITEM_WORD && c->items[2]->kind != ITEM_CALL)) {
        elab_error(el, s, &c->loc, ".model expects: .model name type [param=value ...]");
        return -1;
    }
    ModelDef *m = xcalloc(1, sizeof *m);
    m->name = xstrdup(c->items[1]->text);
    m->card = c;
    m->scope = s;
    VEC_PUSH(el->models, m);
    if (strmap_put(&s->models, m->name, m)) {
        elab_error(el, s, &c->items[1]->loc, "model '%s' is defined twice", m->name);
        return -1;
    }
    return 0;
}

/* .subckt name ports... [params:] [name=value ...] */
static int def_subckt(Elab *el, Scope *s, const Card *const *cards, int n, int i, int *end)
{
    const Card *c = cards[i];
    int depth = 1, j = i + 1;
    for (; j < n; j++) {
        if (is_cmd(cards[j], ".subckt")) depth++;
        else if (is_cmd(cards[j], ".ends") && --depth == 0) break;
    }
    *end = j;
    if (j == n) {
        elab_error(el, s, &c->loc, "missing .ends for this .subckt");
        return -1;
    }
    if (c->nitems < 2 || c->items[1]->kind != ITEM_WORD) {
        elab_error(el, s, &c->loc, ".subckt needs a name");
        return -1;
    }
    SubcktDef *sd = xcalloc(1, sizeof *sd);
    sd->name = xstrdup(c->items[1]->text);
    sd->card = c;
    sd->def_scope = s;
    sd->ports = xcalloc((size_t)c->nitems, sizeof *sd->ports);
    sd->defaults = xcalloc((size_t)c->nitems, sizeof *sd->defaults);
    int rc = 0, in_params = 0;
    for (int k = 2; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind == ITEM_WORD && strcmp(it->text, "params:") == 0) in_params = 1;
        else if (it->kind == ITEM_ASSIGN && it->key->kind == ITEM_WORD) sd->defaults[sd->ndefaults++] = it;
        else if (it->kind == ITEM_WORD && !in_params && sd->ndefaults == 0) {
            int dup = 0;
            for (int p = 0; p < sd->nports; p++) dup |= strcmp(sd->ports[p], it->text) == 0;
            if (dup) {   /* two ports, one node inside: the second connection would be lost */
                elab_error(el, s, &it->loc, ".subckt %s: port '%s' is listed twice", sd->name, it->text);
                rc = -1;
            }
            sd->ports[sd->nports++] = it->text;
        } else {
            elab_error(el, s, &it->loc, ".subckt %s: unexpected '%s' (ports come first, then name=value)", sd->name,
                       it->text ? it->text : item_kind_name(it->kind));
            rc = -1;
        }
    }
    const Card *ends = cards[j];
    if (ends->nitems > 1 && ends->items[1]->kind == ITEM_WORD && strcmp(ends->items[1]->text, sd->name) != 0) {
        /* ngspice and Xyce pair .ends with .subckt by nesting and ignore
         * the name (Xyce's own test decks carry such typos) */
        diag_warning(el->d, &ends->items[1]->loc, ".ends %s does not match .subckt %s; the name is ignored",
                     ends->items[1]->text, sd->name);
    }
    /* dot commands a subcircuit cannot hold are reported here, where the
     * definition is, even if it is never instantiated */
    for (int k = i + 1, depth2 = 0; k < j; k++) {
        const Card *b = cards[k];
        const char *w = b->items[0]->text;
        if (!strcmp(w, ".subckt")) depth2++;
        else if (!strcmp(w, ".ends")) depth2--;
        else if (depth2 == 0 && w[0] == '.' && strcmp(w, ".param") && strcmp(w, ".func") && strcmp(w, ".model") &&
                 strcmp(w, ".ic") && strcmp(w, ".nodeset") && strcmp(w, ".crossbar")) {
            elab_error(el, s, &b->loc, "%s is not allowed inside a subcircuit (only elements, .param, .func, "
                       ".model, .crossbar, .ic, .nodeset and nested .subckt)", w);
            rc = -1;
        }
    }
    sd->nbody = j - i - 1;
    sd->body = xmalloc((size_t)(sd->nbody ? sd->nbody : 1) * sizeof *sd->body);
    for (int k = 0; k < sd->nbody; k++) sd->body[k] = cards[i + 1 + k];
    VEC_PUSH(el->subckts, sd);
    SubcktDef *prev = strmap_put(&s->subckts, sd->name, sd);
    if (prev) {
        char where[512];
        elab_error(el, s, &c->items[1]->loc, "subcircuit '%s' is defined twice (first at %s)", sd->name,
                   srcloc_str(&prev->card->loc, where, sizeof where));
        rc = -1;
    }
    return rc;
}

int collect_defs(Elab *el, Scope *s, const Card *const *cards, int n, const Card ***rest, int *nrest)
{
    int rc = 0;
    *rest = xmalloc((size_t)(n ? n : 1) * sizeof **rest);
    *nrest = 0;
    for (int i = 0; i < n; i++) {
        const Card *c = cards[i];
        if (is_cmd(c, ".subckt")) {
            int end;
            if (def_subckt(el, s, cards, n, i, &end)) rc = -1;
            i = end;
        } else if (is_cmd(c, ".ends")) {
            elab_error(el, s, &c->loc, ".ends without .subckt");
            rc = -1;
        } else if (is_cmd(c, ".param")) {
            if (def_param(el, s, c)) rc = -1;
        } else if (is_cmd(c, ".func")) {
            if (def_func(el, s, c)) rc = -1;
        } else if (is_cmd(c, ".model")) {
            if (def_model(el, s, c)) rc = -1;
        } else {
            (*rest)[(*nrest)++] = c;
        }
    }
    return rc;
}
