/* Elaboration internals: from the syntax tree to a Deck (flat circuit +
 * requests). Parameters are evaluated in scopes (global, then one per
 * subcircuit instance), subcircuits are flattened with ngspice's naming
 * (nodes x1.n3, elements v.x1.v2), element lines are read according to the
 * device tables. */
#ifndef MS_ELAB_H
#define MS_ELAB_H

#include "circuit/deck.h"
#include "expr/expr.h"
#include "netlist/elaborate.h"
#include "netlist/syntax.h"
#include <stddef.h>
#include <stdint.h>

#include "util/strmap.h"

typedef struct Scope Scope;

typedef struct ParamDef {
    char *name;
    char *text;             /* expression text, lower-case */
    SrcLoc loc;             /* where the expression starts */
    Scope *scope;           /* where it is evaluated */
    int state;              /* 0 not evaluated, 1 evaluating (cycle check), 2 done */
    double value;
    int dotparam;           /* defined by a .param line (not a subcircuit argument or default) */
} ParamDef;

typedef struct FuncDef {
    ExprFunc f;             /* name, params, body for the expression compiler */
    char **params;
    ExprNode *body;
    SrcLoc loc;
} FuncDef;

typedef struct SubcktDef {
    char *name;
    const Card *card;       /* the .subckt line */
    char **ports;
    int nports;
    const Card **body;      /* cards between .subckt and .ends (nested definitions included) */
    int nbody;
    const Item **defaults;  /* params: name=value on the .subckt line */
    int ndefaults;
    Scope *def_scope;       /* scope the definition appears in (lexical parent) */
    int used;               /* instantiated at least once */
} SubcktDef;

typedef struct ModelDef {
    char *name;
    const Card *card;
    Scope *scope;           /* parameters of the model are evaluated here */
    Model *made;            /* circuit model once created */
    int random;             /* a parameter used a random function: one copy per instance (variability.c) */
} ModelDef;

struct Scope {
    Scope *parent;
    char *prefix;           /* "" at top level, "x1." inside instance x1, ... */
    char *inst_name;        /* "x1" (for messages), NULL at top */
    const char *subckt;     /* the subcircuit this scope is an instance of, NULL at top */
    SrcLoc inst_loc;
    StrMap params, funcs, subckts, models;
    StrMap ports;           /* inside an instance: port name -> circuit node (as intptr) */
};

/* The draw context of random functions (docs/variability.md): a number is
 * a function of (seed, step, kind, owner, param, seq) only. */
typedef enum {
    RND_OTHER,              /* outside any parameter (.options, .tran values, ...) */
    RND_SCOPE_PARAM,        /* a .param or subcircuit parameter: owner = scope prefix ("" top, "x1.") */
    RND_INST,               /* an element's parameter: owner = flat instance name */
    RND_MODEL,              /* a .model parameter: owner = flat model name */
    RND_INST_MODEL          /* a .model parameter drawn for one instance: owner = flat instance name */
} RndKind;
typedef struct ElabRnd {
    int kind;               /* RndKind */
    const char *owner, *param;
    int seq;                /* draws made in this context so far (call order in the text) */
} ElabRnd;

typedef struct Elab {
    const Netlist *nl;
    const ElabOpts *eo;   /* parameter overrides, step index */
    Diag *d;
    Deck *deck;
    Scope *top;
    VEC(Scope *) scopes;    /* all scopes, freed at the end */
    VEC(FuncDef *) funcs;
    VEC(ParamDef *) params;
    VEC(SubcktDef *) subckts;
    VEC(ModelDef *) models;
    StrMap globals;         /* .global node names */
    VEC(const SubcktDef *) stack;   /* instantiation chain (recursion check) */
    VEC(const Card *) deferred;     /* .dc .ic .nodeset: resolved once the circuit exists */
    int errors;
    VEC(ParamDef *) evaluating;   /* parameters being evaluated, outermost first */
    StrMap expansion;       /* .subckt card (as "%p") -> index + 1 into expcount (subckt.c) */
    VEC(double) expcount;   /* instances one instance of that definition makes; -1 while counting */
    int interrupted;        /* SIGINT/SIGTERM seen (reported once) */
    StrMap warned;          /* warnings given once per place ("%p" of the item), not per subcircuit instance */
    ElabRnd rnd;            /* what random functions evaluated now are drawn for (variability.c) */
    long rnd_draws;         /* random numbers drawn so far */
    uint64_t seed;
    int seed_ready;         /* seed known: random functions may be drawn */
} Elab;

/* Limits that turn pathological input into an error instead of a stack
 * overflow: chains of parameters defined through each other, and
 * subcircuit instantiation depth. */
enum { ELAB_MAX_PARAM_DEPTH = 1000, ELAB_MAX_SUBCKT_DEPTH = 256 };
/* default of .options maxelements: element and subcircuit instances of the
 * flattened circuit, counted before anything is built */
#define ELAB_MAX_ELEMENTS DECK_MAX_ELEMENTS

/* scope.c */
Scope *scope_new(Elab *el, Scope *parent, const char *prefix, const char *inst_name, const SrcLoc *loc);
void scope_add_param(Elab *el, Scope *s, const char *name, const char *text, const SrcLoc *loc);
void scope_set_value(Elab *el, Scope *s, const char *name, double value, const SrcLoc *loc);
int scope_eval_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc, double *out);
/* value of an item: a number word, {expr}/'expr', or (bare_expr) any word as an expression */
int scope_eval_item(Elab *el, Scope *s, const Card *c, const Item *it, int bare_expr, double *out);
ParamDef *scope_find_param(Scope *s, const char *name);
/* compile an expression evaluated later: a name is first offered to pre
 * (e.g. measurement results as variables), else it is a parameter of s
 * (a constant); errors reported at loc, NULL */
ExprProg *scope_compile_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc,
                             ExprSymKind (*pre)(void *ctx, const char *name, ExprSym *out), void *pre_ctx);
/* value of a parameter, evaluated on first use (cycles reported) */
int scope_param_value(Elab *el, ParamDef *p, double *out);
void *scope_lookup(Scope *s, size_t map_offset, const char *name);
#define SCOPE_FIND(s, map, name) scope_lookup((s), offsetof(Scope, map), (name))
void elab_error(Elab *el, const Scope *s, const SrcLoc *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void elab_free(Elab *el);

/* defs.c: .param .func .model .subckt collection */
int collect_defs(Elab *el, Scope *s, const Card *const *cards, int n, const Card ***rest, int *nrest);

/* elements.c */
int elab_element(Elab *el, Scope *s, const Card *c);
InstExpr *elab_output_expr(Elab *el, const Item *it);
/* circuit node for a node name written in scope s */
int elab_node(Elab *el, Scope *s, const char *name, const SrcLoc *loc);
/* flattened element name: "r1" at top level, "r.x1.r1" inside x1 */
char *elab_flat_name(const Scope *s, const char *name);
/* the model `name` visible from s, created in the circuit on first use */
Model *elab_model(Elab *el, Scope *s, const char *name, const SrcLoc *loc);

/* exprbind.c: compile key=expression of a behavioural element into in->expr */
/* the expression of an element line: `it` is its key=expression, or a bare
 * {braced} / 'quoted' value (R1 a b {1k*(1+v(x))}) */
int elab_inst_expr(Elab *el, Scope *s, const Card *c, const Item *it, Instance *in);
/* the same for expression text made by elaboration (POLY), key: the
 * type's expr_keys index it stands for */
int elab_inst_expr_text(Elab *el, Scope *s, const char *text, const SrcLoc *loc, int key, Instance *in);
/* E/F/G/H with POLY(n) (SPICE2's polynomial sources): the behavioural
 * source with the polynomial as its expression (poly.c) */
int elab_poly(Elab *el, Scope *s, const Card *c, const char *name, int pos);
int elab_table(Elab *el, Scope *s, const Card *c, const char *name, int pos, int kw);
/* .crossbar (crossbar.c): the array's elements; their number for the
 * expansion limit */
int elab_crossbar(Elab *el, Scope *s, const Card *c);
/* elements an array makes (the expansion limit); s NULL: written sizes only */
double elab_crossbar_count(Elab *el, Scope *s, const Card *c);
struct NumTable;
char *elab_item_path(const Card *c, const Item *value);
int elab_read_xy_table(const Card *c, const Item *value, struct NumTable *t, int min_rows, int increasing, char *err,
                       size_t nerr);
/* 1 when the expression of `it` (as for elab_inst_expr) reads a node
 * voltage, a branch current, time, temper, or calls ddt/sdt: a value that
 * changes while simulating */
int elab_expr_reads_circuit(Elab *el, Scope *s, const Card *c, const Item *it);
/* 0 V probes for i(element) of elements without a branch unknown (before
 * circuit_finalize) */
void elab_current_probes(Elab *el);
char *elab_assign_text(const Card *c, int k);

/* subckt.c */
int elab_instance(Elab *el, Scope *s, const Card *c);
int elab_body(Elab *el, Scope *s, const Card *const *cards, int n);

/* sources.c: independent source spec after the nodes of a V/I line */
int elab_source_spec(Elab *el, Scope *s, const Card *c, int first, Instance *in);

/* variability.c: random functions at elaboration */
ElabRnd elab_rnd_enter(Elab *el, RndKind kind, const char *owner, const char *param);   /* returns the previous */
void elab_rnd_leave(Elab *el, ElabRnd prev);
int elab_rnd_draw(Elab *el, ExprRandKind kind, const double *args, double *out, char *err, size_t errn);
/* the seed, before anything is evaluated: ElabOpts, else the last top-level
 * .options seed=N among cards, else a chosen one */
int elab_read_seed(Elab *el, const Card *const *cards, int n);
/* (elements.c) model m for the instance `flat`: a copy drawn for it when
 * the model's parameters use random functions, else m */
Model *elab_model_for_instance(Elab *el, Scope *s, const char *name, Model *m, const char *flat);

/* control.c: dot commands of the top level */
int elab_control(Elab *el, const Card *c);
/* "v(a,b)" of an output item (a word, or a call of words), NULL otherwise */
char *elab_output_text(const Item *it);

/* meas.c: a .meas/.measure line into Deck.meas */
int elab_meas(Elab *el, const Card *c);
int elab_resolve_requests(Elab *el);
/* .ic / .nodeset v(node)=value in scope s (a subcircuit instance: its
 * local node names and parameters) */
int elab_node_values(Elab *el, Scope *s, const Card *c, int is_ic);
/* the circuit node `name` names in scope s (ports, globals, the
 * instance's own nodes), without creating it; -1 if none */
int elab_find_node(Elab *el, Scope *s, const char *name);


#endif
