/* .step lines -> a plan of parameter points (see step.h). */
#include "netlist/step.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "util/number.h"
#include "util/xmem.h"

static int is_word(const Item *it, const char *w)
{
    return it->kind == ITEM_WORD && strcmp(it->text, w) == 0;
}

/* a number word or a constant {expression} */
static int item_value(const Item *it, double *v, Diag *d)
{
    if (it->kind == ITEM_WORD && spice_number(it->text, v) && isfinite(*v)) return 0;
    if (it->kind == ITEM_EXPR) {
        ExprError err = {0};
        if (expr_eval_const(it->text, NULL, v, &err) == 0) return 0;
        diag_error(d, &it->loc, ".step: %s", err.msg);
        return -1;
    }
    diag_error(d, &it->loc, ".step: expected a number, got '%s'", it->text ? it->text : item_kind_name(it->kind));
    return -1;
}

static void push(StepAxis *a, double v)
{
    a->values = xrealloc(a->values, (size_t)(a->n + 1) * sizeof *a->values);
    a->values[a->n++] = v;
}

/* start stop incr, or dec/oct start stop n */
static int sweep(StepAxis *a, const char *kind, const Card *c, int k, Diag *d)
{
    if (c->nitems - k != 3) {
        diag_error(d, &c->loc, ".step %s%s%s needs start stop %s", kind, kind[0] ? " " : "", a->name,
                   strcmp(kind, "dec") && strcmp(kind, "oct") ? "increment" : "points-per-interval");
        return -1;
    }
    double start, stop, inc;
    if (item_value(c->items[k], &start, d) || item_value(c->items[k + 1], &stop, d) ||
        item_value(c->items[k + 2], &inc, d))
        return -1;
    if (!strcmp(kind, "dec") || !strcmp(kind, "oct")) {
        double base = kind[0] == 'd' ? 10 : 2;
        if (!(start > 0) || !(stop > 0)) {
            diag_error(d, &c->items[k]->loc, ".step %s: start and stop must be positive", kind);
            return -1;
        }
        if (!(inc >= 1) || inc != floor(inc) || inc > 1e6) {
            diag_error(d, &c->items[k + 2]->loc, ".step %s: points per %s must be a whole number >= 1", kind,
                       kind[0] == 'd' ? "decade" : "octave");
            return -1;
        }
        double ratio = pow(base, 1 / inc), span = log(stop / start) / log(ratio);
        if (fabs(span) > STEP_MAX_POINTS) {
            diag_error(d, &c->loc, ".step: more than %d points", STEP_MAX_POINTS);
            return -1;
        }
        long n = (long)floor(fabs(span) + 1e-9);
        double dir = stop >= start ? 1 : -1;
        for (long i = 0; i <= n; i++) push(a, start * pow(ratio, dir * (double)i));
        /* the last point lands on stop when the span is whole */
        if (fabs(a->values[a->n - 1] - stop) <= 1e-9 * fabs(stop)) a->values[a->n - 1] = stop;
        return 0;
    }
    if (inc == 0) {
        diag_error(d, &c->items[k + 2]->loc, ".step: the increment is 0");
        return -1;
    }
    double span = (stop - start) / inc;
    if (span < -1e-9) {
        diag_error(d, &c->items[k + 2]->loc, ".step: the increment %g goes away from stop (%g -> %g)", inc, start,
                   stop);
        return -1;
    }
    if (span > STEP_MAX_POINTS) {
        diag_error(d, &c->loc, ".step: more than %d points", STEP_MAX_POINTS);
        return -1;
    }
    long n = (long)floor(span + 1e-9);
    for (long i = 0; i <= n; i++) push(a, start + (double)i * inc);
    if (fabs(a->values[a->n - 1] - stop) <= 1e-9 * fmax(fabs(stop), fabs(inc))) a->values[a->n - 1] = stop;
    return 0;
}

static int read_line(const Card *c, StepAxis *a, Diag *d)
{
    int k = 1;
    const char *kind = "";
    if (k < c->nitems && (is_word(c->items[k], "lin") || is_word(c->items[k], "dec") || is_word(c->items[k], "oct")))
        kind = c->items[k++]->text;
    if (k < c->nitems && is_word(c->items[k], "temp")) {
        a->kind = STEP_TEMP;
        a->name = xstrdup("temp");
        k++;
    } else if (k + 1 < c->nitems && is_word(c->items[k], "param") && c->items[k + 1]->kind == ITEM_WORD) {
        a->kind = STEP_PARAM;
        a->name = xstrdup(c->items[k + 1]->text);
        a->target = xstrdup(a->name);
        k += 2;
    } else if (k + 1 < c->nitems && c->items[k]->kind == ITEM_WORD && c->items[k + 1]->kind == ITEM_CALL &&
               c->items[k + 1]->nargs == 1 && c->items[k + 1]->args[0]->kind == ITEM_WORD) {
        /* LTspice: .step NPN 2N2222(VAF) ... (the type word is not checked
         * here: the model must exist, which elaboration checks) */
        a->kind = STEP_MODEL;
        a->target = xstrdup(c->items[k + 1]->text);
        a->param = xstrdup(c->items[k + 1]->args[0]->text);
        a->name = xasprintf("%s(%s)", a->target, a->param);
        k += 2;
    } else if (k < c->nitems && c->items[k]->kind == ITEM_WORD && strchr("vi", c->items[k]->text[0]) &&
               !is_word(c->items[k], "list")) {
        /* LTspice: .step V1 1 5 1, a source's DC value */
        a->kind = STEP_SOURCE;
        a->name = xstrdup(c->items[k]->text);
        a->target = xstrdup(a->name);
        k++;
    } else {
        diag_error(d, k < c->nitems ? &c->items[k]->loc : &c->loc,
                   ".step: expected 'param NAME', 'temp', a model parameter 'TYPE MODEL(PARAM)' or a V/I source "
                   "name");
        return -1;
    }
    a->loc = c->loc;
    if (k < c->nitems && is_word(c->items[k], "list")) {
        if (kind[0]) {
            diag_error(d, &c->items[k]->loc, ".step: 'list' cannot follow '%s'", kind);
            return -1;
        }
        if (k + 1 >= c->nitems) {
            diag_error(d, &c->items[k]->loc, ".step list needs at least one value");
            return -1;
        }
        for (int j = k + 1; j < c->nitems; j++) {
            double v;
            if (item_value(c->items[j], &v, d)) return -1;
            push(a, v);
        }
        return 0;
    }
    return sweep(a, kind, c, k, d);
}

int step_plan_read(const Netlist *nl, StepPlan *plan, Diag *d)
{
    memset(plan, 0, sizeof *plan);
    int depth = 0, rc = 0;
    for (int i = 0; i < nl->ncards; i++) {
        const Card *c = nl->cards[i];
        const char *w = c->items[0]->kind == ITEM_WORD ? c->items[0]->text : "";
        if (!strcmp(w, ".subckt")) depth++;
        else if (!strcmp(w, ".ends") && depth > 0) depth--;
        if (strcmp(w, ".step")) continue;
        if (depth > 0) {
            diag_error(d, &c->loc, ".step inside a subcircuit definition");
            rc = -1;
            continue;
        }
        if (plan->nax == STEP_MAX_AXES) {
            diag_error(d, &c->loc, "more than %d .step lines (nested sweeps go up to three)", STEP_MAX_AXES);
            rc = -1;
            continue;
        }
        StepAxis *a = &plan->ax[plan->nax++];
        if (read_line(c, a, d)) {
            rc = -1;
            continue;
        }
        for (int j = 0; j < plan->nax - 1; j++)
            if (!strcmp(plan->ax[j].name, a->name)) {
                char where[512];
                diag_error(d, &c->loc, ".step: '%s' is already stepped at %s", a->name,
                           srcloc_str(&plan->ax[j].loc, where, sizeof where));
                rc = -1;
            }
    }
    if (rc) {
        step_plan_free(plan);
        return -1;
    }
    double total = plan->nax ? 1 : 0;
    for (int j = 0; j < plan->nax; j++) total *= plan->ax[j].n;
    if (total > STEP_MAX_POINTS) {
        diag_error(d, &plan->ax[0].loc, ".step: %g points in all, more than the limit of %d", total, STEP_MAX_POINTS);
        step_plan_free(plan);
        return -1;
    }
    plan->npoints = (long)total;
    return 0;
}

void step_plan_free(StepPlan *plan)
{
    for (int j = 0; j < plan->nax; j++) {
        free(plan->ax[j].name);
        free(plan->ax[j].target);
        free(plan->ax[j].param);
        free(plan->ax[j].values);
    }
    memset(plan, 0, sizeof *plan);
}

void step_point_values(const StepPlan *plan, long k, double *vals)
{
    for (int j = plan->nax - 1; j >= 0; j--) {
        const StepAxis *a = &plan->ax[j];
        vals[j] = a->values[k % a->n];
        k /= a->n;
    }
}

char *step_point_label(const StepPlan *plan, long k)
{
    double vals[STEP_MAX_AXES];
    step_point_values(plan, k, vals);
    char *s = xstrdup("");
    for (int j = 0; j < plan->nax; j++) {
        char *t = xasprintf("%s%s%s=%.10g", s, j ? ", " : "", plan->ax[j].name, vals[j]);
        free(s);
        s = t;
    }
    return s;
}
