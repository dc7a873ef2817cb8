/* Independent source specification (V and I lines), as ngspice reads it:
 *   [DC] value  |  AC mag [phase]  |  PULSE(...) SIN(...) EXP(...) PWL(...) SFFM(...)
 *   and memspice's TRAIN(...) SPIKE(...) (keywords inside the parentheses or after them)
 * in any order; the function may also be written without parentheses
 * ("PULSE 0 1 1n ..."); PWL takes r= and td= inside or after the list. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "devices/waveform.h"
#include "netlist/elab.h"
#include "util/numtable.h"
#include "util/number.h"
#include "util/xmem.h"

static WaveKind wave_kind(const char *w)
{
    static const struct {
        const char *name;
        WaveKind kind;
    } tab[] = {{"pulse", WF_PULSE}, {"sin", WF_SIN}, {"sine", WF_SIN},     {"exp", WF_EXP},    {"pwl", WF_PWL},
               {"sffm", WF_SFFM},   {"train", WF_TRAIN}, {"spike", WF_SPIKE}};
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

static int twice(Elab *el, Scope *s, const Item *it, const char *key)
{
    elab_error(el, s, &it->loc, "'%s=' is given twice", key);
    return -1;
}

/* a keyword's list value: amps=(1 2 3), times=(1u 5u) or one value */
static int list_value(Elab *el, Scope *s, const Card *c, const Item *it, const char *key, WaveKeys *k)
{
    const Item *v = it->value;
    const Item *const *items = v->kind == ITEM_GROUP ? (const Item *const *)v->args : &v;
    int n = v->kind == ITEM_GROUP ? v->nargs : 1, rc = 0;
    if (k->list_given) return twice(el, s, it, key);
    k->list = xcalloc((size_t)n + 1, sizeof *k->list);
    for (int j = 0; j < n; j++) rc |= scope_eval_item(el, s, c, items[j], 0, &k->list[j]);
    k->nlist = n;
    k->list_given = 1;
    return rc;
}

static int spike_shape(Elab *el, Scope *s, const Item *it, WaveKeys *k)
{
    const Item *v = it->value;
    const char *w = v->kind == ITEM_WORD ? v->text : "";
    if (k->shape_given) return twice(el, s, it, "shape");
    k->shape_given = 1;
    if (!strcmp(w, "rect")) k->shape = SPIKE_RECT;
    else if (!strcmp(w, "tri")) k->shape = SPIKE_TRI;
    else if (!strcmp(w, "saw")) k->shape = SPIKE_SAW;
    else {
        elab_error(el, s, &v->loc, "shape must be rect, tri or saw, got '%s'", v->text ? v->text : "?");
        return -1;
    }
    return 0;
}

/* keyword values: PWL's r= / td=, TRAIN's amps= read= rpw= rtd=, SPIKE's
 * times= shape= tr= rate= start= stop= n= */
static int wave_option(Elab *el, Scope *s, const Card *c, const Item *it, Waveform *w, WaveKeys *k)
{
    const char *key = it->key->kind == ITEM_WORD ? it->key->text : "";
    static const struct {
        WaveKind kind;
        const char *key;
        size_t off, given;
    } nums[] = {
        {WF_TRAIN, "read", offsetof(WaveKeys, read), offsetof(WaveKeys, read_given)},
        {WF_TRAIN, "rpw", offsetof(WaveKeys, rpw), offsetof(WaveKeys, rpw_given)},
        {WF_TRAIN, "rtd", offsetof(WaveKeys, rtd), offsetof(WaveKeys, rtd_given)},
        {WF_SPIKE, "tr", offsetof(WaveKeys, tr), offsetof(WaveKeys, tr_given)},
        {WF_SPIKE, "rate", offsetof(WaveKeys, rate), offsetof(WaveKeys, rate_given)},
        {WF_SPIKE, "start", offsetof(WaveKeys, start), offsetof(WaveKeys, start_given)},
        {WF_SPIKE, "stop", offsetof(WaveKeys, stop), offsetof(WaveKeys, stop_given)},
        {WF_SPIKE, "n", offsetof(WaveKeys, n), offsetof(WaveKeys, n_given)},
    };
    double v;
    if (w->kind == WF_PWL && (!strcmp(key, "r") || !strcmp(key, "td"))) {
        if (scope_eval_item(el, s, c, it->value, 0, &v)) return -1;
        if (key[0] == 'r') w->pwl_r = v;
        else w->pwl_td = v;
        return 0;
    }
    if ((w->kind == WF_TRAIN && !strcmp(key, "amps")) || (w->kind == WF_SPIKE && !strcmp(key, "times")))
        return list_value(el, s, c, it, key, k);
    if (w->kind == WF_SPIKE && !strcmp(key, "shape")) return spike_shape(el, s, it, k);
    for (size_t j = 0; j < sizeof nums / sizeof nums[0]; j++)
        if (nums[j].kind == w->kind && !strcmp(nums[j].key, key)) {
            if (*(int *)((char *)k + nums[j].given)) return twice(el, s, it, key);
            if (scope_eval_item(el, s, c, it->value, 0, (double *)((char *)k + nums[j].off))) return -1;
            *(int *)((char *)k + nums[j].given) = 1;
            return 0;
        }
    elab_error(el, s, &it->loc, "unexpected '%s=' in a %s source", key, waveform_name(w->kind));
    return -1;
}

static int wave_args(Elab *el, Scope *s, const Card *c, const Item *const *args, int n, Waveform *w, WaveKeys *k)
{
    int rc = 0;
    w->args = xrealloc(w->args, (size_t)(w->nargs + n + 1) * sizeof *w->args);
    for (int j = 0; j < n; j++) {
        if (args[j]->kind == ITEM_ASSIGN) {
            if (wave_option(el, s, c, args[j], w, k)) rc = -1;
            continue;
        }
        if (scope_eval_item(el, s, c, args[j], 0, &w->args[w->nargs])) rc = -1;
        w->nargs++;
    }
    return rc;
}

static int finish_wave(Elab *el, Scope *s, const Card *c, Instance *in, const SrcLoc *loc, const WaveKeys *k)
{
    (void)c;
    char msg[256];
    if ((in->wave->kind == WF_TRAIN || in->wave->kind == WF_SPIKE) && waveform_build(in->wave, k, msg, sizeof msg)) {
        elab_error(el, s, loc, "%s: %s", in->name, msg);
        return -1;
    }
    if (waveform_check(in->wave, msg, sizeof msg)) {
        elab_error(el, s, loc, "%s: %s", in->name, msg);
        return -1;
    }
    return 0;
}

/* the (time, value) pairs of a PWL source from a two-column table file */
static int pwl_file(Elab *el, Scope *s, const Card *c, const Item *name, Waveform *w)
{
    NumTable t;
    char err[512];
    if (elab_read_xy_table(c, name, &t, 1, 0, err, sizeof err)) {
        elab_error(el, s, &name->loc, "%s: PWL FILE: %s", c->items[0]->text, err);
        return -1;
    }
    w->args = xrealloc(w->args, (size_t)(w->nargs + 2 * t.rows + 1) * sizeof *w->args);
    for (int r = 0; r < t.rows; r++) {
        w->args[w->nargs++] = numtable_at(&t, r, 0);
        w->args[w->nargs++] = numtable_at(&t, r, 1);
    }
    numtable_free(&t);
    return 0;
}

int elab_source_spec(Elab *el, Scope *s, const Card *c, int first, Instance *in)
{
    int rc = 0, have_dc = 0;
    const SrcLoc *wloc = NULL;
    WaveKeys keys = {0};
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
            if (wk == WF_PWL && it->kind == ITEM_WORD && k + 1 < c->nitems &&
                ((c->items[k + 1]->kind == ITEM_WORD && !strcmp(c->items[k + 1]->text, "file")) ||
                 (c->items[k + 1]->kind == ITEM_ASSIGN && c->items[k + 1]->key->kind == ITEM_WORD &&
                  !strcmp(c->items[k + 1]->key->text, "file")))) {
                /* Xyce's PWL FILE "name", LTspice's PWL file=name: the pairs from a table */
                const Item *f = c->items[k + 1];
                const Item *name = f->kind == ITEM_ASSIGN ? f->value : k + 2 < c->nitems ? c->items[k + 2] : NULL;
                if (!name) {
                    elab_error(el, s, &f->loc, "%s: PWL FILE needs a file name", c->items[0]->text);
                    return -1;
                }
                rc |= pwl_file(el, s, c, name, in->wave);
                k += f->kind == ITEM_ASSIGN ? 1 : 2;
            } else if (it->kind == ITEM_CALL) {
                rc |= wave_args(el, s, c, (const Item *const *)it->args, it->nargs, in->wave, &keys);
            } else {   /* no parentheses: the values that follow */
                int j = k + 1;
                while (j < c->nitems && (is_value(c->items[j]) || c->items[j]->kind == ITEM_ASSIGN)) j++;
                rc |= wave_args(el, s, c, (const Item *const *)c->items + k + 1, j - k - 1, in->wave, &keys);
                k = j - 1;
            }
            /* PSpice's PWL (t1, v1) (t2, v2) ...: each further pair in its own parentheses */
            while (wk == WF_PWL && k + 1 < c->nitems && c->items[k + 1]->kind == ITEM_GROUP) {
                const Item *g = c->items[++k];
                rc |= wave_args(el, s, c, (const Item *const *)g->args, g->nargs, in->wave, &keys);
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
            rc |= wave_option(el, s, c, it, in->wave, &keys);
        } else if (is_value(it) && !have_dc) {
            rc |= set_param(el, s, c, it, in, "dc");
            have_dc = 1;
        } else {
            elab_error(el, s, &it->loc,
                       "%s: unexpected '%s' (expected DC value, AC mag [phase], or PULSE/SIN/EXP/PWL/SFFM/TRAIN/SPIKE(...))",
                       c->items[0]->text, it->text ? it->text : item_kind_name(it->kind));
            return -1;
        }
    }
    if (!rc && in->wave && finish_wave(el, s, c, in, wloc, &keys)) rc = -1;
    free(keys.list);
    return rc ? -1 : 0;
}
