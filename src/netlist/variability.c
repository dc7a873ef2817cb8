/* Random functions at elaboration (docs/variability.md): gauss, agauss,
 * unif, aunif and limit(nom, abs), drawn when a parameter expression is
 * evaluated. Each number is a pure function of
 *     (seed, .step index, context kind, owner, parameter, seq)
 * where the context (Elab.rnd) says what is being evaluated: a .param or
 * subcircuit parameter (owner: the scope's prefix, "" at the top level, so
 * a top-level .param is drawn once per run and a subcircuit parameter once
 * per subcircuit instance), an element's parameter (owner: the flat
 * instance name), a .model parameter (owner: the model, or the instance
 * a per-instance copy is drawn for); seq counts the random calls in that
 * context in text order. Nothing depends on the order in which elements or
 * parameters are evaluated, on threads or on MPI ranks. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/number.h"
#include "util/rng.h"

ElabRnd elab_rnd_enter(Elab *el, RndKind kind, const char *owner, const char *param)
{
    ElabRnd prev = el->rnd;
    el->rnd = (ElabRnd){(int)kind, owner, param, 0};
    return prev;
}

void elab_rnd_leave(Elab *el, ElabRnd prev)
{
    el->rnd = prev;
}

static const char *const rnd_names[] = {"gauss", "agauss", "unif", "aunif", "limit"};

int elab_rnd_draw(Elab *el, ExprRandKind kind, const double *a, double *out, char *err, size_t errn)
{
    const char *fn = rnd_names[kind];
    if (!el->seed_ready) {
        snprintf(err, errn, "%s: the seed cannot itself be drawn by a random function", fn);
        return -1;
    }
    int nargs = kind <= EXPR_RAND_AGAUSS ? 3 : 2;
    for (int k = 0; k < nargs; k++)
        if (!isfinite(a[k])) {
            snprintf(err, errn, "%s: argument %d is not a finite number (%g)", fn, k + 1, a[k]);
            return -1;
        }
    if (nargs == 3 && !(a[2] > 0)) {
        snprintf(err, errn, "%s: the number of sigmas (argument 3) must be positive, got %g", fn, a[2]);
        return -1;
    }
    uint64_t key = rng_absorb(el->deck->ckt->rng_key, (uint64_t)el->rnd.kind);
    key = rng_absorb_str(key, el->rnd.owner);
    key = rng_absorb_str(key, el->rnd.param);
    key = rng_absorb(key, (uint64_t)el->rnd.seq);
    el->rnd.seq++;
    el->rnd_draws++;
    double nom = a[0], u = rng_uniform(key, 0);
    switch (kind) {
    case EXPR_RAND_GAUSS: *out = nom + nom * a[1] / a[2] * rng_normal(key, 1); break;
    case EXPR_RAND_AGAUSS: *out = nom + a[1] / a[2] * rng_normal(key, 1); break;
    case EXPR_RAND_UNIF: *out = nom + nom * a[1] * (2.0 * u - 1.0); break;
    case EXPR_RAND_AUNIF: *out = nom + a[1] * (2.0 * u - 1.0); break;
    case EXPR_RAND_LIMIT: *out = nom + (u >= 0.5 ? a[1] : -a[1]); break;
    }
    if (!isfinite(*out)) {
        snprintf(err, errn, "%s: the value drawn is not finite", fn);
        return -1;
    }
    return 0;
}

/* .options seed=N: a whole number in [0, 2^64) written in digits, or an
 * expression with a whole value in [0, 2^53] */
static int seed_value(Elab *el, const Card *c, const Item *it, uint64_t *out)
{
    if (it->kind != ITEM_ASSIGN) {
        elab_error(el, NULL, &it->loc, "option 'seed' needs a value: seed=<value>");
        return -1;
    }
    const Item *v = it->value;
    if (v->kind == ITEM_WORD && v->text[0] >= '0' && v->text[0] <= '9' &&
        strspn(v->text, "0123456789") == strlen(v->text)) {
        errno = 0;
        unsigned long long s = strtoull(v->text, NULL, 10);
        if (errno == 0) {
            *out = (uint64_t)s;
            return 0;
        }
        elab_error(el, NULL, &v->loc, "seed must be below 2^64, got %s", v->text);
        return -1;
    }
    double d;
    if (scope_eval_item(el, el->top, c, v, 0, &d)) return -1;
    if (!(d >= 0 && d <= 0x1p53 && d == floor(d))) {
        elab_error(el, NULL, &v->loc, "seed must be a whole number from 0 to 2^64-1, got %g", d);
        return -1;
    }
    *out = (uint64_t)d;
    return 0;
}

static int is_options(const Card *c)
{
    const char *w = c->items[0]->text;
    return !strcmp(w, ".options") || !strcmp(w, ".option") || !strcmp(w, ".opt");
}

int elab_read_seed(Elab *el, const Card *const *cards, int n)
{
    int rc = 0, given = 0;
    uint64_t seed = 0;
    for (int i = 0; i < n; i++) {
        if (!is_options(cards[i])) continue;
        const Card *c = cards[i];
        for (int k = 1; k < c->nitems; k++) {
            const Item *it = c->items[k];
            const char *key = it->kind == ITEM_ASSIGN ? (it->key->kind == ITEM_WORD ? it->key->text : NULL)
                                                      : (it->kind == ITEM_WORD ? it->text : NULL);
            if (!key || strcmp(key, "seed") != 0) continue;
            if (seed_value(el, c, it, &seed)) rc = -1;
            else given = 1;   /* the last one wins, as for other options */
        }
    }
    if (given) {
        el->deck->opt.seed = seed;
        el->deck->opt.seed_given = 1;
    }
    el->seed = el->eo->seed_given ? el->eo->seed : given ? seed
              : el->eo->fallback_given ? el->eo->fallback_seed : rng_default_seed();
    el->deck->seed_chosen = !el->eo->seed_given && !given;
    el->deck->seed_used = el->seed;
    /* devices' own random numbers (memristor c2c) */
    el->deck->ckt->rng_key = rng_absorb(rng_mix(el->seed), (uint64_t)(int64_t)el->eo->step);
    el->seed_ready = 1;
    return rc;
}
