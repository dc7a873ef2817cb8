/* Output columns: which unknowns (or differences of node voltages) go into
 * each plot, from .save/.probe and .print. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "expr/expr.h"

#include <fnmatch.h>
#include <math.h>

static void add_probe(OutSet *os, const char *name, VarType type, Probe pr)
{
    if (strmap_get(&os->cols, name, NULL)) return;   /* each column once */
    strmap_put(&os->cols, name, strmap_int_to_ptr(os->n + 1));
    os->vars = xrealloc(os->vars, (size_t)(os->n + 1) * sizeof *os->vars);
    os->probes = xrealloc(os->probes, (size_t)(os->n + 1) * sizeof *os->probes);
    os->vars[os->n] = (OutVar){xstrdup(name), type};
    os->probes[os->n] = pr;
    os->n++;
}

static void add(OutSet *os, const char *name, VarType type, int a, int b)
{
    add_probe(os, name, type, (Probe){a, b, NULL, 0, -1});
}

static VarType type_of(const Unknown *u)
{
    return u->kind == UK_VOLTAGE ? VT_VOLTAGE : u->kind == UK_CURRENT ? VT_CURRENT : VT_NOTYPE;
}

static VarType dout_type(int kind)
{
    return kind == DOUT_VOLTAGE ? VT_VOLTAGE : kind == DOUT_CURRENT ? VT_CURRENT : VT_NOTYPE;
}

static void add_dout(OutSet *os, const Instance *in, int k)
{
    const DevOutput *o = &in->type->outputs[k];
    char *name = xasprintf("%s(%s)", o->name, in->name);
    add_probe(os, name, dout_type(o->kind), (Probe){0, 0, in, k, -1});
    free(name);
}

/* index of the derived output `name` (its first `len` characters) of in, -1 if none */
static int dout_index(const Instance *in, const char *name, size_t len)
{
    for (int k = 0; in && k < in->type->n_outputs; k++)
        if (strlen(in->type->outputs[k].name) == len && strncmp(in->type->outputs[k].name, name, len) == 0) return k;
    return -1;
}

/* Xyce's names for device quantities: n(<instance>_<state>) is the state
 * unknown "<state>(<instance>)", n(<instance>:<output>) the derived output
 * "<output>(<instance>)". The column keeps the name as written. */
static int add_xyce_alias(OutSet *os, const Engine *e, const char *t)
{
    size_t len = strlen(t);
    if (len < 4 || t[0] != 'n' || t[1] != '(' || t[len - 1] != ')') return -1;
    char *inner = xstrndup(t + 2, len - 3);
    int rc = -1;
    char *sep = strrchr(inner, ':');
    if (sep) {
        *sep = '\0';
        Instance *in = circuit_find_instance(e->ckt, inner);
        int k = dout_index(in, sep + 1, strlen(sep + 1));
        if (k >= 0) {
            add_probe(os, t, dout_type(in->type->outputs[k].kind), (Probe){0, 0, in, k, -1});
            rc = 0;
        }
    } else if ((sep = strrchr(inner, '_'))) {
        *sep = '\0';
        char *name = xasprintf("%s(%s)", sep + 1, inner);
        int u = engine_find_unknown(e, name);
        if (u >= 0 && e->uk.v[u].owner) {
            add(os, t, type_of(&e->uk.v[u]), u, e->n);
            rc = 0;
        }
        free(name);
    }
    free(inner);
    return rc;
}

/* "r(ymemristor!m1)": a derived output of an instance; 0 if found */
static int add_dout_request(OutSet *os, const Engine *e, const char *t)
{
    const char *open = strchr(t, '(');
    size_t len = strlen(t);
    if (!open || open == t || t[len - 1] != ')') return -1;
    char *inner = xstrndup(open + 1, len - (size_t)(open - t) - 2);
    Instance *in = circuit_find_instance(e->ckt, inner);
    free(inner);
    int k = dout_index(in, t, (size_t)(open - t));
    if (k < 0) return -1;
    add_dout(os, in, k);
    return 0;
}

static void add_all_douts(OutSet *os, const Engine *e)
{
    for (int g = 0; g < e->ckt->ngroups; g++) {
        const InstGroup *grp = &e->ckt->groups[g];
        for (int i = 0; i < grp->n && grp->type->n_outputs; i++) {
            const Instance *in = group_inst(grp, i);
            if (in->internal) continue;   /* made by elaboration: by name only */
            for (int k = 0; k < grp->type->n_outputs; k++)
                if (!grp->type->outputs[k].on_request) add_dout(os, in, k);
        }
    }
}

static int find_col(const OutSet *os, const char *name)
{
    return (int)strmap_ptr_to_int(strmap_find(&os->cols, name)) - 1;
}


static int node_row(const Engine *e, const char *name)
{
    int node = circuit_find_node(e->ckt, name);
    if (node < 0) return -1;
    return node == 0 ? e->n : node - 1;
}

/* {expression}: each signal becomes a solution value, a device output or
 * time/temper; errors name the element */
static int add_expr_request(OutSet *os, const Engine *e, const OutReq *rq, Diag *d)
{
    const InstExpr *ie = rq->expr;
    OutExpr ox = {ie, xcalloc((size_t)(ie->nsig ? ie->nsig : 1), sizeof *ox.ref),
                  xcalloc((size_t)(ie->nsig ? ie->nsig : 1), sizeof *ox.vals)};
    int rc = 0;
    for (int k = 0; k < ie->nsig; k++) {
        const Signal *sg = &ie->sig[k];
        struct OutSig *r = &ox.ref[k];
        if (sg->kind == SIG_NODE) {
            *r = (struct OutSig){0, sg->node - 1, 0, NULL};
        } else if (sg->kind == SIG_TIME) {
            r->kind = 2;
        } else if (sg->kind == SIG_TEMPER) {
            r->kind = 3;
        } else {
            const Instance *in = circuit_find_instance(e->ckt, sg->inst);
            int dk = dout_index(in, "i", 1);
            if (in && in->branch >= 0) *r = (struct OutSig){0, in->branch, 0, NULL};
            else if (in && dk >= 0) *r = (struct OutSig){1, 0, dk, in};
            else {
                diag_error(d, &rq->loc, "%s in output %s: %s", sg->inst, rq->text,
                           in ? "has no current to output" : "no such element");
                rc = -1;
            }
        }
    }
    if (rc) {
        free(ox.ref);
        free(ox.vals);
        return -1;
    }
    os->exprs = xrealloc(os->exprs, (size_t)(os->nexprs + 1) * sizeof *os->exprs);
    os->exprs[os->nexprs] = ox;
    add_probe(os, rq->text, VT_NOTYPE, (Probe){0, 0, NULL, 0, os->nexprs});
    os->nexprs++;
    return 0;
}

/* "v(a)", "v(a,b)", "i(v1)", "{expression}" or an unknown's own name */
/* HSPICE's wildcards (v(x1.*), i(*), v(out?)): every unknown whose name
 * matches, in unknown order; *cols (may be NULL) gets their columns */
static int add_wildcard(OutSet *os, const Engine *e, const OutReq *rq, Diag *d, int **cols, int *ncols)
{
    int found = 0;
    for (int i = 0; i < e->n; i++) {
        if (e->uk.v[i].hidden || fnmatch(rq->text, e->uk.v[i].name, 0) != 0) continue;
        add(os, e->uk.v[i].name, type_of(&e->uk.v[i]), i, e->n);
        if (cols) {
            *cols = xrealloc(*cols, (size_t)(*ncols + 1) * sizeof **cols);
            (*cols)[(*ncols)++] = find_col(os, e->uk.v[i].name);
        }
        found++;
    }
    if (!found) diag_error(d, &rq->loc, "output pattern '%s' matches no node voltage or branch current", rq->text);
    return found ? 0 : -1;
}

static int is_pattern(const OutReq *rq)
{
    return !rq->expr && strpbrk(rq->text, "*?") != NULL;
}

static int add_request(OutSet *os, const Engine *e, const OutReq *rq, Diag *d)
{
    const char *t = rq->text;
    if (rq->expr) return find_col(os, t) >= 0 ? 0 : add_expr_request(os, e, rq, d);
    if (is_pattern(rq)) return add_wildcard(os, e, rq, d, NULL, NULL);
    int u = engine_find_unknown(e, t);
    if (u >= 0) {
        add(os, t, type_of(&e->uk.v[u]), u, e->n);
        return 0;
    }
    if (add_dout_request(os, e, t) == 0 || add_xyce_alias(os, e, t) == 0) return 0;
    size_t len = strlen(t);
    if (len > 3 && t[1] == '(' && t[len - 1] == ')' && (t[0] == 'v' || t[0] == 'i')) {
        char *inner = xstrndup(t + 2, len - 3);
        char *comma = strchr(inner, ',');
        int rc = -1;
        if (t[0] == 'v') {
            if (comma) *comma = '\0';
            int a = node_row(e, inner), b = comma ? node_row(e, comma + 1) : e->n;
            if (a >= 0 && b >= 0) {
                add(os, t, VT_VOLTAGE, a, b);
                rc = 0;
            } else {
                diag_error(d, &rq->loc, "no node named '%s' for output %s", a < 0 ? inner : comma + 1, t);
            }
        } else {
            Instance *in = circuit_find_instance(e->ckt, inner);
            if (in && in->branch >= 0) {
                add(os, t, VT_CURRENT, in->branch, e->n);
                rc = 0;
            } else if (in) {
                diag_error(d, &rq->loc, "%s has no branch current to output (only voltage sources, inductors, "
                           "E/H sources and devices that compute their current, such as memristors, do)", inner);
            } else {
                diag_error(d, &rq->loc, "no element named '%s' for output %s", inner, t);
            }
        }
        free(inner);
        return rc;
    }
    diag_error(d, &rq->loc, "unknown output '%s' (expected v(node), v(node,node), i(element) or a device "
               "state name)", t);
    return -1;
}

int outset_build(OutSet *os, const Engine *e, const Deck *deck, AnalysisKind kind, Diag *d)
{
    memset(os, 0, sizeof *os);
    os->temper = e->temp_k - 273.15;
    os->kind = (int)kind;
    int rc = 0;
    int all = deck->save.n == 0;
    for (int k = 0; k < deck->save.n; k++) all |= strcmp(deck->save.v[k].text, "all") == 0;
    if (all)
        for (int i = 0; i < e->n; i++)
            if (!e->uk.v[i].hidden) add(os, e->uk.v[i].name, type_of(&e->uk.v[i]), i, e->n);
    if (all) add_all_douts(os, e);
    for (int k = 0; k < deck->save.n; k++)
        if (strcmp(deck->save.v[k].text, "all") != 0 && add_request(os, e, &deck->save.v[k], d)) rc = -1;
    for (int k = 0; k < deck->print.n; k++) {
        const OutReq *rq = &deck->print.v[k];
        if (rq->print_kind != (int)kind || kind == AN_AC) continue;   /* .print ac: ac.c (vdb(), vp(), ...) */
        if (strcmp(rq->text, "all") == 0) {   /* .print tran all */
            for (int i = 0; i < e->n; i++) add(os, e->uk.v[i].name, type_of(&e->uk.v[i]), i, e->n);
            for (int i = 0; i < e->n; i++) {
                os->print_cols = xrealloc(os->print_cols, (size_t)(os->nprint + 1) * sizeof *os->print_cols);
                os->print_cols[os->nprint++] = find_col(os, e->uk.v[i].name);
            }
            continue;
        }
        if (is_pattern(rq)) {
            if (add_wildcard(os, e, rq, d, &os->print_cols, &os->nprint)) rc = -1;
            continue;
        }
        if (add_request(os, e, rq, d)) {
            rc = -1;
            continue;
        }
        int col = find_col(os, rq->text);
        os->print_cols = xrealloc(os->print_cols, (size_t)(os->nprint + 1) * sizeof *os->print_cols);
        os->print_cols[os->nprint++] = col;
    }
    /* signals of .meas: the columns already there, or hidden ones after them */
    os->nshow = os->n;
    os->meas_col = xmalloc((size_t)(deck->meas_sig.n + 1) * sizeof *os->meas_col);
    for (int j = 0; j < deck->meas_sig.n; j++) {
        const OutReq *rq = &deck->meas_sig.v[j];
        os->meas_col[j] = -1;
        if (rq->print_kind >= 0 && rq->print_kind != (int)kind) continue;
        if (kind == AN_AC) continue;   /* .meas ac: ac.c */
        if (add_request(os, e, rq, d)) rc = -1;
        else os->meas_col[j] = find_col(os, rq->text);
    }
    return rc;
}

void outset_free(OutSet *os)
{
    for (int k = 0; k < os->n; k++) free((char *)os->vars[k].name);
    free(os->vars);
    free(os->probes);
    free(os->print_cols);
    free(os->meas_col);
    for (int k = 0; k < os->nexprs; k++) {
        free(os->exprs[k].ref);
        free(os->exprs[k].vals);
    }
    free(os->exprs);
    strmap_free(&os->cols);
    memset(os, 0, sizeof *os);
}

static double eval_expr(const OutSet *os, const OutExpr *ox, const double *y, double t)
{
    for (int j = 0; j < ox->ie->nsig; j++) {
        const struct OutSig *r = &ox->ref[j];
        if (r->kind == 1) {
            double dv[DOUT_MAX];
            r->inst->type->output(r->inst, y, dv);
            ox->vals[j] = dv[r->k];
        } else {
            ox->vals[j] = r->kind == 0 ? y[r->row] : r->kind == 2 ? t : os->temper;
        }
    }
    double v = expr_eval(ox->ie->prog, ox->vals);
    return isfinite(v) ? v : NAN;
}

void outset_eval(const OutSet *os, const double *y, double t, double *values)
{
    /* a device's outputs come from one evaluation: consecutive columns of
     * one instance (i, r, ...) share it */
    const Instance *last = NULL;
    double dv[DOUT_MAX];
    for (int k = 0; k < os->n; k++) {
        const Probe *p = &os->probes[k];
        if (p->ex >= 0) {
            values[k] = eval_expr(os, &os->exprs[p->ex], y, t);
        } else if (p->inst) {
            if (p->inst != last) {
                p->inst->type->output(p->inst, y, dv);
                last = p->inst;
            }
            values[k] = dv[p->k];
        } else {
            values[k] = y[p->a] - y[p->b];
        }
    }
}

int plotout_begin(PlotOut *po, Sink *main, const RunOpts *ro, const Deck *deck, const char *plotname,
                  const OutVar *scale, const OutSet *os, Diag *d)
{
    memset(po, 0, sizeof *po);
    int first = scale ? 1 : 0;
    po->has_scale = first;
    po->nvars = os->nshow + first;   /* what the outputs see; .meas-only columns follow */
    po->vars = xmalloc((size_t)(po->nvars ? po->nvars : 1) * sizeof *po->vars);
    if (scale) po->vars[0] = *scale;
    for (int k = 0; k < os->nshow; k++) po->vars[first + k] = os->vars[k];
    po->vals = xcalloc((size_t)(os->n + first + 1), sizeof *po->vals);
    po->main = main;
    if (ro->meas) po->meas = meas_rec_new(deck, os->kind, ro->meas, os->meas_col, first, scale ? scale->name : "");
    PlotInfo pi = {.title = deck->title ? deck->title : "", .plotname = plotname, .vars = po->vars, .nvars = po->nvars};
    if (os->nprint > 0 && ro->out) {
        int *cols = xmalloc((size_t)os->nprint * sizeof *cols);
        for (int k = 0; k < os->nprint; k++) cols[k] = os->print_cols[k] + first;
        po->print = print_sink_new(ro->out, cols, os->nprint);
        free(cols);
        if (po->print->begin(po->print, &pi, d)) return -1;
    }
    if (po->main && po->main->begin(po->main, &pi, d)) return -1;
    return 0;
}

int plotout_point(PlotOut *po, Diag *d)
{
    /* a NaN or infinity in a waveform is a failed simulation, not data */
    for (int k = 0; k < po->nvars; k++) {
        if (isfinite(po->vals[k])) continue;
        char at[96] = "at the operating point";
        if (po->has_scale) snprintf(at, sizeof at, "at %s=%g", po->vars[0].name, po->vals[0]);
        diag_error(d, po->loc, "output %s is %g %s: a non-finite value is not written (the output holds the points before it)",
                   po->vars[k].name, po->vals[k], at);
        return -1;
    }
    if (po->main && po->main->point(po->main, po->vals, d)) return -1;
    if (po->print && po->print->point(po->print, po->vals, d)) return -1;
    if (po->meas) meas_rec_point(po->meas, po->vals);
    return 0;
}

int plotout_end(PlotOut *po, int complete, Diag *d)
{
    int rc = 0;
    meas_rec_finish(po->meas, complete);
    if (po->main && po->main->end(po->main, d)) rc = -1;
    if (po->print) {
        if (po->print->end(po->print, d)) rc = -1;
        po->print->close(po->print);
    }
    free(po->vars);
    free(po->vals);
    memset(po, 0, sizeof *po);
    return rc;
}
