/* .meas / .measure lines (ngspice and LTspice syntax, docs/analyses.md):
 *
 *   .meas tran|dc|op NAME FIND sig AT=x | FIND sig WHEN cond | WHEN cond
 *   .meas tran NAME TRIG cond TARG cond           (cond may be AT=x)
 *   .meas tran NAME AVG|RMS|MIN|MAX|PP|INTEG|MIN_AT|MAX_AT sig [FROM=a] [TO=b]
 *   .meas tran NAME DERIV sig AT=x | DERIV sig WHEN cond
 *   .meas tran NAME COUNT sig VAL=v [RISE|FALL|CROSS] [TD=t] [FROM=a] [TO=b]
 *   .meas tran NAME PARAM='expression of earlier measurements and .params'
 *
 *   cond:  sig=value | sig=sig2 | sig VAL=value, then RISE=n|FALL=n|CROSS=n
 *          (n a number or LAST) and TD=t
 *
 * A signal is v(a), v(a,b), i(v1), a device quantity, {expression},
 * 'expression' or par('expression'). The line becomes a MeasReq of the
 * deck; the analyses record the signals and compute the values
 * (analysis/meas.c). Without the analysis word (LTspice) the measurement
 * is taken on every analysis that runs. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "util/xmem.h"

typedef struct MP {
    Elab *el;
    const Card *c;
    int k;                  /* next item */
    MeasReq m;
    int rc;
} MP;

static const Item *cur(const MP *p)
{
    return p->k < p->c->nitems ? p->c->items[p->k] : NULL;
}

static int is_word(const Item *it, const char *w)
{
    return it && it->kind == ITEM_WORD && strcmp(it->text, w) == 0;
}

static const char *assign_key(const Item *it)
{
    return it && it->kind == ITEM_ASSIGN && it->key->kind == ITEM_WORD ? it->key->text : NULL;
}

static void err(MP *p, const Item *it, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(MP *p, const Item *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    elab_error(p->el, NULL, it ? &it->loc : &p->c->loc, ".meas %s: %s", p->m.name ? p->m.name : "", msg);
    free(msg);
    p->rc = -1;
}

/* a signal item: its index in Deck.meas_sig (added once), -1 on error */
static int add_signal(MP *p, const Item *it)
{
    Deck *dk = p->el->deck;
    const Item *ex = NULL;
    if (it->kind == ITEM_EXPR) ex = it;
    else if (it->kind == ITEM_CALL && !strcmp(it->text, "par") && it->nargs == 1 && it->args[0]->kind == ITEM_EXPR)
        ex = it->args[0];
    char *text = ex ? xasprintf("{%s}", ex->text) : elab_output_text(it);
    if (!text || (!ex && it->kind != ITEM_CALL)) {
        free(text);
        err(p, it, "expected a signal such as v(out), v(a,b), i(v1) or {expression}, got '%s'",
            it->kind == ITEM_WORD ? it->text : "something else");
        return -1;
    }
    for (int j = 0; j < dk->meas_sig.n; j++)
        if (!strcmp(dk->meas_sig.v[j].text, text)) {
            if (dk->meas_sig.v[j].print_kind != p->m.an) dk->meas_sig.v[j].print_kind = -1;
            free(text);
            return j;
        }
    InstExpr *ie = NULL;
    if (ex && !(ie = elab_output_expr(p->el, ex))) {
        free(text);
        p->rc = -1;
        return -1;
    }
    OutReq r = {text, it->loc, p->m.an, ie};
    VEC_PUSH(dk->meas_sig, r);
    return dk->meas_sig.n - 1;
}

static int value(MP *p, const Item *it, double *out)
{
    if (scope_eval_item(p->el, p->el->top, p->c, it, 1, out)) {
        p->rc = -1;
        return -1;
    }
    return 0;
}

static int is_signal_call(const Item *it)
{
    return it && it->kind == ITEM_CALL;
}

/* RISE=n / FALL=n / CROSS=n (n a positive whole number or LAST) */
static void edge_opt(MP *p, const Item *it, MeasPoint *pt, int edge)
{
    pt->edge = edge;
    pt->n = 1;
    if (!it->value) return;
    if (is_word(it->value, "last")) {
        pt->n = 0;
        return;
    }
    double n;
    if (value(p, it->value, &n)) return;
    if (!(n >= 1 && n <= 1e15 && n == floor(n))) {
        err(p, it->value, "%s= must be a whole number from 1 up, or LAST",
            edge > 0 ? "RISE" : edge < 0 ? "FALL" : "CROSS");
        return;
    }
    pt->n = (long)n;
}

/* options after a signal or a condition, up to the next keyword word:
 * VAL= RISE= FALL= CROSS= TD= (for pt, may be NULL) and FROM= TO= AT= */
static void options(MP *p, MeasPoint *pt, int count)
{
    for (const Item *it; (it = cur(p)); p->k++) {
        const char *key = assign_key(it);
        if (!key && it->kind == ITEM_WORD && count && pt &&
            (!strcmp(it->text, "rise") || !strcmp(it->text, "fall") || !strcmp(it->text, "cross"))) {
            pt->edge = it->text[0] == 'r' ? 1 : it->text[0] == 'f' ? -1 : 0;
            continue;
        }
        if (!key) return;   /* a keyword (WHEN, TARG) or something the caller reports */
        double v = 0;
        if (pt && (!strcmp(key, "rise") || !strcmp(key, "fall") || !strcmp(key, "cross"))) {
            if (count) {
                err(p, it, "COUNT takes RISE, FALL or CROSS without a number (it counts them all), got '%s='",
                    key);
                continue;
            }
            edge_opt(p, it, pt, key[0] == 'r' ? 1 : key[0] == 'f' ? -1 : 0);
        } else if (pt && !strcmp(key, "val")) {
            if (value(p, it->value, &pt->val) == 0) pt->given = 1;
        } else if (pt && !strcmp(key, "td")) {
            if (value(p, it->value, &pt->td) == 0) pt->td_given = 1;
        } else if (!strcmp(key, "from") || !strcmp(key, "to")) {
            if (value(p, it->value, &v)) continue;
            if (key[0] == 'f') p->m.from = v, p->m.from_given = 1;
            else p->m.to = v, p->m.to_given = 1;
        } else if (!strcmp(key, "td") && !pt) {   /* ngspice: a window measurement starts after TD */
            if (value(p, it->value, &v) == 0 && !p->m.from_given) p->m.from = v, p->m.from_given = 1;
        } else if (!strcmp(key, "at") && !pt) {
            if (value(p, it->value, &p->m.at) == 0) p->m.at_given = 1;
        } else {
            err(p, it, "unexpected option '%s=' here", key);
        }
    }
}

/* a condition: sig=value, sig=sig2, sig VAL=value, or (TRIG/TARG) AT=x;
 * then its options */
static void condition(MP *p, MeasPoint *pt, const char *what)
{
    const Item *it = cur(p);
    *pt = (MeasPoint){.sig = -1, .rhs = -1, .n = 1};
    if (!it) {
        err(p, NULL, "%s needs a condition such as v(out)=0.5", what);
        return;
    }
    const char *key = assign_key(it);
    if (key && !strcmp(key, "at") && strcmp(what, "WHEN") != 0) {
        if (value(p, it->value, &pt->at) == 0) pt->given = 1;
        p->k++;
        return;
    }
    if (it->kind == ITEM_ASSIGN && (it->key->kind == ITEM_CALL || it->key->kind == ITEM_EXPR)) {
        pt->sig = add_signal(p, it->key);
        if (is_signal_call(it->value) && strcmp(it->value->text, "par") != 0) pt->rhs = add_signal(p, it->value);
        else if (it->value->kind == ITEM_CALL && !strcmp(it->value->text, "par")) pt->rhs = add_signal(p, it->value);
        else value(p, it->value, &pt->val);
        pt->given = 1;
        p->k++;
    } else if (it->kind == ITEM_CALL || it->kind == ITEM_EXPR) {
        pt->sig = add_signal(p, it);
        p->k++;
    } else {
        err(p, it, "%s needs a condition such as v(out)=0.5 or v(out) VAL=0.5", what);
        return;
    }
    options(p, pt, 0);
    if (!pt->given) err(p, it, "%s: the condition has no value: write sig=value or sig VAL=value", what);
}

static int signal_arg(MP *p, const char *what)
{
    const Item *it = cur(p);
    if (!it) {
        err(p, NULL, "%s needs a signal such as v(out)", what);
        return -1;
    }
    p->k++;
    return add_signal(p, it);
}

typedef struct PreCtx {
    const Deck *deck;
} PreCtx;

/* PARAM: earlier measurements are variables (slot = their index) */
static ExprSymKind meas_name(void *ctx, const char *name, ExprSym *out)
{
    const Deck *dk = ((PreCtx *)ctx)->deck;
    for (int j = 0; j < dk->meas.n; j++)
        if (!strcmp(dk->meas.v[j].name, name)) {
            out->kind = EXPR_SYM_VAR;
            out->slot = j;
            return EXPR_SYM_VAR;
        }
    return EXPR_SYM_UNDEF;
}

static void param_expr(MP *p, const Item *it)
{
    if (!it || !(it->kind == ITEM_EXPR || it->kind == ITEM_WORD)) {
        err(p, it, "PARAM needs an expression: PARAM='a/b'");
        return;
    }
    PreCtx x = {p->el->deck};
    SrcLoc l = it->loc;
    if (it->kind == ITEM_EXPR && l.col > 0) l.col++;
    p->m.param = scope_compile_text(p->el, p->el->top, it->text, &l, meas_name, &x);
    if (!p->m.param) p->rc = -1;
}

static const struct {
    const char *word;
    MeasKind kind;
} kinds[] = {
    {"find", MEAS_FIND}, {"when", MEAS_WHEN}, {"trig", MEAS_TRIGTARG}, {"avg", MEAS_AVG}, {"rms", MEAS_RMS},
    {"min", MEAS_MIN}, {"max", MEAS_MAX}, {"pp", MEAS_PP}, {"integ", MEAS_INTEG}, {"integral", MEAS_INTEG},
    {"deriv", MEAS_DERIV}, {"derivative", MEAS_DERIV}, {"param", MEAS_PARAM}, {"count", MEAS_COUNT},
    {"min_at", MEAS_MIN_AT}, {"max_at", MEAS_MAX_AT},
};

static int kind_of(const char *w, MeasKind *k)
{
    for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++)
        if (!strcmp(w, kinds[j].word)) {
            *k = kinds[j].kind;
            return 0;
        }
    return -1;
}

int elab_meas(Elab *el, const Card *c)
{
    MP p = {el, c, 1, {0}, 0};
    p.m.sig = -1;
    p.m.when = p.m.targ = (MeasPoint){.sig = -1, .rhs = -1, .n = 1};
    p.m.loc = c->loc;
    p.m.an = -1;
    const Item *it = cur(&p);
    if (it && it->kind == ITEM_WORD) {
        const char *w = it->text;
        if (!strcmp(w, "tran")) p.m.an = AN_TRAN, p.k++;
        else if (!strcmp(w, "dc")) p.m.an = AN_DC, p.k++;
        else if (!strcmp(w, "op")) p.m.an = AN_OP, p.k++;
        else if (!strcmp(w, "ac")) p.m.an = AN_AC, p.k++;
        else if (!strcmp(w, "noise") || !strcmp(w, "tf") || !strcmp(w, "sp")) {
            diag_warning(el->d, &it->loc, ".meas %s: memspice has no .%s analysis; the line is ignored", w, w);
            return 0;
        }
    }
    it = cur(&p);
    MeasKind kind;
    /* the name may be a keyword itself (.meas tran avg AVG v(out)) */
    if (!it || it->kind != ITEM_WORD) {
        elab_error(el, NULL, it ? &it->loc : &c->loc,
                   ".meas needs a name: .meas tran|dc|op NAME FIND|WHEN|TRIG|AVG|RMS|MIN|MAX|PP|INTEG|DERIV|COUNT|PARAM ...");
        return -1;
    }
    p.m.name = xstrdup(it->text);
    for (int j = 0; j < el->deck->meas.n; j++)
        if (!strcmp(el->deck->meas.v[j].name, p.m.name)) {
            char where[256];
            elab_error(el, NULL, &it->loc, ".meas %s: a measurement of this name is already defined (%s)", p.m.name,
                       srcloc_str(&el->deck->meas.v[j].loc, where, sizeof where));
            free(p.m.name);
            return -1;
        }
    p.k++;
    it = cur(&p);
    const char *pk = assign_key(it);
    if (pk && !strcmp(pk, "param")) {   /* PARAM='expr' */
        p.m.kind = MEAS_PARAM;
        param_expr(&p, it->value);
        p.k++;
    } else if (!it || it->kind != ITEM_WORD || kind_of(it->text, &kind)) {
        err(&p, it, "expected FIND, WHEN, TRIG, AVG, RMS, MIN, MAX, MIN_AT, MAX_AT, PP, INTEG, DERIV, COUNT or PARAM");
    } else {
        p.m.kind = kind;
        p.k++;
        switch (kind) {
        case MEAS_FIND:
        case MEAS_DERIV:
            p.m.sig = signal_arg(&p, kind == MEAS_FIND ? "FIND" : "DERIV");
            options(&p, NULL, 0);
            if (is_word(cur(&p), "when")) {
                p.k++;
                condition(&p, &p.m.when, "WHEN");
            } else if (!p.m.at_given && p.m.an != AN_OP && p.rc == 0) {
                err(&p, cur(&p), "%s needs AT=value or WHEN condition", kind == MEAS_FIND ? "FIND" : "DERIV");
            }
            break;
        case MEAS_WHEN: condition(&p, &p.m.when, "WHEN"); break;
        case MEAS_TRIGTARG:
            condition(&p, &p.m.when, "TRIG");
            if (!is_word(cur(&p), "targ")) {
                if (p.rc == 0) err(&p, cur(&p), "TRIG needs a TARG condition after it");
                break;
            }
            p.k++;
            condition(&p, &p.m.targ, "TARG");
            break;
        case MEAS_COUNT:
            p.m.sig = signal_arg(&p, "COUNT");
            p.m.when.sig = p.m.sig;
            p.m.when.edge = 1;   /* spikes: rising crossings unless told */
            options(&p, &p.m.when, 1);
            if (!p.m.when.given && p.rc == 0) err(&p, NULL, "COUNT needs the threshold: VAL=value");
            break;
        case MEAS_PARAM: param_expr(&p, cur(&p)); p.k++; break;
        default:   /* AVG RMS MIN MAX PP INTEG MIN_AT MAX_AT */
            p.m.sig = signal_arg(&p, it->text);
            options(&p, NULL, 0);
            if (p.m.at_given) err(&p, NULL, "AT= is for FIND and DERIV; use FROM= and TO= for a window");
            break;
        }
    }
    if (p.rc == 0 && cur(&p)) err(&p, cur(&p), "unexpected '%s' at the end of the line",
                                  cur(&p)->text ? cur(&p)->text : "item");
    if (p.rc == 0 && p.m.an == AN_OP && p.m.kind != MEAS_FIND && p.m.kind != MEAS_PARAM)
        err(&p, NULL, "an operating point has one value per signal: use FIND (or a tran or dc measurement)");
    if (p.rc == 0 && p.m.an == AN_OP && p.m.at_given)
        err(&p, NULL, "an operating point measurement takes no AT=");
    if (p.rc == 0 && p.m.from_given && p.m.to_given && p.m.to < p.m.from)
        err(&p, NULL, "TO= is before FROM=");
    if (p.rc) {
        free(p.m.name);
        expr_prog_free(p.m.param);
        return -1;
    }
    VEC_PUSH(el->deck->meas, p.m);
    return 0;
}
