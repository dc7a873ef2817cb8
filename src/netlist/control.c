/* Dot commands of the top level: options, analyses, outputs, initial
 * conditions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/suggest.h"
#include "util/xmem.h"

#define ABS_ZERO_C (-273.15)   /* Celsius */

static int value(Elab *el, const Card *c, const Item *it, double *out)
{
    return scope_eval_item(el, el->top, c, it, 0, out);
}

static int word_is(const Item *it, const char *w)
{
    return it->kind == ITEM_WORD && strcmp(it->text, w) == 0;
}

static int opt_method(Elab *el, const Item *v)
{
    const char *m = v->kind == ITEM_WORD ? v->text : "";
    /* Xyce's numbers and names: 1 / be backward Euler (Gear of order 1),
     * 2 / trap / trapezoid, 7 / gear / bdf */
    if (!strcmp(m, "trap") || !strcmp(m, "trapezoidal") || !strcmp(m, "trapezoid") || !strcmp(m, "2"))
        el->deck->opt.method = METHOD_TRAP;
    else if (!strcmp(m, "gear") || !strcmp(m, "bdf") || !strcmp(m, "7")) el->deck->opt.method = METHOD_GEAR;
    else if (!strcmp(m, "be") || !strcmp(m, "1")) el->deck->opt.method = METHOD_GEAR, el->deck->opt.maxord = 1;
    else {
        elab_error(el, NULL, &v->loc, "method must be trap or gear (Xyce: 1, 2, 7, be, trapezoid, bdf), got '%s'",
                   v->text ? v->text : "?");
        return -1;
    }
    return 0;
}

static int cmd_options(Elab *el, const Card *c)
{
    int rc = 0;
    for (int k = 1; k < c->nitems; k++) {
        const Item *it = c->items[k];
        const char *key = it->kind == ITEM_ASSIGN ? it->key->text : it->text;
        /* Xyce's option packages (.options timeint method=gear): the package name itself */
        if (k == 1 && it->kind == ITEM_WORD && netlist_xyce_option_package(key)) continue;
        if (it->kind == ITEM_ASSIGN && strcmp(key, "method") == 0) {
            rc |= opt_method(el, it->value);
            continue;
        }
        if (key && strcmp(key, "seed") == 0)
            continue;   /* read ahead of the elements (elab_read_seed, variability.c) */
        int known = key && simoptions_has(key);
        if (known && it->kind != ITEM_ASSIGN) {
            elab_error(el, NULL, &it->loc, "option '%s' needs a value: %s=<value>", key, key);
            rc = -1;
            continue;
        }
        if (!known) {
            diag_warning(el->d, &it->loc, "option '%s' is not supported and is ignored", key ? key : "?");
            continue;
        }
        double v;
        if (value(el, c, it->value, &v)) {
            rc = -1;
            continue;
        }
        if (simoptions_set(&el->deck->opt, key, v) == -2) {
            elab_error(el, NULL, &it->value->loc, "option '%s' must be a whole number (at most 1e9 in size), got %g",
                       key, v);
            rc = -1;
        }
    }
    const char *bad = simoptions_check(&el->deck->opt);
    if (bad) {
        elab_error(el, NULL, &c->loc, "%s", bad);
        rc = -1;
    }
    return rc;
}

static int cmd_tran(Elab *el, const Card *c)
{
    AnalysisReq a = {.kind = AN_TRAN, .loc = c->loc};
    double v[4] = {0, 0, 0, 0};
    const Item *vit[4] = {NULL, NULL, NULL, NULL};
    int nv = 0;
    for (int k = 1; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (word_is(it, "uic")) a.uic = 1;
        else if (nv < 4) {
            vit[nv] = it;
            if (value(el, c, it, &v[nv++])) return -1;
        } else {
            elab_error(el, NULL, &it->loc, ".tran: too many values (tstep tstop [tstart [tmax]] [uic])");
            return -1;
        }
    }
    if (nv < 1) {
        elab_error(el, NULL, &c->loc, ".tran needs at least tstep and tstop (or LTspice's .tran tstop)");
        return -1;
    }
    if (nv == 1) {   /* LTspice: .tran tstop; the step is chosen (as tstep 0 below) */
        v[1] = v[0];
        v[0] = 0;
        nv = 2;
    }
    a.tstep = v[0], a.tstop = v[1], a.tstart = v[2], a.tmax = v[3];
    /* tstep 0 (Xyce's habit: "let the simulator choose"): the SPICE default
     * step limit (tstop - tstart)/50 takes its place */
    if (a.tstep == 0 && a.tstop > 0 && a.tstart >= 0 && a.tstart < a.tstop) a.tstep = (a.tstop - a.tstart) / 50;
    const char *bad = !(a.tstep > 0) ? "tstep must be positive or 0"
                    : !(a.tstop > 0) ? "tstop must be positive"
                    : !(a.tstart >= 0 && a.tstart < a.tstop) ? "tstart must be at least 0 and less than tstop"
                    : nv == 4 && !(a.tmax > 0) ? "tmax must be positive" : NULL;
    if (bad) {
        elab_error(el, NULL, &c->loc, ".tran: %s", bad);
        return -1;
    }
    /* a point cap as for .dc: every output step is a point, and every step up to tstop is at most tmax */
    double npts = (a.tstop - a.tstart) / a.tstep + 1, nsteps = nv == 4 ? a.tstop / a.tmax : 0;
    if (!(npts <= DECK_MAX_POINTS)) {
        elab_error(el, NULL, &vit[0]->loc, ".tran: %g to %g in steps of %g is %.4g points (at most %g)", a.tstart,
                   a.tstop, a.tstep, npts, DECK_MAX_POINTS);
        return -1;
    }
    if (!(nsteps <= DECK_MAX_POINTS)) {
        elab_error(el, NULL, &vit[3]->loc, ".tran: tmax %g asks for at least %.4g time steps up to %g (at most %g)",
                   a.tmax, nsteps, a.tstop, DECK_MAX_POINTS);
        return -1;
    }
    VEC_PUSH(el->deck->an, a);
    return 0;
}

char *elab_output_text(const Item *it)
{
    if (it->kind == ITEM_WORD) return xstrdup(it->text);
    if (it->kind != ITEM_CALL) return NULL;
    char *s = xasprintf("%s(", it->text);
    for (int k = 0; k < it->nargs; k++) {
        if (it->args[k]->kind != ITEM_WORD) {
            free(s);
            return NULL;
        }
        char *t = xasprintf("%s%s%s", s, k ? "," : "", it->args[k]->text);
        free(s);
        s = t;
    }
    char *t = xasprintf("%s)", s);
    free(s);
    return t;
}

static int cmd_outputs(Elab *el, const Card *c, int print)
{
    int first = 1, kind = -1;
    if (print) {
        const Item *an = c->nitems > 1 ? c->items[1] : NULL;
        if (an && word_is(an, "tran")) kind = AN_TRAN;
        else if (an && word_is(an, "dc")) kind = AN_DC;
        else if (an && word_is(an, "op")) kind = AN_OP;
        else if (an && word_is(an, "ac")) kind = AN_AC;
        else {
            elab_error(el, NULL, an ? &an->loc : &c->loc, ".print needs the analysis first: .print tran|dc|op|ac ...");
            return -1;
        }
        first = 2;
    }
    int rc = 0;
    for (int k = first; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind == ITEM_EXPR) {
            InstExpr *ie = elab_output_expr(el, it);
            if (!ie) {
                rc = -1;
                continue;
            }
            OutReq r = {xasprintf("{%s}", it->text), it->loc, kind, ie};
            if (print) VEC_PUSH(el->deck->print, r);
            else VEC_PUSH(el->deck->save, r);
            continue;
        }
        char *text = elab_output_text(it);
        if (!text) {
            elab_error(el, NULL, &it->loc, "expected an output such as v(node), v(n1,n2) or i(vsource)");
            rc = -1;
            continue;
        }
        OutReq r = {text, it->loc, kind, NULL};
        if (print) VEC_PUSH(el->deck->print, r);
        else VEC_PUSH(el->deck->save, r);
    }
    return rc;
}

/* .ac dec|oct|lin n fstart fstop */
static int cmd_ac(Elab *el, const Card *c)
{
    AnalysisReq a = {.kind = AN_AC, .loc = c->loc};
    const Item *kw = c->nitems > 1 ? c->items[1] : NULL;
    if (c->nitems != 5 || !kw || kw->kind != ITEM_WORD ||
        (strcmp(kw->text, "dec") && strcmp(kw->text, "oct") && strcmp(kw->text, "lin"))) {
        elab_error(el, NULL, &c->loc, ".ac expects: .ac dec|oct|lin n fstart fstop");
        return -1;
    }
    a.ac_sweep = kw->text[0] == 'd' ? AC_DEC : kw->text[0] == 'o' ? AC_OCT : AC_LIN;
    double v[3];
    for (int k = 0; k < 3; k++)
        if (value(el, c, c->items[2 + k], &v[k])) return -1;
    a.ac_n = v[0], a.fstart = v[1], a.fstop = v[2];
    const char *bad = !(v[0] >= 1 && v[0] == floor(v[0])) ? "the number of points must be a whole number >= 1"
                    : !(v[1] > 0) && a.ac_sweep != AC_LIN ? "fstart must be positive"
                    : !(v[1] >= 0) ? "fstart must not be negative"
                    : !(v[2] >= v[1]) ? "fstop must not be below fstart" : NULL;
    double npts = a.ac_sweep == AC_LIN ? v[0] : v[0] * log(v[2] / v[1]) / log(a.ac_sweep == AC_DEC ? 10 : 2) + 1;
    if (!bad && !(npts <= DECK_MAX_POINTS)) bad = "too many points";
    if (bad) {
        elab_error(el, NULL, &c->loc, ".ac: %s", bad);
        return -1;
    }
    VEC_PUSH(el->deck->an, a);
    return 0;
}

static const char *const unsupported[] = {".noise", ".four", ".sens", ".tf",
                                          ".pz", ".disto", ".width", ".plot", ".csparam", ".sp", ".save_all",
                                          NULL};
static const char *const known[] = {".options", ".option", ".opt", ".op", ".dc", ".tran", ".ac", ".ic", ".nodeset",
                                    ".save", ".probe", ".print", ".temp", ".global", ".title", ".end", ".param",
                                    ".func", ".model", ".subckt", ".ends", ".include", ".lib", ".step", ".meas",
                                    ".measure", NULL};

int elab_control(Elab *el, const Card *c)
{
    const char *cmd = c->items[0]->text;
    if (!strcmp(cmd, ".options") || !strcmp(cmd, ".option") || !strcmp(cmd, ".opt")) return cmd_options(el, c);
    if (!strcmp(cmd, ".tran")) return cmd_tran(el, c);
    if (!strcmp(cmd, ".ac")) return cmd_ac(el, c);
    if (!strcmp(cmd, ".op")) {
        AnalysisReq a = {.kind = AN_OP, .loc = c->loc};
        VEC_PUSH(el->deck->an, a);
        return 0;
    }
    if (!strcmp(cmd, ".dc") || !strcmp(cmd, ".ic") || !strcmp(cmd, ".nodeset")) {
        VEC_PUSH(el->deferred, c);
        return 0;
    }
    if (!strcmp(cmd, ".save") || !strcmp(cmd, ".probe")) return cmd_outputs(el, c, 0);
    if (!strcmp(cmd, ".print")) return cmd_outputs(el, c, 1);
    if (!strcmp(cmd, ".meas") || !strcmp(cmd, ".measure")) return elab_meas(el, c);
    if (!strcmp(cmd, ".temp")) {
        if (c->nitems == 2) {
            double t;
            if (value(el, c, c->items[1], &t)) return -1;
            if (!(t >= ABS_ZERO_C)) {
                elab_error(el, NULL, &c->items[1]->loc, ".temp: %g C is below absolute zero (-273.15 C)", t);
                return -1;
            }
            el->deck->opt.temp = t;
            return 0;
        }
        elab_error(el, NULL, &c->loc, ".temp takes one temperature in Celsius");
        return -1;
    }
    if (!strcmp(cmd, ".global")) return 0;   /* handled before the elements */
    if (!strcmp(cmd, ".step")) return 0;     /* read before elaboration (netlist/step.c) */
    if (!strcmp(cmd, ".title")) {
        free(el->deck->title);
        el->deck->title = card_slice(c, c->items[0]->end, (int)strlen(c->text));
        return 0;
    }
    for (int i = 0; unsupported[i]; i++)
        if (!strcmp(cmd, unsupported[i])) {
            diag_warning(el->d, &c->loc, "%s is not supported yet; the line is ignored", cmd);
            return 0;
        }
    const char *hint = suggest_closest(cmd, known, (int)(sizeof known / sizeof known[0]) - 1);
    elab_error(el, NULL, &c->items[0]->loc, "unknown dot command '%s'%s%s%s", cmd, hint ? "; did you mean '" : "",
               hint ? hint : "", hint ? "'?" : "");
    return -1;
}
