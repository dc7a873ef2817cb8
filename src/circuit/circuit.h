/* The flat circuit: nodes, models and device instances after parameter
 * evaluation and subcircuit flattening. Built by the netlist layer
 * (src/netlist/elaborate.c), consumed by the engine. Owns everything in it. */
#ifndef MS_CIRCUIT_H
#define MS_CIRCUIT_H

#include "circuit/device.h"
#include "circuit/waveform.h"
#include "util/diag.h"
#include "util/strmap.h"
#include "util/xmem.h"

#include <stdint.h>

typedef struct Model {
    char *name;                  /* flattened, lower-case */
    char *type_word;             /* the .model type as written: "d", "nmos", "pmos", ... */
    const DeviceType *type;
    SrcLoc loc;
    double *p;                   /* type->model_params values */
    unsigned char *given;
    struct NumTable **tab;       /* PF_TABLE parameters: tab[k] for parameter k (else NULL; NULL array
                                  * when the type has none) */
    int check_said;              /* a problem of the model itself was reported for one of its
                                  * instances (1), and that the others share it (2) */
} Model;

/* A circuit quantity an expression reads (behavioural sources). Nodes and
 * elements are resolved by name at elaboration; rows at engine setup. */
typedef enum { SIG_NODE, SIG_BRANCH, SIG_TIME, SIG_TEMPER, SIG_AUX } SigKind;
typedef struct Signal {
    SigKind kind;
    int node;                    /* SIG_NODE: circuit node number; SIG_AUX: index in InstExpr.aux */
    char *inst;                  /* SIG_BRANCH: flattened element name */
} Signal;

/* ddt(x) and sdt(x) / idt(x) inside an element's expression: each is an
 * unknown of its own, solved by the engine with the circuit (the
 * expression reads it as signal SIG_AUX):
 *   ddt:  z = d/dt x      sdt, idt:  z = ic + integral of x dt
 * x is a program over the same signal table as the expression. */
typedef enum { AUX_DDT, AUX_SDT } AuxKind;
typedef struct ExprAux {
    AuxKind kind;
    struct ExprProg *prog;
    double ic;                   /* sdt: the value at t = 0 */
} ExprAux;

/* An expression on an element line (B1 a b V={...}, E1 a b value={...}):
 * compiled with its variable slots numbering sig[]. */
typedef struct InstExpr {
    struct ExprProg *prog;
    Signal *sig;
    int nsig;
    int key;                     /* which of the type's expr_keys was written */
    ExprAux *aux;                /* ddt/sdt calls, in the order met */
    int naux;
    char *text;                  /* as written, for messages */
    SrcLoc loc;
} InstExpr;

void inst_expr_free(InstExpr *ie);

/* Common head of every device instance struct. */
typedef struct Instance {
    const DeviceType *type;
    char *name;                  /* flattened name as ngspice: "r1", "r.x1.r2" */
    SrcLoc loc;
    int *nodes;                  /* nnodes circuit node numbers (0 = ground) */
    Model *model;                /* NULL if none */
    double *p;                   /* type->inst_params values (defaults filled) */
    unsigned char *given;
    struct Instance **refs;      /* type->nrefs referenced instances */
    char **ref_names;
    Waveform *wave;              /* sources only */
    InstExpr *expr;              /* behavioural elements only */
    int nnodes;                  /* type->nterm, plus the optional terminals written */
    int branch;                  /* own branch-current unknown, -1 if none (set in setup) */
    int internal;                /* made by elaboration (a current probe): its unknowns are
                                  * left out of the default output */
    int dc_hold;                 /* the topology check chose this element's ic= to fix its
                                  * voltage in static solves (it alone ties a node down) */
} Instance;

/* All instances of one device type, contiguous (type->inst_size apart). */
typedef struct InstGroup {
    const DeviceType *type;
    char *data;
    int n;
    void *priv;                  /* device-owned per-group data (freed with free()) */
} InstGroup;

static inline Instance *group_inst(const InstGroup *g, int i)
{
    return (Instance *)(g->data + (size_t)i * g->type->inst_size);
}

typedef struct Circuit {
    /* nodes: 0 is ground; names lower-case */
    VEC(char *) node_names;
    VEC(SrcLoc) node_loc;        /* where each node first appears */
    VEC(unsigned char) node_internal;   /* made by elaboration: not in the default output */
    StrMap node_map;             /* name -> node number */
    VEC(Model *) models;
    StrMap model_map;
    /* instances: pending (while building) then grouped (after finalize) */
    VEC(Instance *) pending;
    InstGroup *groups;
    int ngroups;
    StrMap inst_map;             /* name -> Instance* (valid after finalize) */
    int finalized;
    double temp;                 /* circuit temperature, Celsius (set by elaboration before finalize, for checks) */
    uint64_t rng_key;            /* seed and .step index of device random numbers (util/rng.h, set by elaboration) */
    int ic_in_op;                /* every given ic= holds its voltage in static solves (Xyce's
                                  * dialect); otherwise only where nothing else ties a node */
} Circuit;

Circuit *circuit_new(void);
void circuit_free(Circuit *c);

int circuit_node(Circuit *c, const char *name, const SrcLoc *loc);   /* find or add */
int circuit_find_node(const Circuit *c, const char *name);            /* -1 if absent */
/* a node made by elaboration (behind a current probe), left out of the
 * default output */
int circuit_internal_node(Circuit *c, const char *name, const SrcLoc *loc);
int circuit_node_internal(const Circuit *c, int node);
int circuit_nnodes(const Circuit *c);                                 /* including ground */
const char *circuit_node_name(const Circuit *c, int node);

Model *circuit_add_model(Circuit *c, const char *name, const char *type_word, const DeviceType *type,
                         const SrcLoc *loc);
Model *circuit_find_model(const Circuit *c, const char *name);

/* New instance of `type` (params set to defaults, nodes/refs zeroed); the
 * caller fills nodes, params, refs, wave, model. Owned by the circuit. */
Instance *circuit_add_instance(Circuit *c, const DeviceType *type, const char *name, const SrcLoc *loc);
/* Group instances by type, resolve references, run device checks.
 * Returns 0, or -1 after reporting errors. */
int circuit_finalize(Circuit *c, Diag *d);
Instance *circuit_find_instance(const Circuit *c, const char *name);
/* Look up a parameter of an instance by name: pointer to its value (and
 * marks it given), NULL if the device has no such parameter. */
double *instance_param(Instance *inst, const char *name);

/* Topology checks before a DC solve: nodes without a DC path to ground,
 * loops of voltage-defining elements. Errors name nodes and elements with
 * file:line. Returns 0 or -1. */
int circuit_check_topology(const Circuit *c, Diag *d);

#endif
