/* .crossbar: a memristor array described in one line, expanded inside the
 * simulator to exactly the elements a user would write by hand
 * (docs/crossbar.md):
 *
 *   .crossbar NAME rows=R cols=C model=M [cell=0t1r|1s1r|1t1r]
 *   +   [selector=S] [transistor=T w=W l=L]
 *   +   [rrow=ohm] [rcol=ohm] [crow=F] [ccol=F] [rdrv=ohm] [rsense=ohm]
 *   +   [xo=X] [xo_sigma=S xo_lo=A xo_hi=B] [xo_file=FILE] [g_file=FILE vread=V]
 *   +   [save=edges|all]
 *
 * The array is a scope named NAME, like a subcircuit instance: its nodes
 * and elements are NAME.<local name>. The lines are generated as text in a
 * fixed order (docs/crossbar.md lists it) and elaborated through the same
 * card parser and element code as the rest of the netlist, so the circuit
 * is the hand-written one by construction (tests/unit/test_crossbar.c
 * compares the raw files). Generated cards live in a scratch arena that is
 * freed as the expansion goes; every location in them is the .crossbar
 * line's, so messages point at it and nothing refers to freed text. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/elab.h"
#include "netlist/preproc.h"
#include "util/number.h"
#include "util/numtable.h"
#include "util/xmem.h"

enum { XB_0T1R, XB_1S1R, XB_1T1R };
enum { XB_MAX_SIDE = 65536 };
#define XB_MAX_CELLS 4194304.0   /* 2048 x 2048 */

typedef struct Xb {
    Elab *el;
    Scope *s;               /* where the line is */
    Scope *in;              /* the array's own scope */
    const Card *c;
    const char *name;
    int rows, cols, cell;
    const char *model, *selector, *transistor;
    const DeviceType *mtype, *stype;
    const Model *mmodel;
    double rrow, rcol, crow, ccol, rdrv, rsense, w, l;
    int have_w, have_l;
    double xo, xo_sigma, xo_lo, xo_hi, vread;
    int have_xo, have_sigma;
    int save_all;           /* save=all: every node and cell in the default output */
    NumTable xo_tab;
    /* the expansion */
    Netlist scratch;         /* owns the generated cards (arena only) */
    CardParser *cp;
    long ncards;
    long nmem, nres, ncap, nsel, nmos;
} Xb;

static const char *const cell_names[] = {"0t1r", "1s1r", "1t1r"};

/* every location in a generated card is the .crossbar line's */
static void relocate(Item *it, const SrcLoc *loc)
{
    if (!it) return;
    it->loc = *loc;
    relocate(it->key, loc);
    relocate(it->value, loc);
    for (int k = 0; k < it->nargs; k++) relocate(it->args[k], loc);
}

/* one generated element line, elaborated in the array's scope */
static int gen(Xb *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int gen(Xb *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        elab_error(x->el, x->s, &x->c->loc, "%s: generated line too long", x->name);
        return -1;
    }
    Arena *A = &x->scratch.arena;
    Card *c = arena_alloc(A, sizeof *c);
    c->text = arena_strdup(A, buf);
    c->file = x->c->file;
    c->nseg = 1;
    c->seg = arena_alloc(A, sizeof *c->seg);
    c->seg[0] = (LineSeg){0, x->c->loc.line, x->c->loc.col, x->c->loc.text};
    c->loc = x->c->loc;
    if (card_parser_parse(x->cp, c) != 0) return -1;
    for (int k = 0; k < c->nitems; k++) relocate(c->items[k], &x->c->loc);
    int rc = elab_element(x->el, x->in, c);
    if (++x->ncards % 4096 == 0) arena_free(A);   /* nothing refers to the cards once elaborated */
    return rc;
}

static void row_node(const Xb *x, int i, int j, char *b, size_t n)
{
    if (x->rrow > 0) snprintf(b, n, "r%d_%d", i, j);
    else snprintf(b, n, "rl%d", i);   /* ideal row wire: one node */
}

static void col_node(const Xb *x, int i, int j, char *b, size_t n)
{
    if (x->rcol > 0) snprintf(b, n, "c%d_%d", i, j);
    else snprintf(b, n, "ct%d", j);
}

/* the initial state of cell (i, j) as an instance parameter, or "" */
static void xo_text(const Xb *x, int i, int j, char *b, size_t n)
{
    if (x->xo_tab.rows) snprintf(b, n, " xo=%.17g", numtable_at(&x->xo_tab, i, j));
    else if (x->have_sigma)
        snprintf(b, n, " xo={limit(agauss(%.17g, %.17g, 1), %.17g, %.17g)}", x->xo, x->xo_sigma, x->xo_lo, x->xo_hi);
    else if (x->have_xo) snprintf(b, n, " xo=%.17g", x->xo);
    else b[0] = '\0';
}

/* a two-terminal device of type t named `nm` between a and b */
static int gen_two(Xb *x, const DeviceType *t, const char *model, const char *nm, const char *a, const char *b,
                   const char *extra)
{
    if (t->element_word) return gen(x, "%s %s %s %s %s%s", t->element_word, nm, a, b, model, extra);
    return gen(x, "%c%s %s %s %s%s", t->letter, nm, a, b, model, extra);
}

static int expand(Xb *x)
{
    char a[64], b[64], m[64], xo[160];
    int R = x->rows, C = x->cols;
    /* 1. row wires: rl<i> - r<i>_0 - ... - r<i>_<C-1> - rr<i>, the first
     * segment with the driver's resistance added */
    if (x->rrow > 0)
        for (int i = 0; i < R; i++)
            for (int j = 0; j <= C; j++) {
                if (j == 0) snprintf(a, sizeof a, "rl%d", i);
                else row_node(x, i, j - 1, a, sizeof a);
                if (j == C) snprintf(b, sizeof b, "rr%d", i);
                else row_node(x, i, j, b, sizeof b);
                if (gen(x, "rrow%d_%d %s %s %.17g", i, j, a, b, x->rrow + (j == 0 ? x->rdrv : 0))) return -1;
                x->nres++;
            }
    /* 2. column wires: ct<j> - c0_<j> - ... - c<R-1>_<j> - cb<j>, the last
     * segment with the sense resistance added */
    if (x->rcol > 0)
        for (int j = 0; j < C; j++)
            for (int i = 0; i <= R; i++) {
                if (i == 0) snprintf(a, sizeof a, "ct%d", j);
                else col_node(x, i - 1, j, a, sizeof a);
                if (i == R) snprintf(b, sizeof b, "cb%d", j);
                else col_node(x, i, j, b, sizeof b);
                if (gen(x, "rcol%d_%d %s %s %.17g", i, j, a, b, x->rcol + (i == R ? x->rsense : 0))) return -1;
                x->nres++;
            }
    /* 3. wire capacitance to ground at every junction */
    if (x->crow > 0 && x->rrow > 0)
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++) {
                row_node(x, i, j, a, sizeof a);
                if (gen(x, "crow%d_%d %s 0 %.17g", i, j, a, x->crow)) return -1;
                x->ncap++;
            }
    if (x->ccol > 0 && x->rcol > 0)
        for (int j = 0; j < C; j++)
            for (int i = 0; i < R; i++) {
                col_node(x, i, j, a, sizeof a);
                if (gen(x, "ccol%d_%d %s 0 %.17g", i, j, a, x->ccol)) return -1;
                x->ncap++;
            }
    /* 4. the cells, row by row */
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            row_node(x, i, j, a, sizeof a);
            col_node(x, i, j, b, sizeof b);
            xo_text(x, i, j, xo, sizeof xo);
            snprintf(m, sizeof m, "m%d_%d", i, j);
            if (x->cell == XB_0T1R) {
                if (gen_two(x, x->mtype, x->model, m, a, b, xo)) return -1;
            } else if (x->cell == XB_1S1R) {
                char mid[64], sn[64];
                snprintf(mid, sizeof mid, "s%d_%d", i, j);
                snprintf(sn, sizeof sn, "s%d_%d", i, j);
                if (gen_two(x, x->stype, x->selector, sn, a, mid, "")) return -1;
                if (gen_two(x, x->mtype, x->model, m, mid, b, xo)) return -1;
                x->nsel++;
            } else {
                char d[64], wl[40] = "", ll[40] = "";
                snprintf(d, sizeof d, "d%d_%d", i, j);
                if (x->have_w) snprintf(wl, sizeof wl, " w=%.17g", x->w);
                if (x->have_l) snprintf(ll, sizeof ll, " l=%.17g", x->l);
                if (gen_two(x, x->mtype, x->model, m, a, d, xo)) return -1;
                if (gen(x, "mt%d_%d %s wl%d %s %s %s%s%s", i, j, d, i, b, b, x->transistor, wl, ll)) return -1;
                x->nmos++;
            }
            x->nmem++;
        }
    return 0;
}

/* the value of key=value as a number; -1 reported */
static int num(Xb *x, const Item *it, double *v)
{
    return scope_eval_item(x->el, x->s, x->c, it->value, 0, v);
}

static int word(Xb *x, const Item *it, const char **w)
{
    if (it->value->kind != ITEM_WORD) {
        elab_error(x->el, x->s, &it->value->loc, "%s: %s= takes a name", x->name, it->key->text);
        return -1;
    }
    *w = it->value->text;
    return 0;
}

/* g_file: each cell's target conductance (S) replaced by the xo whose
 * read conductance i(vread)/vread it is, from the model's own equations
 * (DeviceType.xo_for_conductance), at the circuit temperature */
static int map_conductances(Xb *x, const Item *it)
{
    if (!x->mtype->xo_for_conductance) {
        elab_error(x->el, x->s, &it->loc, "%s: g_file=: model '%s' (%s) has no state to map conductances to", x->name,
                   x->model, x->mtype->name);
        return -1;
    }
    double temp = x->el->deck->opt.temp + 273.15;
    for (int i = 0; i < x->rows; i++)
        for (int j = 0; j < x->cols; j++) {
            double *v = &x->xo_tab.v[(size_t)i * (size_t)x->cols + (size_t)j], xo;
            char err[256];
            if (x->mtype->xo_for_conductance(x->mmodel, temp, *v, x->vread, &xo, err, sizeof err)) {
                elab_error(x->el, x->s, &it->loc, "%s: g_file row %d, column %d: %s", x->name, i + 1, j + 1, err);
                return -1;
            }
            *v = xo;
        }
    return 0;
}

static int read_args(Xb *x)
{
    const Card *c = x->c;
    int rc = 0;
    double rows = -1, cols = -1;
    const Item *xo_file = NULL, *g_file = NULL;
    for (int k = 2; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind != ITEM_ASSIGN || it->key->kind != ITEM_WORD) {
            elab_error(x->el, x->s, &it->loc, "%s: expected name=value (docs/crossbar.md)", x->name);
            rc = -1;
            continue;
        }
        const char *key = it->key->text, *cw = NULL;
        struct {
            const char *key;
            double *v;
            int *given;
        } nums[] = {{"rows", &rows, NULL},       {"cols", &cols, NULL},         {"rrow", &x->rrow, NULL},
                    {"rcol", &x->rcol, NULL},    {"crow", &x->crow, NULL},      {"ccol", &x->ccol, NULL},
                    {"rdrv", &x->rdrv, NULL},    {"rsense", &x->rsense, NULL},  {"w", &x->w, &x->have_w},
                    {"l", &x->l, &x->have_l},    {"xo", &x->xo, &x->have_xo},   {"xo_sigma", &x->xo_sigma, &x->have_sigma},
                    {"xo_lo", &x->xo_lo, NULL},  {"xo_hi", &x->xo_hi, NULL},     {"vread", &x->vread, NULL}};
        int done = 0;
        for (size_t n = 0; n < sizeof nums / sizeof nums[0] && !done; n++)
            if (!strcmp(key, nums[n].key)) {
                if (num(x, it, nums[n].v)) rc = -1;
                if (nums[n].given) *nums[n].given = 1;
                done = 1;
            }
        if (done) continue;
        if (!strcmp(key, "model")) rc |= word(x, it, &x->model);
        else if (!strcmp(key, "selector")) rc |= word(x, it, &x->selector);
        else if (!strcmp(key, "transistor")) rc |= word(x, it, &x->transistor);
        else if (!strcmp(key, "xo_file")) xo_file = it;
        else if (!strcmp(key, "save")) {
            const char *sw = NULL;
            if (word(x, it, &sw)) {
                rc = -1;
                continue;
            }
            if (!strcmp(sw, "all")) x->save_all = 1;
            else if (strcmp(sw, "edges")) {
                elab_error(x->el, x->s, &it->value->loc, "%s: save=%s: edges (the default) or all", x->name, sw);
                rc = -1;
            }
        }
        else if (!strcmp(key, "g_file")) g_file = it;
        else if (!strcmp(key, "cell")) {
            if (word(x, it, &cw)) {
                rc = -1;
                continue;
            }
            x->cell = -1;
            for (int t = 0; t < 3; t++)
                if (!strcmp(cw, cell_names[t])) x->cell = t;
            if (x->cell < 0) {
                elab_error(x->el, x->s, &it->value->loc, "%s: cell=%s: the cell types are 0t1r, 1s1r and 1t1r", x->name,
                           cw);
                rc = -1;
            }
        } else {
            elab_error(x->el, x->s, &it->key->loc, "%s: unknown parameter '%s' (docs/crossbar.md)", x->name, key);
            rc = -1;
        }
    }
    if (rc) return -1;
    for (int d = 0; d < 2; d++) {
        double v = d ? cols : rows;
        if (!(v >= 1 && v <= XB_MAX_SIDE && v == floor(v))) {
            elab_error(x->el, x->s, &c->loc, "%s: %s=%g: a whole number 1 ... %d is needed", x->name,
                       d ? "cols" : "rows", v < 0 ? 0 : v, XB_MAX_SIDE);
            return -1;
        }
    }
    if (rows * cols > XB_MAX_CELLS) {
        elab_error(x->el, x->s, &c->loc, "%s: %gx%g = %g cells, more than memspice's limit of %g", x->name, rows, cols,
                   rows * cols, XB_MAX_CELLS);
        return -1;
    }
    x->rows = (int)rows, x->cols = (int)cols;
    const struct {
        const char *name;
        double v;
    } nonneg[] = {{"rrow", x->rrow}, {"rcol", x->rcol}, {"crow", x->crow}, {"ccol", x->ccol}, {"rdrv", x->rdrv},
                  {"rsense", x->rsense}, {"xo_sigma", x->xo_sigma}};
    for (size_t k = 0; k < sizeof nonneg / sizeof nonneg[0]; k++)
        if (!(nonneg[k].v >= 0)) {
            elab_error(x->el, x->s, &c->loc, "%s: %s must not be negative, got %g", x->name, nonneg[k].name, nonneg[k].v);
            return -1;
        }
    if (x->rdrv > 0 && x->rrow == 0) {
        elab_error(x->el, x->s, &c->loc, "%s: rdrv= adds to the rows' first wire segment: give rrow= too", x->name);
        return -1;
    }
    if (x->rsense > 0 && x->rcol == 0) {
        elab_error(x->el, x->s, &c->loc, "%s: rsense= adds to the columns' last wire segment: give rcol= too", x->name);
        return -1;
    }
    if (!x->model) {
        elab_error(x->el, x->s, &c->loc, "%s: model= (the memristor model of the cells) is required", x->name);
        return -1;
    }
    const Model *mm = elab_model(x->el, x->s, x->model, &c->loc);
    if (!mm) return -1;
    x->mmodel = mm;
    x->mtype = mm->type;
    if (x->mtype->letter != 'Y' || x->mtype->nterm != 2) {
        elab_error(x->el, x->s, &c->loc, "%s: model '%s' is a %s model; the cells need a two-terminal Y device "
                   "(memristor, threshold switch)", x->name, x->model, x->mtype->name);
        return -1;
    }
    if (x->cell == XB_1S1R) {
        if (!x->selector) {
            elab_error(x->el, x->s, &c->loc, "%s: cell=1s1r needs selector=<model> (a diode or a threshold switch)",
                       x->name);
            return -1;
        }
        const Model *sm = elab_model(x->el, x->s, x->selector, &c->loc);
        if (!sm) return -1;
        x->stype = sm->type;
        if (!((x->stype->letter == 'D') || (x->stype->letter == 'Y' && x->stype->nterm == 2))) {
            elab_error(x->el, x->s, &c->loc, "%s: selector '%s' is a %s model; a diode or a two-terminal Y device "
                       "is needed", x->name, x->selector, x->stype->name);
            return -1;
        }
    } else if (x->selector) {
        elab_error(x->el, x->s, &c->loc, "%s: selector= is for cell=1s1r", x->name);
        return -1;
    }
    if (x->cell == XB_1T1R) {
        if (!x->transistor) {
            elab_error(x->el, x->s, &c->loc, "%s: cell=1t1r needs transistor=<model> (an nmos or pmos model)", x->name);
            return -1;
        }
        const Model *tm = elab_model(x->el, x->s, x->transistor, &c->loc);
        if (!tm) return -1;
        if (tm->type->letter != 'M') {
            elab_error(x->el, x->s, &c->loc, "%s: transistor '%s' is a %s model; a MOSFET model is needed", x->name,
                       x->transistor, tm->type->name);
            return -1;
        }
    } else if (x->transistor || x->have_w || x->have_l) {
        elab_error(x->el, x->s, &c->loc, "%s: transistor=, w= and l= are for cell=1t1r", x->name);
        return -1;
    }
    if (x->have_sigma && !x->have_xo) {
        elab_error(x->el, x->s, &c->loc, "%s: xo_sigma= spreads the states around xo=: give xo= too", x->name);
        return -1;
    }
    if (g_file && (xo_file || x->have_xo)) {
        elab_error(x->el, x->s, &g_file->loc, "%s: g_file= sets the states: no xo= or xo_file= with it", x->name);
        return -1;
    }
    if (g_file) xo_file = g_file;
    if (xo_file) {
        if (x->have_xo) {
            elab_error(x->el, x->s, &xo_file->loc, "%s: xo_file= and xo= both given", x->name);
            return -1;
        }
        char *path = elab_item_path(c, xo_file->value), err[512];
        if (!path) {
            elab_error(x->el, x->s, &xo_file->value->loc, "%s: xo_file= takes a file name", x->name);
            return -1;
        }
        int bad = numtable_read(path, &x->xo_tab, err, sizeof err);
        if (!bad && (x->xo_tab.rows != x->rows || x->xo_tab.cols != x->cols)) {
            snprintf(err, sizeof err, "%s: %d x %d values; the array is %d x %d (one row of the file per row)", path,
                     x->xo_tab.rows, x->xo_tab.cols, x->rows, x->cols);
            numtable_free(&x->xo_tab);
            bad = 1;
        }
        free(path);
        if (bad) {
            elab_error(x->el, x->s, &xo_file->value->loc, "%s: %s: %s", x->name, g_file ? "g_file" : "xo_file", err);
            return -1;
        }
        if (g_file && map_conductances(x, g_file)) return -1;
    }
    return 0;
}

/* elements one .crossbar line makes (before it is checked; 0 if its size
 * cannot be read yet: reported when elaborated) */
double elab_crossbar_count(Elab *el, Scope *s, const Card *c)
{
    double rows = 0, cols = 0, per = 1;
    for (int k = 2; k < c->nitems; k++) {
        const Item *it = c->items[k];
        if (it->kind != ITEM_ASSIGN || it->key->kind != ITEM_WORD) continue;
        const char *key = it->key->text;
        double v;
        if (!strcmp(key, "rows") || !strcmp(key, "cols")) {
            /* no scope (an array in a subcircuit body, counted before any
             * instance exists): written numbers only; a size given by the
             * subcircuit's parameters counts 0 here, and XB_MAX_CELLS bounds it */
            if (!s && !(it->value->kind == ITEM_WORD && spice_number(it->value->text, &v))) return 0;
            if (s && scope_eval_item(el, s, c, it->value, 0, &v)) return 0;
            *(key[0] == 'r' ? &rows : &cols) = v;
        } else if (!strcmp(key, "cell") && it->value->kind == ITEM_WORD && strcmp(it->value->text, "0t1r")) {
            per = 2;
        }
    }
    if (!(rows > 0 && cols > 0)) return 0;
    /* cells, wire segments, capacitors at most one per junction and wire */
    return rows * cols * (per + 2) + rows + cols;
}

/* The default output of an array (save=edges): its edge nodes (rl rr ct
 * cb wl) only. The junctions, the cells' middle nodes and every element's
 * unknowns and outputs stay out of it (a 256x256 array would write
 * 200,000 columns); .save names them one by one (docs/crossbar.md). */
static void hide_inside(Xb *x, Circuit *ckt, int first_inst)
{
    for (int k = first_inst; k < ckt->pending.n; k++) ckt->pending.v[k]->internal = 1;
    static const char *const mids[] = {"r%d_%d", "c%d_%d", "s%d_%d", "d%d_%d"};
    for (int i = 0; i < x->rows; i++)
        for (int j = 0; j < x->cols; j++)
            for (size_t k = 0; k < sizeof mids / sizeof mids[0]; k++) {
                char local[48], *flat;
                snprintf(local, sizeof local, mids[k], i, j);
                flat = xasprintf("%s%s", x->in->prefix, local);
                int n = circuit_find_node(ckt, flat);
                if (n > 0) ckt->node_internal.v[n] = 1;
                free(flat);
            }
}

int elab_crossbar(Elab *el, Scope *s, const Card *c)
{
    if (c->nitems < 2 || c->items[1]->kind != ITEM_WORD) {
        elab_error(el, s, &c->loc, ".crossbar: expected a name: .crossbar NAME rows=R cols=C model=M ...");
        return -1;
    }
    Xb x = {.el = el, .s = s, .c = c, .name = c->items[1]->text, .cell = XB_0T1R, .xo_lo = 0, .xo_hi = 1, .vread = 0.1};
    if (read_args(&x)) {
        numtable_free(&x.xo_tab);
        return -1;
    }
    char *prefix = xasprintf("%s%s.", s->prefix, x.name);
    char *path = xstrndup(prefix, strlen(prefix) - 1);
    x.in = scope_new(el, s, prefix, path, &c->loc);
    free(prefix);
    x.cp = card_parser_new(&x.scratch, el->d);
    Circuit *ckt = el->deck->ckt;
    int first_inst = ckt->pending.n;
    int rc = expand(&x);
    if (!rc && !x.save_all) hide_inside(&x, ckt, first_inst);
    card_parser_free(x.cp);
    arena_free(&x.scratch.arena);
    numtable_free(&x.xo_tab);
    if (rc) {
        free(path);
        return -1;
    }
    long nodes = (long)x.rows * (x.rrow > 0 ? x.cols + 2 : 1) + (long)x.cols * (x.rcol > 0 ? x.rows + 2 : 1) +
                 (x.cell == XB_0T1R ? 0 : (long)x.rows * x.cols) + (x.cell == XB_1T1R ? x.rows : 0);
    if (!el->eo->quiet)
        diag_note(el->d, &c->loc,
              "%s: %dx%d %s crossbar: %ld memristors, %ld selectors, %ld transistors, %ld wire resistors, %ld "
              "capacitors, %ld nodes",
              path, x.rows, x.cols, cell_names[x.cell], x.nmem, x.nsel, x.nmos, x.nres, x.ncap, nodes);
    free(path);
    return 0;
}
