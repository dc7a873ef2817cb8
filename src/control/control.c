/* The control language interpreter (control.h, docs/control.md).
 *
 * The block is first parsed into statements (commands, and foreach /
 * while / dowhile / repeat / if ... else ... end with their bodies), then
 * run. Each command line has its $variables substituted when it runs.
 * Analyses (op, tran, dc, run) run on the elaborated deck through the
 * analysis layer into memory and become plots of vectors; alter and
 * altermod change the deck's circuit between runs, alterparam + reset
 * elaborate the netlist again with new parameter values. */
#include "control/control.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "circuit/param.h"
#include "control/vec.h"
#include "netlist/elaborate.h"
#include "netlist/source.h"
#include "netlist/syntax.h"
#include "util/interrupt.h"
#include "util/number.h"
#include "util/xmem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_E
#define M_E 2.7182818284590452354
#endif

enum { LOOP_MAX = 10000000 };   /* iterations of one while / dowhile / repeat without a count */

typedef enum { S_CMD, S_FOREACH, S_WHILE, S_DOWHILE, S_REPEAT, S_IF } StmtKind;

typedef struct Stmt {
    StmtKind kind;
    const CtlLine *line;
    const char *arg;             /* after the keyword: condition, variable and values, count */
    struct Stmt *body, *els;
    int nbody, nels;
} Stmt;

/* the parser of a .control block's lines (into Stmt trees) */
typedef struct Parse {
    const Netlist *nl;
    int i;
    Diag *d;
    int errors;
} Parse;

typedef struct Var {
    char *name, *value;
} Var;

typedef struct Written {         /* plots written to a raw file (appendwrite rewrites them all) */
    char *path;
    CPlot **plots;
    int n;
} Written;

typedef struct Ctl {
    SimConfig *cfg;
    const Netlist *nl;
    const SourceSet *src;
    Diag *d;
    Deck *deck;
    ParamOverride *ov;           /* --param, then alterparam */
    int nov;
    CPlot **plots;               /* in the order made; constants first */
    int nplots;
    CPlot *cur;
    Var *vars;
    int nvars;
    int count[4];                /* op, dc, tran, ac plots made */
    int ran;                     /* analyses run */
    int wrote;                   /* write / wrdata used */
    int rc;                      /* worst RUN_* so far */
    int stop;                    /* quit, or a failed simulation: the script ends */
    int err;                     /* the current command failed (the script goes on, exit 1) */
    int brk, cont;               /* break / continue pending */
    int nfig;                    /* plot command PNGs written */
    double last_tstep;           /* of the last tran (linearize) */
    Written *wr;
    int nwr;
    const CtlLine *at;           /* the line being run, for messages */
    FILE *redir;                 /* the command's output when redirected with > / >> */
    SourceSet srcs;              /* files read by `source` */
    Netlist **own;               /* the netlists they hold (the current circuit may be one) */
    int nown;
    int depth;                   /* nested sources */
    char *go;                    /* a goto looking for its label (blocks unwind until one has it) */
    const CtlLine *go_at;        /* its line */
    long ngoto;                  /* gotos taken: LOOP_MAX stops a script that jumps for ever */
} Ctl;

static void cerror(Ctl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cerror(Ctl *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_message(c->d, DIAG_ERROR, c->at ? &c->at->loc : NULL, fmt, ap);
    va_end(ap);
    if (c->rc == RUN_OK) c->rc = RUN_INPUT_ERROR;
    c->err = 1;
}

/* ------------------------------------------------------------ variables */

static Var *var_find(Ctl *c, const char *name)
{
    for (int i = 0; i < c->nvars; i++)
        if (strcmp(c->vars[i].name, name) == 0) return &c->vars[i];
    return NULL;
}

static void var_set(Ctl *c, const char *name, const char *value)
{
    Var *v = var_find(c, name);
    if (!v) {
        c->vars = xrealloc(c->vars, (size_t)(c->nvars + 1) * sizeof *c->vars);
        v = &c->vars[c->nvars++];
        v->name = xstrdup(name);
        v->value = NULL;
    }
    free(v->value);
    v->value = xstrdup(value);
}

static void var_unset(Ctl *c, const char *name)
{
    Var *v = var_find(c, name);
    if (!v) return;
    free(v->name);
    free(v->value);
    *v = c->vars[--c->nvars];
}

typedef struct Words {
    char **w;
    int n;
} Words;
static Words split_words(const char *s);
static void words_free(Words *w);

/* ngspice prints 7 significant digits, 6 for negative numbers (same width) */
static void fmt_num(char *buf, size_t n, double x)
{
    snprintf(buf, n, x < 0 ? "%.5e" : "%.6e", x);
}

/* element k of v: "re" or "re,im" */
static void fmt_elem(char *buf, size_t n, const CVec *v, int k)
{
    fmt_num(buf, n, v->v[k]);
    if (v->im) {
        size_t l = strlen(buf);
        buf[l++] = ',';
        fmt_num(buf + l, n - l, v->im[k]);
    }
}

static CEnv env_of(Ctl *c)
{
    return (CEnv){c->cur, c->plots, c->nplots, c->plots[0]};
}

/* $name, $&vector, $?name, ${name}; NULL after reporting an error */
static char *substitute(Ctl *c, const char *s)
{
    VEC(char) out = {0};
    for (const char *p = s; *p;) {
        if (*p != '$' || !(isalnum((unsigned char)p[1]) || p[1] == '&' || p[1] == '?' || p[1] == '{' || p[1] == '_')) {
            VEC_PUSH(out, *p++);
            continue;
        }
        p++;
        int amp = 0, q = 0, brace = 0;
        if (*p == '&') amp = 1, p++;
        else if (*p == '?') q = 1, p++;
        if (*p == '{') brace = 1, p++;
        const char *st = p;
        while (isalnum((unsigned char)*p) || *p == '_' || (amp && (*p == '(' || *p == ')' || *p == '#' || *p == '.')))
            p++;
        if (amp && *p == '[') {   /* $&v[3] */
            while (*p && *p != ']') p++;
            if (*p) p++;
        }
        char *name = xasprintf("%.*s", (int)(p - st), st);
        if (brace && *p == '}') p++;
        for (char *t = name; *t; t++) *t = (char)tolower((unsigned char)*t);
        char *val = NULL;
        if (q) {
            val = xstrdup(var_find(c, name) ? "1" : "0");
        } else if (amp) {
            char err[256];
            CEnv env = env_of(c);
            CVec *v = cvec_eval(&env, name, err, sizeof err);
            if (!v) {
                cerror(c, "$&%s: %s", name, err);
                free(name);
                VEC_FREE(out);
                return NULL;
            }
            VEC(char) b = {0};
            for (int i = 0; i < v->n; i++) {
                char num[40];
                snprintf(num, sizeof num, "%s%g", i ? " " : "", v->v[i]);
                for (char *t = num; *t; t++) VEC_PUSH(b, *t);
            }
            VEC_PUSH(b, '\0');
            val = b.v;
            cvec_free(v);
        } else if (var_find(c, name)) {
            val = xstrdup(var_find(c, name)->value);
        } else if (!strcmp(name, "curplot") || !strcmp(name, "curplotname")) {
            val = xstrdup(c->cur->name);
        } else if (!strcmp(name, "curplottitle")) {
            val = xstrdup(c->cur->title);
        } else if (!strcmp(name, "plots")) {
            VEC(char) b = {0};
            for (int i = 0; i < c->nplots; i++) {
                if (i) VEC_PUSH(b, ' ');
                for (const char *t = c->plots[i]->name; *t; t++) VEC_PUSH(b, *t);
            }
            VEC_PUSH(b, '\0');
            val = b.v;
        } else {
            cerror(c, "$%s: no such variable (set it with 'set %s = ...')", name, name);
            free(name);
            VEC_FREE(out);
            return NULL;
        }
        for (char *t = val; *t; t++) VEC_PUSH(out, *t);
        free(val);
        free(name);
    }
    VEC_PUSH(out, '\0');
    return out.v;
}

/* blank-separated words; "..." keeps blanks and loses its quotes */
static Words split_words(const char *s)
{
    Words r = {0};
    while (*s) {
        while (isspace((unsigned char)*s)) s++;
        if (!*s) break;
        VEC(char) b = {0};
        while (*s && !isspace((unsigned char)*s)) {
            if (*s == '"') {
                s++;
                while (*s && *s != '"') VEC_PUSH(b, *s++);
                if (*s) s++;
            } else {
                VEC_PUSH(b, *s++);
            }
        }
        VEC_PUSH(b, '\0');
        r.w = xrealloc(r.w, (size_t)(r.n + 1) * sizeof *r.w);
        r.w[r.n++] = b.v;
    }
    return r;
}

static void words_free(Words *w)
{
    for (int i = 0; i < w->n; i++) free(w->w[i]);
    free(w->w);
}

/* expressions of a command: split at blanks outside parentheses and
 * brackets ("print v(a) v(b)*2", "wrdata f v(out) i(v1)") */
static Words split_exprs(const char *s)
{
    Words r = {0};
    while (*s) {
        while (isspace((unsigned char)*s)) s++;
        if (!*s) break;
        int depth = 0;
        const char *st = s;
        while (*s) {
            if (*s == '(' || *s == '[') depth++;
            else if ((*s == ')' || *s == ']') && depth > 0) depth--;
            else if (isspace((unsigned char)*s) && depth == 0) {
                /* an operator on either side joins words: "v(a) - v(b)" */
                const char *n = s;
                while (isspace((unsigned char)*n)) n++;
                char prev = s > st ? s[-1] : 0;
                if (!*n || (!strchr("+-*/^%<>=&|,?:", *n) && !strchr("+-*/^%<>=&|,(?:", prev))) break;
                s = n;
                continue;
            }
            s++;
        }
        r.w = xrealloc(r.w, (size_t)(r.n + 1) * sizeof *r.w);
        r.w[r.n++] = xasprintf("%.*s", (int)(s - st), st);
    }
    return r;
}

static CVec *eval(Ctl *c, const char *text)
{
    char err[256];
    CEnv env = env_of(c);
    CVec *v = cvec_eval(&env, text, err, sizeof err);
    if (!v) cerror(c, "'%s': %s", text, err);
    return v;
}

static int eval_scalar(Ctl *c, const char *text, double *out)
{
    if (spice_number(text, out)) return 0;
    CVec *v = eval(c, text);
    if (!v) return -1;
    *out = v->v[0];
    cvec_free(v);
    return 0;
}

/* -------------------------------------------------------------- plots */

static void add_plot(Ctl *c, CPlot *p)
{
    c->plots = xrealloc(c->plots, (size_t)(c->nplots + 1) * sizeof *c->plots);
    c->plots[c->nplots++] = p;
    c->cur = p;
}

static CPlot *plot_from_mem(Ctl *c, const MemPlot *m)
{
    int kind = !strncmp(m->plotname, "Transient", 9) ? 2 : !strncmp(m->plotname, "DC", 2) ? 1
             : !strncmp(m->plotname, "AC", 2) ? 3 : 0;
    static const char *const prefix[] = {"op", "dc", "tran", "ac"};
    char name[32];
    snprintf(name, sizeof name, "%s%d", prefix[kind], ++c->count[kind]);
    CPlot *p = cplot_new(name, m->title, m->plotname);
    for (int j = 0; j < m->nvars; j++) {
        /* ngspice calls the sweep scale v-sweep here (v(v-sweep) in raw files) */
        const char *nm = m->names[j];
        char *scale = kind == 1 && j == 0 && !strncmp(nm, "v(", 2) ? xasprintf("%.*s", (int)strlen(nm) - 3, nm + 2) : NULL;
        if (kind == 1 && j == 0 && !strncmp(nm, "i(", 2)) scale = xasprintf("%.*s", (int)strlen(nm) - 3, nm + 2);
        CVec *v = cvec_new(scale ? scale : nm, m->types[j], m->npoints);
        free(scale);
        if (m->cplx && j > 0) cvec_make_complex(v);   /* the frequency scale stays real */
        for (int i = 0; i < m->npoints; i++) {
            size_t at = (size_t)i * (size_t)m->nvars + (size_t)j;
            v->v[i] = m->cplx ? m->data[2 * at] : m->data[at];
            if (v->im) v->im[i] = m->data[2 * at + 1];
        }
        cplot_add(p, v);
    }
    p->scale = plot_has_scale(m->plotname) && m->nvars > 0 ? 0 : -1;
    return p;
}

/* as ngspice prints them ("vmax                =  4.999293e-01 at=  5.000000e-06"),
 * each result also a vector of the current plot */
/* where a command's output goes: a '>' file, the configured stream, stdout */
static FILE *out_of(Ctl *c)
{
    return c->redir ? c->redir : c->cfg->out ? c->cfg->out : stdout;
}

static void print_meas(Ctl *c, const MeasResults *mr)
{
    FILE *out = out_of(c);
    for (int k = 0; mr && k < mr->n; k++) {
        if (!mr->ok[k]) {
            char why[300];
            snprintf(why, sizeof why, "%s", mr->note[k] ? mr->note[k] : "?");
            for (char *t = why; *t; t++)
                if (*t == '\n') *t = ' ';
            fprintf(out, "%-20s=  failed (%s)\n", mr->names[k], why);
            continue;
        }
        char num[40];
        snprintf(num, sizeof num, "%e", mr->value[k]);   /* meas lines: %e, negative or not */
        fprintf(out, "%-20s=  %s", mr->names[k], num);
        /* notes "key=value ..." (at=, trig=, targ=) in ngspice's layout */
        Words nw = split_words(mr->note[k] ? mr->note[k] : "");
        for (int i = 0; i < nw.n; i++) {
            char *eq = strchr(nw.w[i], '=');
            double x;
            if (eq && spice_number(eq + 1, &x)) {
                snprintf(num, sizeof num, "%e", x);
                fprintf(out, " %.*s=  %s", (int)(eq - nw.w[i]), nw.w[i], num);
            } else {
                fprintf(out, " %s", nw.w[i]);
            }
        }
        words_free(&nw);
        fprintf(out, "\n");
        CVec *v = cvec_new(mr->names[k], VT_NOTYPE, 1);
        v->v[0] = mr->value[k];
        cplot_add(c->cur, v);
    }
}

static void run_analyses(Ctl *c, const AnalysisReq *an, int n)
{
    Sink *mem = mem_sink_new();
    MeasResults *mr = meas_results_new(c->deck);
    RunOpts ro = {.quiet = c->cfg->quiet, .progress = c->cfg->progress, .out = NULL, .meas = mr};
    int rc = analysis_run(c->deck, an, n, mem, &ro, c->d);
    for (int i = 0; i < mem_sink_nplots(mem); i++) add_plot(c, plot_from_mem(c, mem_sink_plot(mem, i)));
    mem->close(mem);
    c->ran += n;
    if (rc == RUN_OK) print_meas(c, mr);
    meas_results_free(mr);
    if (rc != RUN_OK) {
        if (c->rc == RUN_OK || rc == RUN_INTERRUPTED) c->rc = rc;
        c->stop = 1;
    }
}

/* ngspice's one-line dot-command syntax, read by the netlist layer: a
 * deck of just that line (".tran 1u 1m", ".meas tran ..."). Its errors
 * are reported at the control line. */
static Deck *parse_dot(Ctl *c, const char *card)
{
    char *text = xasprintf("control line\n%s\n.end\n", card);
    Diag td;
    diag_init(&td, NULL);
    SourceSet src;
    sourceset_init(&src);
    Netlist *nl = netlist_read_string(text, "control", &src, &td);
    Deck *deck = nl ? elaborate(nl, NULL, &td) : NULL;
    if (!deck) {
        const char *m = td.buf ? strstr(td.buf, "error: ") : NULL;
        char msg[300];
        snprintf(msg, sizeof msg, "%s", m ? m + 7 : "cannot be read");
        msg[strcspn(msg, "\n")] = '\0';
        cerror(c, "%s", msg);
    }
    netlist_free(nl);
    sourceset_free(&src);
    diag_free(&td);
    free(text);
    return deck;
}

static void cmd_tran_op(Ctl *c, const char *cmd, const char *args)
{
    char *card = xasprintf(".%s %s", cmd, args);
    Deck *t = parse_dot(c, card);
    free(card);
    if (!t) return;
    if (t->an.n != 1) {
        cerror(c, "%s: cannot be read", cmd);
    } else {
        AnalysisReq a = t->an.v[0];
        a.loc = c->at->loc;
        if (a.kind == AN_TRAN) c->last_tstep = a.tstep;
        run_analyses(c, &a, 1);
    }
    deck_free(t);
}

static void cmd_dc(Ctl *c, const Words *w)
{
    AnalysisReq a = {.kind = AN_DC, .loc = c->at->loc};
    if (w->n != 5 && w->n != 9) {
        cerror(c, "dc expects: dc src start stop step [src2 start2 stop2 step2]");
        return;
    }
    for (int s = 0; s < (w->n - 1) / 4; s++) {
        DcSweep *sw = &a.sweep[s];
        const char *name = w->w[1 + 4 * s];
        char *lname = xstrdup(name);
        for (char *t = lname; *t; t++) *t = (char)tolower((unsigned char)*t);
        sw->src = circuit_find_instance(c->deck->ckt, lname);
        free(lname);
        if (!sw->src || !sw->src->type->waveform) {
            cerror(c, "dc: '%s' is not an independent V or I source of the circuit", name);
            return;
        }
        sw->source = sw->src->name;
        double v[3];
        for (int j = 0; j < 3; j++)
            if (eval_scalar(c, w->w[2 + 4 * s + j], &v[j])) return;
        sw->start = v[0], sw->stop = v[1], sw->step = v[2];
        double npts = v[0] == v[1] ? 1 : (v[1] - v[0]) / v[2] + 1;
        if (v[0] != v[1] && (v[2] == 0 || (v[1] - v[0]) / v[2] < 0)) {
            cerror(c, "dc: step %g does not lead from %g to %g", v[2], v[0], v[1]);
            return;
        }
        if (!(npts <= DECK_MAX_POINTS)) {
            cerror(c, "dc: %g points (at most %g)", npts, DECK_MAX_POINTS);
            return;
        }
        a.nsweep++;
    }
    run_analyses(c, &a, 1);
}

/* ---------------------------------------------------- circuit changes */

static double *inst_param(Instance *in, const char *param)
{
    const DeviceType *t = in->type;
    /* ngspice's long names of the value of R, C, L */
    if (param && (!strcmp(param, "resistance") || !strcmp(param, "capacitance") || !strcmp(param, "inductance")))
        param = NULL;
    if (!param) param = t->positional ? t->positional[0] : t->waveform ? "dc" : NULL;
    if (!param) return NULL;
    return instance_param(in, param);
}

/* alter dev = v | alter dev param = v | alter @dev[param] = v |
 * alter @src[pulse] = [ v1 v2 ... ] (a source's waveform values) */
static void cmd_alter(Ctl *c, const char *args)
{
    char dev[256] = "", param[64] = "", rhs_word[256];
    const char *eq = strchr(args, '=');
    const char *rhs = eq ? eq + 1 : NULL;
    char lhs[320];
    snprintf(lhs, sizeof lhs, "%.*s", eq ? (int)(eq - args) : (int)strlen(args), args);
    for (char *t = lhs; *t; t++) *t = (char)tolower((unsigned char)*t);
    if (lhs[strspn(lhs, " \t")] == '@') {
        if (sscanf(lhs, " @%255[^[][%63[^]]]", dev, param) != 2) {
            cerror(c, "alter: expected @device[parameter] = value");
            return;
        }
    } else {
        Words w = split_words(lhs);
        if (!eq && w.n == 3) {   /* alter dev param value */
            snprintf(rhs_word, sizeof rhs_word, "%s", w.w[2]);
            rhs = rhs_word;
            snprintf(dev, sizeof dev, "%s", w.w[0]);
            snprintf(param, sizeof param, "%s", w.w[1]);
        } else if (!eq && w.n == 2) {   /* alter dev value */
            snprintf(rhs_word, sizeof rhs_word, "%s", w.w[1]);
            rhs = rhs_word;
            snprintf(dev, sizeof dev, "%s", w.w[0]);
        } else if (eq && (w.n == 1 || w.n == 2)) {
            snprintf(dev, sizeof dev, "%s", w.w[0]);
            if (w.n == 2) snprintf(param, sizeof param, "%s", w.w[1]);
        } else {
            words_free(&w);
            cerror(c, "alter: expected 'alter device = value' or 'alter device parameter = value'");
            return;
        }
        words_free(&w);
    }
    Instance *in = circuit_find_instance(c->deck->ckt, dev);
    if (!in) {
        cerror(c, "alter: no element named '%s'", dev);
        return;
    }
    while (rhs && isspace((unsigned char)*rhs)) rhs++;
    if (!rhs || !*rhs) {
        cerror(c, "alter %s: missing value", dev);
        return;
    }
    if (*rhs == '[') {   /* waveform values */
        Waveform *wv = in->wave;
        static const char *const kinds[] = {"", "pulse", "sin", "exp", "pwl", "sffm"};
        if (!wv || wv->kind > WF_SFFM || strcmp(kinds[wv->kind], param) != 0) {
            cerror(c, "alter %s[%s]: the source has no %s waveform to change", dev, param, param);
            return;
        }
        char *body = xstrdup(rhs + 1);
        char *close = strchr(body, ']');
        if (close) *close = '\0';
        Words w = split_words(body);
        double *vals = xcalloc((size_t)(w.n ? w.n : 1), sizeof *vals);
        for (int i = 0; i < w.n; i++)
            if (eval_scalar(c, w.w[i], &vals[i])) {
                free(vals);
                words_free(&w);
                free(body);
                return;
            }
        free(wv->args);
        wv->args = vals;
        wv->nargs = w.n;
        words_free(&w);
        free(body);
        return;
    }
    double v;
    if (eval_scalar(c, rhs, &v)) return;
    double *p = inst_param(in, param[0] ? param : NULL);
    if (!p) {
        cerror(c, "alter: %s (%s) has no parameter '%s'", dev, in->type->name, param[0] ? param : "(default)");
        return;
    }
    *p = v;
}

/* altermod model param = value [param = value ...] */
static void cmd_altermod(Ctl *c, const char *args)
{
    char *a = xstrdup(args);
    for (char *t = a; *t; t++) *t = (char)tolower((unsigned char)*t);
    /* "p = v" -> "p=v" */
    Words w0 = split_words(a);
    free(a);
    if (w0.n < 2) {
        words_free(&w0);
        cerror(c, "altermod: expected 'altermod model parameter = value'");
        return;
    }
    Model *m = circuit_find_model(c->deck->ckt, w0.w[0]);
    if (!m) {
        cerror(c, "altermod: no model named '%s'", w0.w[0]);
        words_free(&w0);
        return;
    }
    VEC(char) joined = {0};
    for (int i = 1; i < w0.n; i++) {
        if (i > 1 && strcmp(w0.w[i], "=") && strcmp(w0.w[i - 1], "=") && w0.w[i][0] != '=' &&
            w0.w[i - 1][strlen(w0.w[i - 1]) - 1] != '=')
            VEC_PUSH(joined, ' ');
        for (char *t = w0.w[i]; *t; t++) VEC_PUSH(joined, *t);
    }
    VEC_PUSH(joined, '\0');
    words_free(&w0);
    Words w = split_words(joined.v);
    VEC_FREE(joined);
    for (int i = 0; i < w.n && !c->err; i++) {
        char *eq = strchr(w.w[i], '=');
        if (!eq) {
            cerror(c, "altermod %s: expected parameter=value, got '%s'", m->name, w.w[i]);
            break;
        }
        *eq = '\0';
        int idx = param_index(m->type->model_params, m->type->n_model_params, w.w[i]);
        if (idx < 0) {
            cerror(c, "altermod: model '%s' (%s) has no parameter '%s'", m->name, m->type->name, w.w[i]);
            break;
        }
        if (m->type->model_params[idx].flags & PF_TABLE) {
            cerror(c, "altermod: %s= of model '%s' is a table file; change it in the netlist", w.w[i], m->name);
            break;
        }
        double v;
        if (eval_scalar(c, eq + 1, &v)) break;
        /* and the per-instance copies of a model with random parameters */
        for (int k = 0; k < c->deck->ckt->models.n; k++) {
            Model *mk = c->deck->ckt->models.v[k];
            if (mk == m || !strcmp(mk->name, m->name)) {
                mk->p[idx] = v;
                mk->given[idx] = 1;
            }
        }
    }
    words_free(&w);
}

static int elaborate_deck(Ctl *c)
{
    ElabOpts eo = {.ov = c->ov, .nov = c->nov, .quiet = c->cfg->quiet, .seed = c->cfg->seed, .seed_given = c->cfg->seed_given,
                   .dialect = c->cfg->dialect > 0 ? c->cfg->dialect - 1 : 0};
    Deck *d = elaborate(c->nl, &eo, c->d);
    if (!d) return -1;
    deck_free(c->deck);
    c->deck = d;
    return 0;
}

/* alterparam [sub] name = value: a top-level .param, or (with a
 * subcircuit name) that subcircuit's params: default or .param; the
 * circuit changes at the next reset */
static void cmd_alterparam(Ctl *c, const char *args)
{
    char w1[128], w2[128];
    const char *eq = strchr(args, '=');
    int nw = eq ? sscanf(args, " %127[^= \t] %127[^= \t]", w1, w2) : 0;
    if (nw < 1) {
        cerror(c, "alterparam: expected 'alterparam [subcircuit] name = value'");
        return;
    }
    for (char *t = w1; *t; t++) *t = (char)tolower((unsigned char)*t);
    for (char *t = w2; nw == 2 && *t; t++) *t = (char)tolower((unsigned char)*t);
    const char *name = nw == 2 ? w2 : w1, *sub = nw == 2 ? w1 : NULL;
    double v;
    if (eval_scalar(c, eq + 1, &v)) return;
    for (int i = 0; i < c->nov; i++)
        if (!strcmp(c->ov[i].name, name) && (sub ? c->ov[i].sub && !strcmp(c->ov[i].sub, sub) : !c->ov[i].sub)) {
            c->ov[i].value = v;
            return;
        }
    c->ov = xrealloc(c->ov, (size_t)(c->nov + 1) * sizeof *c->ov);
    c->ov[c->nov++] = (ParamOverride){.name = xstrdup(name), .value = v, .origin = "alterparam", .loc = c->at->loc,
                                      .sub = sub ? xstrdup(sub) : NULL};
}

static void cmd_option(Ctl *c, const char *args)
{
    char *a = xstrdup(args);
    for (char *t = a; *t; t++) *t = (char)tolower((unsigned char)*t);
    for (char *t = a; *t; t++)   /* "reltol = 1e-4" -> "reltol=1e-4" */
        if (*t == '=') {
            char *b = t;
            while (b > a && isspace((unsigned char)b[-1])) memmove(b - 1, b, strlen(b) + 1), b--, t--;
            while (isspace((unsigned char)t[1])) memmove(t + 1, t + 2, strlen(t + 2) + 1);
        }
    Words w = split_words(a);
    free(a);
    SimOptions o = c->deck->opt;
    for (int i = 0; i < w.n && !c->err; i++) {
        char *eq = strchr(w.w[i], '=');
        if (!eq) continue;   /* flags (noinit, ...) change nothing here */
        *eq = '\0';
        double v;
        if (!strcmp(w.w[i], "method")) {
            if (!strcmp(eq + 1, "gear")) o.method = METHOD_GEAR;
            else if (!strcmp(eq + 1, "trap") || !strcmp(eq + 1, "trapezoidal")) o.method = METHOD_TRAP;
            else cerror(c, "option method must be trap or gear, got '%s'", eq + 1);
            continue;
        }
        if (!simoptions_has(w.w[i])) {
            diag_warning(c->d, &c->at->loc, "option '%s' is not supported and is ignored", w.w[i]);
            continue;
        }
        if (eval_scalar(c, eq + 1, &v)) break;
        if (simoptions_set(&o, w.w[i], v)) cerror(c, "option '%s' must be a whole number, got %g", w.w[i], v);
    }
    words_free(&w);
    const char *bad = c->err ? NULL : simoptions_check(&o);
    if (bad) cerror(c, "option: %s", bad);
    if (!c->err) c->deck->opt = o;
}

/* ------------------------------------------------------------- output */

static void cmd_print(Ctl *c, const char *args)
{
    Words w = split_exprs(args);
    int mode = 0;   /* 0 col, 1 line */
    int first = 0;
    if (w.n && (!strcasecmp(w.w[0], "col") || !strcasecmp(w.w[0], "line"))) {
        mode = w.w[0][0] == 'l' || w.w[0][0] == 'L';
        first = 1;
    }
    CVec **v = NULL;
    int nv = 0;
    if (w.n == first + 1 && !strcasecmp(w.w[first], "all")) {
        for (int i = 0; i < c->cur->nvec; i++) {
            if (i == c->cur->scale) continue;
            v = xrealloc(v, (size_t)(nv + 1) * sizeof *v);
            v[nv++] = cvec_copy(c->cur->vec[i], NULL);
        }
    } else {
        for (int i = first; i < w.n && !c->err; i++) {
            CVec *x = eval(c, w.w[i]);
            if (!x) break;
            v = xrealloc(v, (size_t)(nv + 1) * sizeof *v);
            v[nv++] = x;
        }
    }
    words_free(&w);
    FILE *out = out_of(c);
    int allscalar = 1;
    for (int i = 0; i < nv; i++) allscalar &= v[i]->n == 1;
    char num[40];
    if (!c->err && (allscalar || mode == 1)) {
        for (int i = 0; i < nv; i++) {
            if (v[i]->n == 1) {
                fmt_elem(num, sizeof num, v[i], 0);
                fprintf(out, "%s = %s\n", v[i]->name, num);
                continue;
            }
            fprintf(out, "%s = (  ", v[i]->name);
            for (int k = 0; k < v[i]->n; k++) {
                fmt_elem(num, sizeof num, v[i], k);
                fprintf(out, "%s%s", num, k == v[i]->n - 1 ? "" : (k % 5 == 4 ? "\n\t" : "\t"));
            }
            fprintf(out, " )\n");
        }
    } else if (!c->err) {
        const CVec *sc = cplot_scale(c->cur);
        int n = 0;
        for (int i = 0; i < nv; i++) n = v[i]->n > n ? v[i]->n : n;
        fprintf(out, "%40s\n%40s\n", c->cur->title, c->cur->kind);
        fprintf(out, "--------------------------------------------------------------------------------\n");
        fprintf(out, "Index   %-16s", sc && sc->n == n ? sc->name : "index");
        for (int i = 0; i < nv; i++) fprintf(out, "%-16s", v[i]->name);
        fprintf(out, "\n--------------------------------------------------------------------------------\n");
        for (int k = 0; k < n; k++) {
            fmt_num(num, sizeof num, sc && sc->n == n ? sc->v[k] : k);
            fprintf(out, "%d\t%s\t", k, num);
            for (int i = 0; i < nv; i++) {
                fmt_elem(num, sizeof num, v[i], k < v[i]->n ? k : v[i]->n - 1);
                fprintf(out, "%s\t", num);
            }
            fprintf(out, "\n");
        }
        fprintf(out, "\n");
    }
    for (int i = 0; i < nv; i++) cvec_free(v[i]);
    free(v);
}

/* a plot of the named expressions (with the current plot's scale), or the
 * current plot itself when none are named */
static CPlot *selection(Ctl *c, const Words *w, int first)
{
    CPlot *p = cplot_new(c->cur->name, c->cur->title, c->cur->kind);
    const CVec *sc = cplot_scale(c->cur);
    if (w->n <= first) {
        for (int i = 0; i < c->cur->nvec; i++) cplot_add(p, cvec_copy(c->cur->vec[i], NULL));
        p->scale = c->cur->scale;
        return p;
    }
    if (sc) {
        cplot_add(p, cvec_copy(sc, NULL));
        p->scale = 0;
    }
    for (int i = first; i < w->n; i++) {
        CVec *x = eval(c, w->w[i]);
        if (!x) {
            cplot_free(p);
            return NULL;
        }
        if (sc && x == NULL) continue;
        /* the name as written (ngspice's vectors keep v(out), i(v1)) */
        char *nm = xstrdup(w->w[i]);
        for (char *t = nm; *t; t++) *t = (char)tolower((unsigned char)*t);
        free(x->name);
        x->name = nm;
        if (x->type == VT_NOTYPE && !strncmp(nm, "v(", 2)) x->type = VT_VOLTAGE;
        if (x->type == VT_NOTYPE && !strncmp(nm, "i(", 2)) x->type = VT_CURRENT;
        cplot_add(p, x);
    }
    return p;
}

/* one plot to a sink: the scale first, complex when a vector is */
static int send_plot(Sink *s, const CPlot *p, Diag *d)
{
    int nv = p->nvec, n = 0, cplx = 0;
    OutVar *vars = xcalloc((size_t)(nv ? nv : 1), sizeof *vars);
    int *order = xcalloc((size_t)(nv ? nv : 1), sizeof *order);
    if (p->scale >= 0) order[n++] = p->scale;
    for (int i = 0; i < nv; i++)
        if (i != p->scale) order[n++] = i;
    int npts = 0;
    for (int i = 0; i < nv; i++) {
        vars[i] = (OutVar){p->vec[order[i]]->name, p->vec[order[i]]->type};
        npts = p->vec[i]->n > npts ? p->vec[i]->n : npts;
        cplx |= p->vec[i]->im != NULL;
    }
    PlotInfo pi = {.title = p->title, .plotname = p->kind, .vars = vars, .nvars = nv, .cplx = cplx};
    double *row = xcalloc((size_t)(nv ? nv : 1) * 2, sizeof *row);
    int rc = s->begin(s, &pi, d);
    for (int k = 0; k < npts && !rc; k++) {
        for (int i = 0; i < nv; i++) {
            const CVec *v = p->vec[order[i]];
            int at = k < v->n ? k : v->n - 1;
            if (cplx) {
                row[2 * i] = v->v[at];
                row[2 * i + 1] = v->im ? v->im[at] : 0;
            } else {
                row[i] = v->v[at];
            }
        }
        rc = s->point(s, row, d);
    }
    if (!rc) rc = s->end(s, d);
    free(row);
    free(vars);
    free(order);
    return rc;
}

static int write_raw(Ctl *c, const char *path, CPlot *const *plots, int np, int ascii)
{
    Sink *s = raw_sink_open(path, ascii, c->d);
    if (!s) {
        cerror(c, "write: cannot write '%s'", path);
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < np && !rc; k++) rc = send_plot(s, plots[k], c->d);
    s->close(s);
    if (rc) cerror(c, "write: writing '%s' failed", path);
    return rc;
}

static int var_on(Ctl *c, const char *name)
{
    return var_find(c, name) != NULL;
}

/* the fuzzing harness's sandbox: nothing written, nothing run */
static int sandboxed(Ctl *c, const char *cmd)
{
    if (!c->cfg->no_files) return 0;
    diag_note(c->d, c->at ? &c->at->loc : NULL, "%s: no files are written in this run", cmd);
    return 1;
}

static void cmd_write(Ctl *c, const char *args)
{
    if (sandboxed(c, "write")) return;
    Words w = split_exprs(args);
    if (w.n < 1) {
        words_free(&w);
        cerror(c, "write: expected a file name");
        return;
    }
    CPlot *p = selection(c, &w, 1);
    if (!p) {
        words_free(&w);
        return;
    }
    Var *ft = var_find(c, "filetype");
    int ascii = ft && !strcasecmp(ft->value, "ascii");
    Written *wr = NULL;
    for (int i = 0; i < c->nwr; i++)
        if (!strcmp(c->wr[i].path, w.w[0])) wr = &c->wr[i];
    if (!wr) {
        c->wr = xrealloc(c->wr, (size_t)(c->nwr + 1) * sizeof *c->wr);
        wr = &c->wr[c->nwr++];
        *wr = (Written){xstrdup(w.w[0]), NULL, 0};
    }
    if (!var_on(c, "appendwrite")) {
        for (int i = 0; i < wr->n; i++) cplot_free(wr->plots[i]);
        wr->n = 0;
    }
    wr->plots = xrealloc(wr->plots, (size_t)(wr->n + 1) * sizeof *wr->plots);
    wr->plots[wr->n++] = p;
    write_raw(c, w.w[0], wr->plots, wr->n, ascii);
    c->wrote = 1;
    words_free(&w);
}

/* ngspice's wrdata: per row, each vector's scale value and value ("% .8e "
 * each), or the scale once with wr_singlescale; a header of names
 * (" %-15s" each) with wr_vecnames */
static void cmd_wrdata(Ctl *c, const char *args)
{
    if (sandboxed(c, "wrdata")) return;
    Words w = split_exprs(args);
    if (w.n < 2) {
        words_free(&w);
        cerror(c, "wrdata: expected a file name and vectors");
        return;
    }
    CPlot *p = selection(c, &w, 1);
    if (!p) {
        words_free(&w);
        return;
    }
    FILE *f = fopen(w.w[0], var_on(c, "appendwrite") ? "a" : "w");
    if (!f) {
        cerror(c, "wrdata: cannot write '%s'", w.w[0]);
        cplot_free(p);
        words_free(&w);
        return;
    }
    /* a plot without a scale (op): its first vector, as ngspice */
    const CVec *sc = p->scale >= 0 ? p->vec[p->scale] : c->cur->nvec ? c->cur->vec[0] : NULL;
    int single = var_on(c, "wr_singlescale");
    int first = p->scale >= 0 ? 1 : 0, npts = 0;
    for (int i = first; i < p->nvec; i++) npts = p->vec[i]->n > npts ? p->vec[i]->n : npts;
    if (var_on(c, "wr_vecnames")) {
        for (int i = first; i < p->nvec; i++) {
            if (sc && (!single || i == first)) fprintf(f, " %-15s", sc->name);
            fprintf(f, " %-15s", p->vec[i]->name);
            if (p->vec[i]->im) fprintf(f, " %-15s", p->vec[i]->name);   /* re and im columns, as ngspice */
        }
        fprintf(f, "\n");
    }
    for (int k = 0; k < npts; k++) {
        for (int i = first; i < p->nvec; i++) {
            const CVec *v = p->vec[i];
            if (sc && (!single || i == first)) fprintf(f, "% .8e ", sc->v[k < sc->n ? k : sc->n - 1]);
            fprintf(f, "% .8e ", v->v[k < v->n ? k : v->n - 1]);
            if (v->im) fprintf(f, "% .8e ", v->im[k < v->n ? k : v->n - 1]);   /* complex: re im */
        }
        fprintf(f, "\n");
    }
    if (fclose(f)) cerror(c, "wrdata: writing '%s' failed", w.w[0]);
    c->wrote = 1;
    cplot_free(p);
    words_free(&w);
}

/* meas tran|dc|op name ...: the .meas engine on the current plot */
/* ngspice's names of the real quantities of an AC solution, as a vector
 * expression: vdb(out) -> db(v(out)), ip(v1) -> ph(i(v1)), plain v(x) and
 * i(x) -> the magnitude; NULL for anything else */
static char *ac_quantity(const char *name)
{
    static const struct { const char *pre, *fn; } tab[] = {
        {"vdb", "db"}, {"vm", "mag"}, {"vp", "ph"}, {"vr", "real"}, {"vi", "imag"}, {"v", "mag"},
        {"idb", "db"}, {"im", "mag"}, {"ip", "ph"}, {"ir", "real"}, {"ii", "imag"}, {"i", "mag"},
    };
    const char *open = strchr(name, '(');
    if (!open || name[strlen(name) - 1] != ')') return NULL;
    size_t len = (size_t)(open - name);
    for (size_t k = 0; k < sizeof tab / sizeof tab[0]; k++)
        if (strlen(tab[k].pre) == len && !strncmp(name, tab[k].pre, len))
            return xasprintf("%s(%c%s)", tab[k].fn, name[0], open);
    return NULL;
}

static void cmd_meas(Ctl *c, const char *args)
{
    char *card = xasprintf(".meas %s", args);
    Deck *t = parse_dot(c, card);
    free(card);
    if (!t) return;
    const CVec *sc = cplot_scale(c->cur);
    int nsig = t->meas_sig.n;
    int *cols = xcalloc((size_t)(nsig ? nsig : 1), sizeof *cols);
    const CVec **src = xcalloc((size_t)(nsig ? nsig : 1), sizeof *src);
    CVec **made = xcalloc((size_t)(nsig ? nsig : 1), sizeof *made);
    int ac = !strncmp(c->cur->kind, "AC", 2);
    for (int j = 0; j < nsig && !c->err; j++) {
        const char *name = t->meas_sig.v[j].text;
        src[j] = cplot_find(c->cur, name);
        if (ac && (!src[j] || src[j]->im)) {
            /* a real quantity of the complex solution (vdb(out), ip(v1), plain v() = magnitude) */
            char *e = ac_quantity(name);
            if (e) src[j] = made[j] = eval(c, e);
            free(e);
            if (c->err) break;
        }
        if (!src[j]) cerror(c, "meas: no vector '%s' in plot %s", name, c->cur->name);
        else if (src[j]->im) cerror(c, "meas: '%s' is complex; measure vm(), vp(), vdb(), vr() or vi() of it", name);
        cols[j] = j;
    }
    int kind = !strncmp(c->cur->kind, "Transient", 9) ? AN_TRAN
               : !strncmp(c->cur->kind, "DC", 2)      ? AN_DC
               : ac                                   ? AN_AC
                                                      : AN_OP;
    static const char *const an_names[] = {[AN_OP] = "op", [AN_DC] = "dc", [AN_TRAN] = "tran", [AN_AC] = "ac"};
    if (!c->err && t->meas.n && t->meas.v[0].an >= 0 && t->meas.v[0].an != kind)
        cerror(c, "meas: the current plot %s is not a%s %s analysis", c->cur->name, t->meas.v[0].an == AN_AC ? "n" : "",
               an_names[t->meas.v[0].an]);
    if (!c->err) {
        MeasResults *mr = meas_results_new(t);
        MeasRec *r = meas_rec_new(t, kind, mr, cols, sc != NULL, sc ? sc->name : "");
        int n = sc ? sc->n : 1;
        double *vals = xcalloc((size_t)nsig + 2, sizeof *vals);
        for (int k = 0; r && k < n; k++) {
            if (sc) vals[0] = sc->v[k];
            for (int j = 0; j < nsig; j++) vals[j + (sc != NULL)] = src[j]->v[k < src[j]->n ? k : src[j]->n - 1];
            meas_rec_point(r, vals);
        }
        if (r) meas_rec_finish(r, 1);
        print_meas(c, mr);
        meas_results_free(mr);
        free(vals);
    }
    for (int j = 0; j < nsig; j++) cvec_free(made[j]);
    free(made);
    free(cols);
    free(src);
    deck_free(t);
}

/* linearize: a new plot on an even grid of the last tran step */
static void cmd_linearize(Ctl *c, const char *args)
{
    const CVec *sc = cplot_scale(c->cur);
    if (!sc || strncmp(c->cur->kind, "Transient", 9) || sc->n < 2) {
        cerror(c, "linearize: the current plot is not a transient");
        return;
    }
    double t0 = sc->v[0], t1 = sc->v[sc->n - 1], h = c->last_tstep > 0 ? c->last_tstep : (t1 - t0) / 100;
    double cnt = floor((t1 - t0) / h + 1e-9) + 1;
    if (!(cnt >= 1 && cnt <= 100000000)) {
        cerror(c, "linearize: %g points (at most 1e8)", cnt);
        return;
    }
    long n = (long)cnt;
    Words w = split_exprs(args);
    CPlot *src = selection(c, &w, 0);
    words_free(&w);
    if (!src) return;
    char name[32];
    snprintf(name, sizeof name, "tran%d", ++c->count[2]);
    CPlot *p = cplot_new(name, src->title, src->kind);
    const CVec *ssc = cplot_scale(src);
    for (int i = 0; i < src->nvec; i++) {
        const CVec *v = src->vec[i];
        if (v->n != ssc->n) continue;   /* not a waveform of this scale (a meas result) */
        CVec *o = cvec_new(v->name, v->type, (int)n);
        for (long k = 0, j = 0; k < n; k++) {
            double t = t0 + h * (double)k;
            if (v == ssc) {
                o->v[k] = t;
                continue;
            }
            while (j + 1 < ssc->n - 1 && ssc->v[j + 1] <= t) j++;
            double x0 = ssc->v[j], x1 = ssc->v[j + 1 < ssc->n ? j + 1 : j];
            double f = x1 > x0 ? (t - x0) / (x1 - x0) : 0;
            o->v[k] = v->v[j] + f * (v->v[j + 1 < v->n ? j + 1 : j] - v->v[j]);
        }
        cplot_add(p, o);
    }
    p->scale = 0;   /* the scale is the first vector kept (selection puts it first) */
    for (int i = 0; i < p->nvec; i++)
        if (!strcmp(p->vec[i]->name, ssc->name)) p->scale = i;
    cplot_free(src);
    add_plot(c, p);
}

/* ---------------------------------------------------------- graphics */

static int have_gnuplot(void)
{
    return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* data file of (scale, value) column pairs and a gnuplot script making png */
static void gnuplot_png(Ctl *c, const char *base, const char *png, const Words *w, int first, int keep_files)
{
    if (sandboxed(c, "gnuplot")) return;
    if (!have_gnuplot()) {
        diag_note(c->d, &c->at->loc, "gnuplot is not installed: no %s written (apt-get install gnuplot)", png);
        return;
    }
    CPlot *p = selection(c, w, first);
    if (!p) return;
    char *data = xasprintf("%s.data", base), *plt = xasprintf("%s.plt", base);
    FILE *f = fopen(data, "w");
    const CVec *sc = p->scale >= 0 ? p->vec[p->scale] : NULL;
    int npts = 0;
    for (int i = 0; i < p->nvec; i++) npts = p->vec[i]->n > npts ? p->vec[i]->n : npts;
    for (int k = 0; f && k < npts; k++) {
        for (int i = 0; i < p->nvec; i++) {
            if (i == p->scale) continue;
            const CVec *v = p->vec[i];
            int at = k < v->n ? k : v->n - 1;   /* complex: the magnitude */
            fprintf(f, "% .8e % .8e ", sc ? sc->v[k < sc->n ? k : sc->n - 1] : (double)k,
                    v->im ? hypot(v->v[at], v->im[at]) : v->v[at]);
        }
        fprintf(f, "\n");
    }
    FILE *g = f ? fopen(plt, "w") : NULL;
    if (g) {
        fprintf(g, "set terminal png size 900,600\nset output '%s'\nset grid\nset title '%s'\nset xlabel '%s'\nplot ",
                png, p->title, sc ? sc->name : "index");
        int col = 1;
        for (int i = 0; i < p->nvec; i++) {
            if (i == p->scale) continue;
            fprintf(g, "%s'%s' using %d:%d with lines title '%s'", col > 1 ? ", " : "", data, col, col + 1,
                    p->vec[i]->name);
            col += 2;
        }
        fprintf(g, "\n");
    }
    int ok = f && g;
    if (f) ok &= fclose(f) == 0;
    if (g) ok &= fclose(g) == 0;
    if (ok) {
        char *cmd = xasprintf("gnuplot '%s' 2>&1", plt);
        ok = system(cmd) == 0;
        free(cmd);
    }
    if (!ok) diag_warning(c->d, &c->at->loc, "gnuplot could not write %s", png);
    else if (!c->cfg->quiet) diag_note(c->d, &c->at->loc, "plot written to %s", png);
    if (!keep_files) {
        remove(data);
        remove(plt);
    }
    free(data);
    free(plt);
    cplot_free(p);
}

/* -------------------------------------------------------- dispatch */

static void exec_block(Ctl *c, const Stmt *s, int n);
static const char *keyword(const char *text, const char *kw);

static int cond_true(Ctl *c, const char *text)
{
    char *t = substitute(c, text);
    if (!t) return 0;
    CVec *v = eval(c, t);
    free(t);
    int r = v && v->n > 0 && v->v[0] != 0;
    cvec_free(v);
    return r;
}

static void cmd_set(Ctl *c, const char *args)
{
    char *a = xstrdup(args);
    Words w = {0};
    /* name = value | name=value | name = ( list ) | name */
    char *p = a;
    while (*p) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        const char *nm = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p)) p++;
        char *name = xasprintf("%.*s", (int)(p - nm), nm);
        for (char *t = name; *t; t++) *t = (char)tolower((unsigned char)*t);
        while (isspace((unsigned char)*p)) p++;
        char *value = xstrdup("");
        if (*p == '=') {
            p++;
            while (isspace((unsigned char)*p)) p++;
            const char *vs = p;
            if (*p == '(') {
                while (*p && *p != ')') p++;
                free(value);
                value = xasprintf("%.*s", (int)(p - vs - 1), vs + 1);
                if (*p) p++;
                Words lw = split_words(value);
                free(value);
                VEC(char) j = {0};
                for (int i = 0; i < lw.n; i++) {
                    if (i) VEC_PUSH(j, ' ');
                    for (char *t = lw.w[i]; *t; t++) VEC_PUSH(j, *t);
                }
                VEC_PUSH(j, '\0');
                value = j.v;
                words_free(&lw);
            } else if (*p == '"') {
                p++;
                vs = p;
                while (*p && *p != '"') p++;
                free(value);
                value = xasprintf("%.*s", (int)(p - vs), vs);
                if (*p) p++;
            } else {
                while (*p && !isspace((unsigned char)*p)) p++;
                free(value);
                value = xasprintf("%.*s", (int)(p - vs), vs);
            }
        }
        var_set(c, name, value);
        if (!strcmp(name, "temp") && value[0]) {   /* set temp = 50: the circuit temperature */
            double t;
            if (eval_scalar(c, value, &t) == 0) c->deck->opt.temp = t;
        }
        free(name);
        free(value);
    }
    words_free(&w);
    free(a);
}

static void cmd_let(Ctl *c, const char *args)
{
    const char *eq = strchr(args, '=');
    if (!eq) {
        cerror(c, "let: expected 'let name = expression'");
        return;
    }
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(eq - args), args);
    char *nb = name;
    while (isspace((unsigned char)*nb)) nb++;
    size_t len = strlen(nb);
    while (len && isspace((unsigned char)nb[len - 1])) nb[--len] = '\0';
    for (char *t = nb; *t; t++) *t = (char)tolower((unsigned char)*t);
    CVec *v = eval(c, eq + 1);
    if (!v) return;
    char *br = strchr(nb, '[');
    if (br) {   /* let x[3] = value */
        long idx = strtol(br + 1, NULL, 10);
        *br = '\0';
        CVec *old = cplot_find(c->cur, nb);
        if (!old || idx < 0 || idx >= old->n) {
            cerror(c, "let: %s[%ld] is not an element of an existing vector", nb, idx);
        } else {
            old->v[idx] = v->v[0];
            if (old->im) old->im[idx] = v->im ? v->im[0] : 0;
            else if (v->im && v->im[0] != 0) cerror(c, "let: %s is real; %s[%ld] cannot take a complex value", nb, nb, idx);
        }
        cvec_free(v);
        return;
    }
    if (!*nb) {
        cvec_free(v);
        cerror(c, "let: expected a vector name before '='");
        return;
    }
    free(v->name);
    v->name = xstrdup(nb);
    cplot_add(c->cur, v);
}

static void cmd_setplot(Ctl *c, const Words *w)
{
    if (w->n < 2) {
        FILE *out = out_of(c);
        fprintf(out, "List of plots available:\n");
        for (int i = c->nplots - 1; i >= 0; i--)
            fprintf(out, "%s\t%s\t%s (%s)\n", c->plots[i] == c->cur ? "Current" : "", c->plots[i]->name,
                    c->plots[i]->title, c->plots[i]->kind);
        return;
    }
    if (!strcmp(w->w[1], "new")) {
        char name[32];
        snprintf(name, sizeof name, "unknown%d", c->nplots);
        add_plot(c, cplot_new(name, c->deck->title, "unknown"));
        return;
    }
    for (int i = 0; i < c->nplots; i++)
        if (!strcmp(c->plots[i]->name, w->w[1])) {
            c->cur = c->plots[i];
            return;
        }
    cerror(c, "setplot: no plot named '%s'", w->w[1]);
}

static void cmd_destroy(Ctl *c, const Words *w)
{
    for (int k = 1; k < w->n; k++) {
        for (int i = c->nplots - 1; i >= 1; i--) {
            if (strcmp(w->w[k], "all") && strcmp(c->plots[i]->name, w->w[k])) continue;
            if (c->cur == c->plots[i]) c->cur = NULL;
            cplot_free(c->plots[i]);
            memmove(&c->plots[i], &c->plots[i + 1], (size_t)(c->nplots - i - 1) * sizeof *c->plots);
            c->nplots--;
        }
    }
    if (!c->cur) c->cur = c->plots[c->nplots - 1];
}

/* ngspice's output redirection: the first '>' (or '>>': append) outside
 * parentheses and quotes ends the command; the word after it names the
 * file. Returns the offset of the '>' or -1; *file is malloc'd. */
static long find_redirect(const char *s, int *append, char **file)
{
    int depth = 0;
    char q = 0;
    for (const char *p = s; *p; p++) {
        if (q) {
            if (*p == q) q = 0;
            continue;
        }
        if (*p == '"' || *p == '\'') q = *p;
        else if (*p == '(' || *p == '[') depth++;
        else if ((*p == ')' || *p == ']') && depth > 0) depth--;
        else if (*p == '>' && depth == 0) {
            *append = p[1] == '>';
            const char *f = p + 1 + *append;
            while (isspace((unsigned char)*f)) f++;
            size_t n = 0;
            while (f[n] && !isspace((unsigned char)f[n])) n++;
            *file = xasprintf("%.*s", (int)n, f);
            return (long)(p - s);
        }
    }
    return -1;
}

static void run_command_to(Ctl *c, const char *text);

/* One command; with '> file' (not for shell, whose line is the shell's)
 * its output goes to that file, as in ngspice (`print v(1) > out.txt`;
 * `if` and `while` conditions compare, they are not commands) */
static void run_command(Ctl *c, const char *text)
{
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    int append = 0;
    char *file = NULL;
    long at = strncasecmp(p, "shell", 5) || (p[5] && !isspace((unsigned char)p[5])) ? find_redirect(p, &append, &file) : -1;
    if (at < 0) {
        run_command_to(c, p);
        return;
    }
    char *cmd = xasprintf("%.*s", (int)at, p);
    if (!file[0]) {
        cerror(c, "'>' with no file name after it");
    } else if (c->cfg->no_files) {
        diag_note(c->d, c->at ? &c->at->loc : NULL, "'> %s': no files are written in this run", file);
        run_command_to(c, cmd);
    } else if (!(c->redir = fopen(file, append ? "a" : "w"))) {
        cerror(c, "cannot open '%s' for the output: %s", file, strerror(errno));
    } else {
        run_command_to(c, cmd);
        if (fclose(c->redir)) cerror(c, "error writing '%s': %s", file, strerror(errno));
        c->redir = NULL;
    }
    free(cmd);
    free(file);
}

/* a goto that left the outermost block of a script without finding its
 * label: an error at the goto */
static void goto_unresolved(Ctl *c)
{
    if (!c->go) return;
    diag_error(c->d, &c->go_at->loc, "goto %s: no 'label %s' in the goto's block or an enclosing one", c->go, c->go);
    free(c->go);
    c->go = NULL;
    if (c->rc == RUN_OK) c->rc = RUN_INPUT_ERROR;
}

/* parameter overrides and their strings */
static void overrides_free(ParamOverride *ov, int n)
{
    for (int i = 0; i < n; i++) free((char *)ov[i].name), free((char *)ov[i].sub);
    free(ov);
}

static Stmt *parse_block(Parse *ps, int *n, int nested, int *at_else, const CtlLine *opener);
static void stmts_free(Stmt *s, int n);

/* source FILE: as ngspice, read a netlist; when it has a circuit, that
 * becomes the circuit of the commands that follow (its .param overrides
 * and alters start afresh), and its own .control lines run now. A file of
 * only .control lines runs them on the current circuit. */
static void cmd_source(Ctl *c, const Words *w)
{
    if (w->n != 2) {
        cerror(c, "source: expected 'source FILE'");
        return;
    }
    if (c->cfg->no_files) {
        diag_note(c->d, &c->at->loc, "source: no files are read in this run");
        return;
    }
    if (c->depth >= 16) {
        cerror(c, "source: files sourced 16 deep (a file that sources itself?)");
        return;
    }
    Netlist *nl = netlist_read(w->w[1], &c->srcs, c->d);
    if (!nl) {
        cerror(c, "source: '%s' could not be read (see above)", w->w[1]);
        return;
    }
    c->own = xrealloc(c->own, (size_t)(c->nown + 1) * sizeof *c->own);
    c->own[c->nown++] = nl;
    if (nl->ncards > 0) {
        const Netlist *prev = c->nl;
        c->nl = nl;
        ParamOverride *ov = c->ov;
        int nov = c->nov;
        c->ov = NULL;
        c->nov = 0;
        if (elaborate_deck(c)) {
            cerror(c, "source: the circuit of '%s' has errors (see above); the previous circuit stays", w->w[1]);
            c->nl = prev;
            c->ov = ov;
            c->nov = nov;
            return;
        }
        overrides_free(ov, nov);
    }
    if (nl->nctl) {
        Parse ps = {nl, 0, c->d, 0};
        int n = 0;
        Stmt *prog = parse_block(&ps, &n, 0, NULL, NULL);
        const CtlLine *at = c->at;
        if (!ps.errors) {
            c->depth++;
            exec_block(c, prog, n);
            c->depth--;
            goto_unresolved(c);   /* labels do not cross files */
        } else {
            c->rc = c->rc == RUN_OK ? RUN_INPUT_ERROR : c->rc;
        }
        c->at = at;
        stmts_free(prog, n);
    }
}

static void run_command_to(Ctl *c, const char *text)
{
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    char cmd[32];
    size_t n = 0;
    while (p[n] && !isspace((unsigned char)p[n]) && n < sizeof cmd - 1) {
        cmd[n] = (char)tolower((unsigned char)p[n]);
        n++;
    }
    cmd[n] = '\0';
    const char *args = p + n;
    while (isspace((unsigned char)*args)) args++;
    Words w = split_words(p);
    if (!strcmp(cmd, "echo")) {
        FILE *out = out_of(c);
        for (int i = 1; i < w.n; i++) fprintf(out, "%s%s", i > 1 ? " " : "", w.w[i]);
        fprintf(out, "\n");
    } else if (!strcmp(cmd, "set")) {
        cmd_set(c, args);
    } else if (!strcmp(cmd, "unset")) {
        for (int i = 1; i < w.n; i++) var_unset(c, w.w[i]);
    } else if (!strcmp(cmd, "let")) {
        cmd_let(c, args);
    } else if (!strcmp(cmd, "unlet")) {
        for (int i = 1; i < w.n; i++)
            for (int k = 0; k < c->cur->nvec; k++)
                if (!strcmp(c->cur->vec[k]->name, w.w[i]) && k != c->cur->scale) {
                    cvec_free(c->cur->vec[k]);
                    memmove(&c->cur->vec[k], &c->cur->vec[k + 1], (size_t)(c->cur->nvec - k - 1) * sizeof *c->cur->vec);
                    c->cur->nvec--;
                    if (c->cur->scale > k) c->cur->scale--;
                    break;
                }
    } else if (!strcmp(cmd, "print")) {
        cmd_print(c, args);
    } else if (!strcmp(cmd, "op") || !strcmp(cmd, "tran") || !strcmp(cmd, "ac")) {
        cmd_tran_op(c, cmd, args);
    } else if (!strcmp(cmd, "dc")) {
        cmd_dc(c, &w);
    } else if (!strcmp(cmd, "run")) {
        if (c->deck->an.n == 0) cerror(c, "run: the netlist has no analysis line (.op, .dc, .tran)");
        else run_analyses(c, c->deck->an.v, c->deck->an.n);
    } else if (!strcmp(cmd, "noise") || !strcmp(cmd, "tf") || !strcmp(cmd, "sens") ||
               !strcmp(cmd, "pz") || !strcmp(cmd, "disto") || !strcmp(cmd, "fourier") || !strcmp(cmd, "spec")) {
        cerror(c, "%s: this analysis is not available in memspice yet (docs/control.md)", cmd);
    } else if (!strcmp(cmd, "alter")) {
        cmd_alter(c, args);
    } else if (!strcmp(cmd, "altermod")) {
        cmd_altermod(c, args);
    } else if (!strcmp(cmd, "alterparam")) {
        cmd_alterparam(c, args);
    } else if (!strcmp(cmd, "reset")) {
        if (elaborate_deck(c)) cerror(c, "reset: the netlist could not be read again (see above)");
    } else if (!strcmp(cmd, "option") || !strcmp(cmd, "options") || !strcmp(cmd, ".options")) {
        cmd_option(c, args);
    } else if (!strcmp(cmd, "write")) {
        cmd_write(c, args);
    } else if (!strcmp(cmd, "wrdata")) {
        cmd_wrdata(c, args);
    } else if (!strcmp(cmd, "meas") || !strcmp(cmd, "measure")) {
        cmd_meas(c, args);
    } else if (!strcmp(cmd, "setplot")) {
        cmd_setplot(c, &w);
    } else if (!strcmp(cmd, "destroy")) {
        cmd_destroy(c, &w);
    } else if (!strcmp(cmd, "linearize")) {
        cmd_linearize(c, args);
    } else if (!strcmp(cmd, "display")) {
        FILE *out = out_of(c);
        fprintf(out, "Here are the vectors currently active:\n\nTitle: %s\nName: %s (%s)\n", c->cur->title,
                c->cur->name, c->cur->kind);
        for (int i = 0; i < c->cur->nvec; i++)
            fprintf(out, "    %-20s: %s, real, %d long%s\n", c->cur->vec[i]->name, vartype_name(c->cur->vec[i]->type),
                    c->cur->vec[i]->n, i == c->cur->scale ? " [default scale]" : "");
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit")) {
        c->stop = 1;
    } else if (!strcmp(cmd, "shell")) {
        if (sandboxed(c, "shell")) {
        } else if (!c->cfg->allow_shell) {
            cerror(c, "shell: running programs from a netlist is refused; run memspice with --allow-shell to permit it");
        } else if (system(args) != 0) {
            diag_warning(c->d, &c->at->loc, "shell: '%s' did not succeed", args);
        }
    } else if (!strcmp(cmd, "gnuplot")) {
        if (w.n < 3) {
            cerror(c, "gnuplot: expected 'gnuplot NAME vectors'");
        } else {
            Words e = split_exprs(args);
            char *png = xasprintf("%s.png", e.w[0]);
            gnuplot_png(c, e.w[0], png, &e, 1, 1);
            free(png);
            words_free(&e);
        }
    } else if (!strcmp(cmd, "plot") || !strcmp(cmd, "hardcopy")) {
        Words e = split_exprs(args);
        int hc = cmd[0] == 'h';
        if (hc && e.n < 2) {
            cerror(c, "hardcopy: expected 'hardcopy FILE vectors'");
        } else {
            char *png = hc ? xstrdup(e.w[0]) : xasprintf("plot%d.png", ++c->nfig);
            char *base = xasprintf("%s.tmp%d", png, c->nfig);
            gnuplot_png(c, base, png, &e, hc, 0);
            free(base);
            free(png);
        }
        words_free(&e);
    } else if (!strcmp(cmd, "source")) {
        cmd_source(c, &w);
    } else if (!strcmp(cmd, "rusage") || !strcmp(cmd, "version") || !strcmp(cmd, "status") ||
               !strcmp(cmd, "listing") || !strcmp(cmd, "show") || !strcmp(cmd, "showmod") ||
               !strcmp(cmd, "iplot") || !strcmp(cmd, "save") || !strcmp(cmd, "remcirc") || !strcmp(cmd, "destroyall")) {
        diag_note(c->d, &c->at->loc, "'%s' has no effect in memspice", cmd);
    } else {
        cerror(c, "unknown control command '%s' (docs/control.md lists what memspice runs)", cmd);
    }
    words_free(&w);
}

static void exec_stmt(Ctl *c, const Stmt *s)
{
    c->at = s->line;
    if (interrupt_requested()) {
        c->rc = RUN_INTERRUPTED;
        c->stop = 1;
        return;
    }
    switch (s->kind) {
    case S_CMD: {
        const char *t = s->arg;
        while (isspace((unsigned char)*t)) t++;
        if (!strncasecmp(t, "break", 5) && !t[5]) {
            c->brk = 1;
            return;
        }
        if (!strncasecmp(t, "continue", 8) && !t[8]) {
            c->cont = 1;
            return;
        }
        const char *arg;
        if (keyword(t, "label")) return;   /* a goto's target; nothing to run */
        if ((arg = keyword(t, "goto"))) {
            Words w = split_words(arg);
            if (w.n != 1) {
                cerror(c, "goto: expected 'goto label'");
            } else if (++c->ngoto > LOOP_MAX) {
                cerror(c, "%ld gotos taken: stopped (memspice's limit on loops; docs/control.md)", (long)LOOP_MAX);
                c->stop = 1;
            } else {
                c->go = xstrdup(w.w[0]);
                c->go_at = s->line;
            }
            words_free(&w);
            return;
        }
        c->err = 0;
        char *line = substitute(c, s->arg);
        if (!line) return;
        run_command(c, line);
        free(line);
        return;
    }
    case S_IF:
        if (cond_true(c, s->arg)) exec_block(c, s->body, s->nbody);
        else if (!c->stop) exec_block(c, s->els, s->nels);
        return;
    case S_WHILE:
    case S_DOWHILE:
    case S_REPEAT: {
        long count = -1, it = 0;
        if (s->kind == S_REPEAT && s->arg[strspn(s->arg, " \t")]) {
            double v;
            char *t = substitute(c, s->arg);
            if (!t || eval_scalar(c, t, &v)) {
                free(t);
                return;
            }
            free(t);
            if (!(v >= 0 && v <= LOOP_MAX)) {
                cerror(c, "repeat %g: the count must be 0 ... %ld", v, (long)LOOP_MAX);
                return;
            }
            count = (long)v;
        }
        for (;;) {
            if (interrupt_requested()) {
                c->rc = RUN_INTERRUPTED;
                c->stop = 1;
                break;
            }
            if (s->kind == S_WHILE && !cond_true(c, s->arg)) break;
            if (s->kind == S_REPEAT && count >= 0 && it >= count) break;
            /* a script never runs without end: a loop that does not
             * finish is stopped with an error (a repeat without a count
             * or a condition that stays true) */
            if ((count < 0 || s->kind != S_REPEAT) && it >= LOOP_MAX) {
                c->at = s->line;
                cerror(c, "this loop ran %ld times without ending: stopped (memspice's limit; docs/control.md)",
                       (long)LOOP_MAX);
                c->stop = 1;
                break;
            }
            exec_block(c, s->body, s->nbody);
            it++;
            c->at = s->line;
            if (c->stop || c->brk || c->go) break;
            c->cont = 0;
            if (s->kind == S_DOWHILE && !cond_true(c, s->arg)) break;
        }
        c->brk = c->cont = 0;
        return;
    }
    case S_FOREACH: {
        char *t = substitute(c, s->arg);
        if (!t) return;
        Words w = split_words(t);
        free(t);
        if (w.n < 1) {
            cerror(c, "foreach: expected 'foreach var value ...'");
        }
        for (int i = 1; i < w.n && !c->stop; i++) {
            var_set(c, w.w[0], w.w[i]);
            exec_block(c, s->body, s->nbody);
            c->at = s->line;
            if (c->brk || c->go) break;
            c->cont = 0;
        }
        c->brk = c->cont = 0;
        words_free(&w);
        return;
    }
    }
}

/* the statement `label name` in s[0..n), or -1 */
static int find_label(const Stmt *s, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        const char *a;
        if (s[i].kind != S_CMD || !(a = keyword(s[i].arg, "label"))) continue;
        while (isspace((unsigned char)*a)) a++;
        size_t len = strlen(name);
        if (!strncasecmp(a, name, len) && (!a[len] || isspace((unsigned char)a[len]))) return i;
    }
    return -1;
}

/* A goto continues at its label in this block, or unwinds to the
 * enclosing blocks (ngspice: "in the block or an enclosing block") */
static void exec_block(Ctl *c, const Stmt *s, int n)
{
    for (int i = 0; i < n && !c->stop && !c->brk && !c->cont; i++) {
        exec_stmt(c, &s[i]);
        if (c->go) {
            int j = find_label(s, n, c->go);
            if (j < 0) return;
            free(c->go);
            c->go = NULL;
            i = j;
        }
    }
}

/* ---------------------------------------------------------- parsing */

static const char *keyword(const char *text, const char *kw)
{
    size_t n = strlen(kw);
    while (isspace((unsigned char)*text)) text++;
    if (strncasecmp(text, kw, n) != 0 || (text[n] && !isspace((unsigned char)text[n]))) return NULL;
    return text + n;
}

static void stmts_free(Stmt *s, int n)
{
    for (int i = 0; i < n; i++) {
        stmts_free(s[i].body, s[i].nbody);
        stmts_free(s[i].els, s[i].nels);
    }
    free(s);
}

/* statements up to 'end' (or 'else' for an if: *at_else), or the end */
static Stmt *parse_block(Parse *ps, int *n, int nested, int *at_else, const CtlLine *opener)
{
    Stmt *list = NULL;
    int cnt = 0;
    while (ps->i < ps->nl->nctl) {
        const CtlLine *l = &ps->nl->ctl[ps->i++];
        const char *rest;
        if (keyword(l->text, "end")) {
            if (!nested) {
                diag_error(ps->d, &l->loc, "'end' without a foreach, while, repeat, dowhile or if before it");
                ps->errors++;
                continue;
            }
            *n = cnt;
            return list;
        }
        if (keyword(l->text, "else")) {
            if (at_else && !*at_else) {
                *at_else = 1;
                *n = cnt;
                return list;
            }
            diag_error(ps->d, &l->loc, "'else' without an 'if' before it");
            ps->errors++;
            continue;
        }
        list = xrealloc(list, (size_t)(cnt + 1) * sizeof *list);
        Stmt *s = &list[cnt++];
        memset(s, 0, sizeof *s);
        s->line = l;
        s->arg = l->text;
        static const struct {
            const char *kw;
            StmtKind k;
        } blocks[] = {{"foreach", S_FOREACH}, {"while", S_WHILE}, {"dowhile", S_DOWHILE}, {"repeat", S_REPEAT},
                      {"if", S_IF}};
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            if (!(rest = keyword(l->text, blocks[b].kw))) continue;
            s->kind = blocks[b].k;
            s->arg = rest;
            int saw_else = 0;
            s->body = parse_block(ps, &s->nbody, 1, s->kind == S_IF ? &saw_else : NULL, l);
            if (saw_else) {
                int dummy = 1;
                s->els = parse_block(ps, &s->nels, 1, &dummy, l);
            }
            break;
        }
    }
    if (nested) {
        diag_error(ps->d, &opener->loc, "this block has no 'end'");
        ps->errors++;
    }
    *n = cnt;
    return list;
}

/* --------------------------------------------------------------- run */

static CPlot *constants(void)
{
    static const struct {
        const char *name;
        double v;
    } k[] = {{"pi", M_PI}, {"e", M_E}, {"c", 299792458.0}, {"i", 0}, {"kelvin", -273.15},
             {"echarge", 1.602176634e-19}, {"boltz", 1.380649e-23}, {"planck", 6.62607015e-34},
             {"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}};
    CPlot *p = cplot_new("const", "Constant values", "constants");
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        CVec *v = cvec_new(k[i].name, VT_NOTYPE, 1);
        v->v[0] = k[i].v;
        cplot_add(p, v);
    }
    return p;
}

int control_run(SimConfig *cfg, const Netlist *nl, const SourceSet *src, Diag *d)
{
    (void)src;
    Parse ps = {nl, 0, d, 0};
    int nst = 0;
    Stmt *prog = parse_block(&ps, &nst, 0, NULL, NULL);
    if (ps.errors) {
        stmts_free(prog, nst);
        return RUN_INPUT_ERROR;
    }
    Ctl c = {.cfg = cfg, .nl = nl, .src = src, .d = d};
    sourceset_init(&c.srcs);
    for (int i = 0; i < cfg->nparams; i++) {
        c.ov = xrealloc(c.ov, (size_t)(c.nov + 1) * sizeof *c.ov);
        c.ov[c.nov] = cfg->params[i];
        c.ov[c.nov].name = xstrdup(cfg->params[i].name);
        c.nov++;
    }
    if (elaborate_deck(&c)) {
        c.rc = RUN_INPUT_ERROR;
    } else {
        add_plot(&c, constants());
        exec_block(&c, prog, nst);
        goto_unresolved(&c);
        if (c.rc == RUN_OK && c.ran == 0) {
            diag_error(d, &nl->ctl[0].loc, "the .control block ran no analysis (op, dc, tran or run): nothing was "
                                          "simulated");
            c.rc = RUN_INPUT_ERROR;
        }
        /* -r FILE: every plot, unless the script wrote its own files */
        if (c.nplots > 1 && cfg->raw && !c.wrote) {
            c.at = NULL;
            c.stop = 0;
            Var *ft = var_find(&c, "filetype");
            if (write_raw(&c, cfg->raw, c.plots + 1, c.nplots - 1, cfg->ascii || (ft && !strcasecmp(ft->value, "ascii"))) == 0)
                cfg->plots_written = c.nplots - 1;
        }
        for (int k = 1; cfg->extra && k < c.nplots; k++) send_plot(cfg->extra, c.plots[k], d);
    }
    for (int i = 0; i < c.nplots; i++) cplot_free(c.plots[i]);
    free(c.plots);
    for (int i = 0; i < c.nvars; i++) {
        free(c.vars[i].name);
        free(c.vars[i].value);
    }
    free(c.vars);
    for (int i = 0; i < c.nwr; i++) {
        for (int k = 0; k < c.wr[i].n; k++) cplot_free(c.wr[i].plots[k]);
        free(c.wr[i].plots);
        free(c.wr[i].path);
    }
    free(c.wr);
    overrides_free(c.ov, c.nov);
    deck_free(c.deck);
    for (int i = 0; i < c.nown; i++) netlist_free(c.own[i]);
    free(c.own);
    sourceset_free(&c.srcs);
    stmts_free(prog, nst);
    return c.rc;
}
