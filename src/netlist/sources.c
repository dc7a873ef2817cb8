/* Independent source specification (V and I lines), as ngspice reads it:
 *   [DC] value  |  AC mag [phase]  |  PULSE(...) SIN(...) EXP(...) PWL(...) SFFM(...)
 * in any order; the function may also be written without parentheses
 * ("PULSE 0 1 1n ..."); PWL takes r= and td= inside or after the list. */
#include <stdlib.h>
#include <string.h>

#include "devices/waveform.h"
#include "netlist/elab.h"
#include "util/number.h"
#include "util/xmem.h"

static WaveKind wave_kind(const char *w)
{
    static const struct {
        const char *name;
        WaveKind kind;
    } tab[] = {{"pulse", WF_PULSE}, {"sin", WF_SIN}, {"exp", WF_EXP}, {"pwl", WF_PWL}, {"sffm", WF_SFFM}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(w, tab[i].name) == 0) return tab[i].kind;
    return WF_NONE;
}

static int is_value(const Item *it)
{
    return it->kind == ITEM_EXPR || (it->kind == ITEM_WORD && spice_number(it->text, NULL));
}

static int set_param(Elab *el, Scope *s, const Card *c, const Item *it, Instance *in, const char *name)
{
    double *p = instance_param(in, name);
    return scope_eval_item(el, s, c, it, 0, p);
}

/* PWL's r= / td= */
static int wave_option(Elab *el, Scope *s, const Card *c, const Item *it, Waveform *w)
{
    const char *key = it->key->kind == ITEM_WORD ? it->key->text : "";
    double v;
    if (w->kind != WF_PWL || (strcmp(key, "r") != 0 && strcmp(key, "td") != 0)) {
        elab_error(el, s, &it->loc, "unexpected '%s=' in a %s source", key, waveform_name(w->kind));
        return -1;
    }
    if (scope_eval_item(el, s, c, it->value, 0, &v)) return -1;
    if (key[0] == 'r') w->pwl_r = v;
    else w->pwl_td = v;
    return 0;
}

static int wave_args(Elab *el, Scope *s, const Card *c, const Item *const *args, int n, Waveform *w)
{
    int rc = 0;
    w->args = xrealloc(w->args, (size_t)(w->nargs + n + 1) * sizeof *w->args);
    for (int k = 0; k < n; k++) {
        if (args[k]->kind == ITEM_ASSIGN) {
            if (wave_option(el, s, c, args[k], w)) rc = -1;
            continue;
        }
        if (scope_eval_item(el, s, c, args[k], 0, &w->args[w->nargs])) rc = -1;
        w->nargs++;
    }
    return rc;
}

static int finish_wave(Elab *el, Scope *s, const Card *c, Instance *in, const SrcLoc *loc)
{
    (void)c;
    char msg[256];
    if (waveform_check(in->wave, msg, sizeof msg)) {
        elab_error(el, s, loc, "%s: %s", in->name, msg);
        return -1;
    }
    return 0;
}

int elab_source_spec(Elab *el, Scope *s, const Card *c, int first, Instance *in)
{
    int rc = 0, have_dc = 0;
    const SrcLoc *wloc = NULL;
    for (int k = first; k < c->nitems; k++) {
        const Item *it = c->items[k];
        const char *w = it->kind == ITEM_WORD || it->kind == ITEM_CALL ? it->text : "";
        WaveKind wk = wave_kind(w);
        if (wk != WF_NONE) {
            if (in->wave) {
                elab_error(el, s, &it->loc, "%s: more than one time function", c->items[0]->text);
                return -1;
            }
            in->wave = xcalloc(1, sizeof *in->wave);
            in->wave->kind = wk;
            in->wave->pwl_r = -1;
            wloc = &it->loc;
            if (it->kind == ITEM_CALL) {
                rc |= wave_args(el, s, c, (const Item *const *)it->args, it->nargs, in->wave);
            } else {   /* no parentheses: the values that follow */
                int j = k + 1;
                while (j < c->nitems && (is_value(c->items[j]) || c->items[j]->kind == ITEM_ASSIGN)) j++;
                rc |= wave_args(el, s, c, (const Item *const *)c->items + k + 1, j - k - 1, in->wave);
                k = j - 1;
            }
        } else if (strcmp(w, "dc") == 0 && it->kind == ITEM_WORD) {
            if (k + 1 >= c->nitems) {
                elab_error(el, s, &it->loc, "%s: DC needs a value", c->items[0]->text);
                return -1;
            }
            if (have_dc) {   /* "V1 a 0 DC 1 DC 2", "V1 a 0 1 DC 2": which one was meant? */
                elab_error(el, s, &it->loc, "%s: more than one DC value", c->items[0]->text);
                return -1;
            }
            rc |= set_param(el, s, c, c->items[++k], in, "dc");
            have_dc = 1;
        } else if (strcmp(w, "ac") == 0 && it->kind == ITEM_WORD) {
            if (k + 1 < c->nitems && is_value(c->items[k + 1])) {
                rc |= set_param(el, s, c, c->items[++k], in, "ac");
                if (k + 1 < c->nitems && is_value(c->items[k + 1]))
                    rc |= set_param(el, s, c, c->items[++k], in, "acphase");
            } else {
                *instance_param(in, "ac") = 1;   /* "AC" alone: magnitude 1 */
            }
        } else if (it->kind == ITEM_ASSIGN && in->wave) {
            rc |= wave_option(el, s, c, it, in->wave);
        } else if (is_value(it) && !have_dc) {
            rc |= set_param(el, s, c, it, in, "dc");
            have_dc = 1;
        } else {
            elab_error(el, s, &it->loc,
                       "%s: unexpected '%s' (expected DC value, AC mag [phase], or PULSE/SIN/EXP/PWL/SFFM(...))",
                       c->items[0]->text, it->text ? it->text : item_kind_name(it->kind));
            return -1;
        }
    }
    if (rc) return -1;
    if (in->wave && finish_wave(el, s, c, in, wloc)) return -1;
    return 0;
}
