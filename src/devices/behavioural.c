/* Behavioural sources: an expression of node voltages, branch currents,
 * time and temperature (ngspice B sources, and E/G with value=):
 *   B<name> n+ n- I=expr    E/G... value=  current from n+ through the
 *   G<name> n+ n- value=expr / cur=expr    source to n- (leaves n+)
 *   B<name> n+ n- V=expr    branch current unknown i(name):
 *   E<name> n+ n- value=expr / vol=expr    F_k = v(n+) - v(n-) - V(expr)
 * The Jacobian comes from the expression's exact derivatives (forward-mode
 * AD, src/expr); no finite differences. A domain error (division by zero,
 * log of a non-positive number, ...) makes the iteration fail with the
 * device, time and reason, so Newton steps back, or a smaller step or
 * another DC strategy avoids the region; if none can, that is the error
 * reported. An infinite slope at a defined value (sqrt at 0) is not an
 * error: see beh_eval. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "engine/mna.h"

typedef struct Beh {
    Instance in;
    int a, b, k;                 /* output rows; own branch (voltage form) */
    int hak, hbk, hka, hkb;
    int nv;                      /* variables of the program */
    const int *var;              /* their signal slots */
    int *row;                    /* per signal: matrix row, -1 for time/temper */
    int *h1, *h2;                /* per variable: handles (a,row)/(b,row) or (k,row) */
    double *vals, *grad;
} Beh;

static int is_voltage_form(const Beh *x)
{
    return x->in.type->flags & DEV_BRANCH;
}

static int beh_check(Instance *in, const Circuit *ckt, Diag *d)
{
    for (int k = 0; k < in->expr->nsig; k++) {
        const Signal *s = &in->expr->sig[k];
        if (s->kind != SIG_BRANCH) continue;
        const Instance *ref = circuit_find_instance(ckt, s->inst);
        if (!ref) {
            diag_error(d, &in->expr->loc, "%s: i(%s): no element of that name", in->name, s->inst);
            return -1;
        }
        if (!(ref->type->flags & DEV_BRANCH)) {
            diag_error(d, &in->expr->loc, "%s: i(%s): a %s has no branch current (voltage sources, inductors and "
                       "E/H/B voltage sources have one)", in->name, s->inst, ref->type->name);
            return -1;
        }
    }
    return 0;
}

/* Current form: a current that reads the voltage of one of its own
 * terminals (I=1-v(s) from 0 to s) is a conductance between them, so
 * the node has a DC path (topology check). A terminal read only through
 * the time or a branch current is not. */
static int beh_dc_conducts(const Instance *in)
{
    for (int k = 0; k < in->expr->nsig; k++) {
        const Signal *s = &in->expr->sig[k];
        if (s->kind == SIG_NODE && s->node != 0 && (s->node == in->nodes[0] || s->node == in->nodes[1]))
            return 1;
    }
    return 0;
}

/* one block per group for the per-instance arrays (freed with the group) */
static int beh_setup(InstGroup *g, SetupCtx *s)
{
    size_t ints = 0, dbls = 0;
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        x->nv = expr_prog_nvars(x->in.expr->prog);
        ints += (size_t)x->in.expr->nsig + 2 * (size_t)x->nv;
        dbls += (size_t)x->in.expr->nsig + (size_t)x->nv;
    }
    char *blk = xcalloc(1, ints * sizeof(int) + dbls * sizeof(double) + 16);
    free(g->priv);
    g->priv = blk;
    double *dp = (double *)blk;
    int *ip = (int *)(dp + dbls);
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        int ns = x->in.expr->nsig;
        x->var = expr_prog_vars(x->in.expr->prog);
        x->vals = dp, dp += ns;
        x->grad = dp, dp += x->nv;
        x->row = ip, ip += ns;
        x->h1 = ip, ip += x->nv;
        x->h2 = ip, ip += x->nv;
        if (is_voltage_form(x)) {
            char *name = xasprintf("i(%s)", x->in.name);
            x->k = mna_add_unknown(s, &x->in, UK_CURRENT, name, 0, 0);
            free(name);
            x->in.branch = x->k;
        }
    }
    return 0;
}

static void beh_reserve(InstGroup *g, SetupCtx *s)
{
    const Circuit *ckt = mna_circuit(s);
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        const InstExpr *ie = x->in.expr;
        x->a = mna_node_row(s, x->in.nodes[0]);
        x->b = mna_node_row(s, x->in.nodes[1]);
        for (int k = 0; k < ie->nsig; k++) {
            const Signal *sg = &ie->sig[k];
            if (sg->kind == SIG_NODE) {
                x->row[k] = mna_node_row(s, sg->node);
            } else if (sg->kind == SIG_BRANCH) {
                const Instance *ref = circuit_find_instance(ckt, sg->inst);
                x->row[k] = ref && ref->branch >= 0 ? ref->branch : mna_node_row(s, 0);
            } else {
                x->row[k] = -1;
            }
        }
        int vf = is_voltage_form(x);
        if (vf) {
            x->hak = mna_reserve(s, x->a, x->k);
            x->hbk = mna_reserve(s, x->b, x->k);
            x->hka = mna_reserve(s, x->k, x->a);
            x->hkb = mna_reserve(s, x->k, x->b);
        }
        for (int j = 0; j < x->nv; j++) {
            int r = x->row[x->var[j]];
            if (r < 0) r = mna_node_row(s, 0);   /* time: no matrix entry (sink) */
            x->h1[j] = mna_reserve(s, vf ? x->k : x->a, r);
            x->h2[j] = vf ? mna_reserve(s, x->k, x->k) : mna_reserve(s, x->b, r);
        }
    }
}

/* value and gradient of the expression at the iterate; 0, or -1 after a fault */
static int beh_eval(Beh *x, const LoadCtx *c, double *val)
{
    const InstExpr *ie = x->in.expr;
    for (int k = 0; k < ie->nsig; k++) {
        const Signal *sg = &ie->sig[k];
        x->vals[k] = x->row[k] >= 0 ? c->y[x->row[k]] : sg->kind == SIG_TIME ? c->t : c->temp - 273.15;
    }
    *val = expr_eval_grad(ie->prog, x->vals, x->grad);
    ExprDomain dom = expr_prog_domain_error(ie->prog);
    if (dom == EXPR_DOM_DERIV && isfinite(*val)) {
        /* The value is defined but a slope is not (sqrt(x) at x = 0, x^0.5,
         * asin(x) at 1, atan2 at (0, 0)). The slope only steers Newton: the
         * residual decides whether a point is accepted (newton.c), so an
         * infinite or undefined slope is taken as 0 here (the unknown is
         * treated as not acting on the source for this one iteration) and a
         * start at the singular point goes on instead of failing. */
        for (int j = 0; j < x->nv; j++)
            if (!isfinite(x->grad[j])) x->grad[j] = 0;
        expr_prog_clear_error(ie->prog);
        return 0;
    }
    if (dom != EXPR_DOM_OK) {
        load_fault((LoadCtx *)c, &x->in, "%s in '%s' at t=%g", expr_prog_domain_msg(ie->prog), ie->text, c->t);
        expr_prog_clear_error(ie->prog);
        return -1;
    }
    return 0;
}

static void beh_load(InstGroup *g, LoadCtx *c)
{
    for (int i = 0; i < g->n; i++) {
        Beh *x = (Beh *)group_inst(g, i);
        double v;
        if (beh_eval(x, c, &v)) continue;
        if (is_voltage_form(x)) {
            double cur = c->y[x->k];
            double vab = c->y[x->a] - c->y[x->b];
            load_f(c, x->a, cur, fabs(cur));
            load_f(c, x->b, -cur, fabs(cur));
            load_f(c, x->k, vab - v, fmax(fabs(vab), fabs(v)));
            c->G[x->hak] += 1;
            c->G[x->hbk] -= 1;
            c->G[x->hka] += 1;
            c->G[x->hkb] -= 1;
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) c->G[x->h1[j]] -= x->grad[j];
        } else {
            load_f(c, x->a, v, fabs(v));
            load_f(c, x->b, -v, fabs(v));
            for (int j = 0; j < x->nv; j++)
                if (x->row[x->var[j]] >= 0) {
                    c->G[x->h1[j]] += x->grad[j];
                    c->G[x->h2[j]] -= x->grad[j];
                }
        }
    }
}

static const char *const terms[] = {"n+", "n-"};
static const TermPair out_pair[] = {{0, 1}};
static const char *const keys_b_v[] = {"v", NULL};
static const char *const keys_b_i[] = {"i", NULL};
static const char *const keys_e[] = {"value", "vol", NULL};
static const char *const keys_g[] = {"value", "cur", NULL};

#define BEH_VOLTAGE(sym, letter_, keys, nm, sum)                                                   \
    const DeviceType sym = {                                                                      \
        .name = nm, .summary = sum, .letter = letter_, .flags = DEV_BRANCH, .nterm = 2,            \
        .term_names = terms, .expr_keys = keys, .dc_paths = out_pair, .n_dc_paths = 1,             \
        .vdef = out_pair, .n_vdef = 1, .inst_size = sizeof(Beh), .check = beh_check,               \
        .setup = beh_setup, .reserve = beh_reserve, .load = beh_load,                              \
    }
#define BEH_CURRENT(sym, letter_, keys, nm, sum)                                                   \
    const DeviceType sym = {                                                                      \
        .name = nm, .summary = sum, .letter = letter_, .nterm = 2, .term_names = terms,            \
        .expr_keys = keys, .dc_conducts = beh_dc_conducts, .inst_size = sizeof(Beh),               \
        .check = beh_check, .setup = beh_setup, .reserve = beh_reserve, .load = beh_load,          \
    }

BEH_VOLTAGE(device_bvoltage, 'B', keys_b_v, "bsource-v", "behavioural voltage source: B n+ n- V=expr");
BEH_CURRENT(device_bcurrent, 'B', keys_b_i, "bsource-i", "behavioural current source: B n+ n- I=expr");
BEH_VOLTAGE(device_evalue, 'E', keys_e, "vcvs-value", "behavioural voltage source: E n+ n- value=expr");
BEH_CURRENT(device_gvalue, 'G', keys_g, "vccs-value", "behavioural current source: G n+ n- value=expr");
