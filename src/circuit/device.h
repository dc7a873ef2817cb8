/* The device interface. A device family is one file in src/devices/ that
 * fills one DeviceType; the registry (src/devices/devices.c) lists them.
 * Nothing else in the program names a device: the netlist layer reads the
 * syntax fields, the topology check reads the connectivity fields, the
 * engine calls setup/reserve/load through the function pointers.
 *
 * Every device is written in one DAE form (see docs/architecture.md):
 *     F(y, t) + d/dt Q(y) = 0
 * load() adds its currents/residuals to F, its charges/fluxes/states to Q
 * and the derivatives dF/dy, dQ/dy to the G and C value arrays through
 * handles obtained in reserve(). It never sees an integration formula. */
#ifndef MS_DEVICE_H
#define MS_DEVICE_H

#include <stddef.h>

#include "circuit/param.h"
#include "util/diag.h"

struct SetupCtx;
struct LoadCtx;
struct Instance;
struct InstGroup;
struct Circuit;

enum {
    DEV_LINEAR = 1 << 0,   /* F and Q are linear in y (Jacobian constant): enables
                            * one-solve steps and factor reuse in linear circuits */
    DEV_BRANCH = 1 << 1,   /* has a branch-current unknown (inst->branch) that
                            * current-controlled sources may reference */
    DEV_INDUCTOR = 1 << 2, /* may be coupled by a mutual inductance */
    DEV_NLCHARGE = 1 << 3, /* Q is nonlinear in y (junction, gate charges): Newton keeps a fresh
                            * Jacobian every iteration (no chord iterations), since charge
                            * conservation rests on a Newton residual driven to ~0 */
    DEV_PARLOAD = 1 << 4,  /* load() of any consecutive range of the group's instances writes only
                            * the rows of those instances' terminals and own unknowns and shares
                            * no scratch data (nor group data indexed by position in the group):
                            * the engine may load two ranges on two threads */
};

enum { MODEL_NONE = 0, MODEL_OPTIONAL, MODEL_REQUIRED };

typedef struct TermPair {
    signed char a, b;      /* terminal indices; TERM_GND: the ground node (a thermal
                            * terminal's path to the ambient) */
} TermPair;
enum { TERM_GND = -1 };

/* A quantity a device computes from the solution that is not an unknown
 * (a memristor's resistance and current): output as "<name>(<instance>)". */
enum { DOUT_NOTYPE = 0, DOUT_VOLTAGE, DOUT_CURRENT, DOUT_MAX = 8 };
typedef struct DevOutput {
    const char *name;            /* "r" */
    int kind;                    /* DOUT_*: the raw-file variable type */
    const char *unit;
    const char *help;
    int on_request;              /* only when named in .save/.print, not in the default output */
} DevOutput;

struct Model;

typedef struct DeviceType {
    const char *name;            /* "resistor" */
    const char *summary;         /* one line for --list-devices */
    char letter;                 /* 'R' */
    const char *const *model_types;  /* .model type words it accepts, NULL-terminated; NULL: none */
    int level;                   /* model level selecting this type (0: default level) */
    unsigned flags;              /* DEV_* */

    /* syntax, read by the netlist layer:
     *   <name> <terminals> <refs> <values...> [model] [key=value...] */
    int nterm;
    /* optional terminals after the nterm required ones (a thermal terminal):
     * written as extra node words before the model name. Instance.nnodes
     * says how many an instance has; term_names covers nterm + nterm_opt */
    int nterm_opt;
    /* 1 + the terminal a missing last terminal copies (LTspice's
     * three-terminal MOSFET "M1 d g s model": the bulk is the source);
     * 0: every terminal must be written */
    int last_term_default;
    const char *const *term_names;   /* nterm names ("n+", "n-") for messages and docs */
    int nrefs;                       /* names of other instances (F, H: a V source; K: two L) */
    unsigned ref_flags;              /* DEV_* flags each referenced instance's type must have */
    const char *const *positional;   /* instance parameters filled by bare values, in order, NULL-terminated */
    int model_use;                   /* MODEL_NONE / MODEL_OPTIONAL / MODEL_REQUIRED */
    int waveform;                    /* takes an independent-source spec (DC, AC, PULSE, ...) */
    /* behavioural: the element line carries key=expression for one of these
     * keys (NULL-terminated); writing such a key selects this type among
     * those with the same letter (E1 a b value={...} is not a linear E) */
    const char *const *expr_keys;
    /* with expr_keys: this type is chosen only when the expression reads
     * the circuit (a node voltage, a current, time, temper); a constant
     * value keeps the plain type (R1 a b r={2*rp} is a linear resistor).
     * A bare {braced} or 'quoted' value after the terminals is such an
     * expression too (R1 a b {1k*(1+v(c))}) */
    int expr_if_varying;
    const ParamDesc *inst_params;
    int n_inst_params;
    const ParamDesc *model_params;
    int n_model_params;

    /* connectivity for the topology check (before a DC solve): */
    const TermPair *dc_paths;    /* terminal pairs conducting at DC (a pair naming an
                                  * optional terminal the instance lacks is skipped) */
    int n_dc_paths;
    /* optional: 1 when this instance conducts between terminals 0 and 1 at
     * DC although its type does not always (a controlled current that
     * depends on the voltage of its own terminals is a conductance) */
    int (*dc_conducts)(const struct Instance *inst);
    const TermPair *vdef;        /* terminal pairs whose voltage the device fixes at DC
                                  * (V sources, inductors, VCVS outputs): loops of these
                                  * are singular */
    int n_vdef;
    /* 1 + index of an instance parameter (ic=) whose given value may fix the
     * voltage between terminals 0 and 1 in static solves when nothing else
     * ties a node down (Xyce's capacitor IC= in the operating point); 0: none */
    int ic_hold;

    size_t inst_size;            /* size of the device's instance struct; it begins
                                  * with an Instance */

    /* behaviour (all except load may be NULL) */
    /* after elaboration (references resolved): cross-parameter checks */
    int (*check)(struct Instance *inst, const struct Circuit *ckt, Diag *d);
    int (*setup)(struct InstGroup *g, struct SetupCtx *ctx);   /* create unknowns */
    void (*reserve)(struct InstGroup *g, struct SetupCtx *ctx); /* matrix handles; called twice */
    void (*load)(struct InstGroup *g, struct LoadCtx *ctx);
    /* after every accepted solution (each time point, each DC point):
     * update device memory that is not an unknown (switch hysteresis) */
    void (*accept)(struct InstGroup *g, const struct LoadCtx *ctx);
    /* .tran ... uic: write initial values into y before the first step:
     * the device's own unknowns (an inductor's ic= current), and node
     * voltages the device fixes relative to a known one (a capacitor's ic=
     * across it, a voltage source's value at t = 0; c: t = 0). Node
     * voltages not known yet are NaN; the analysis calls every type's hook
     * again until no more become known, then sets the rest to 0. */
    void (*init_uic)(struct InstGroup *g, double *y, const struct LoadCtx *c);
    /* small-signal AC: add the group's excitations (AC magnitude and
     * phase of independent sources) to the right-hand side of
     * (G + j w C) x = b, re and im (n+1 entries; rows from reserve) */
    void (*ac_rhs)(struct InstGroup *g, double *re, double *im);
    /* smallest waveform corner strictly after t (INFINITY if none) */
    double (*next_breakpoint)(struct InstGroup *g, double t, const struct LoadCtx *ctx);
    /* derived outputs of each instance, evaluated at a solution y */
    const DevOutput *outputs;
    int n_outputs;
    /* all n_outputs (<= DOUT_MAX) values at once: they share one evaluation */
    void (*output)(const struct Instance *in, const double *y, double *vals);
    /* element word for Xyce-style 'Y' devices ("ymemristor"): the line is
     *   <element_word> <name> <terminals> ...
     * and the instance is named "<element_word>!<name>" */
    const char *element_word;
    /* data for an implementation shared by several types (the memristor
     * framework, src/devices/memristor.h): read only by that code */
    const void *family;
    /* optional (devices with a memory state set by the instance parameter
     * xo): the xo whose read conductance i(vread)/vread is g, for model m at
     * temperature temp (K); 0, or -1 with the reason in err (crossbar
     * weight mapping, docs/crossbar.md) */
    int (*xo_for_conductance)(const struct Model *m, double temp, double g, double vread, double *xo, char *err,
                              size_t nerr);
} DeviceType;

/* Registry (src/devices/devices.c) */
int device_count(void);
const DeviceType *device_at(int i);
/* the type for an element letter (and model type word + level if the element
 * has a model; model_type NULL for model-less use), NULL if none */
const DeviceType *device_find(char letter, const char *model_type, int level);
/* any type accepting this .model type word (for validating .model cards) */
const DeviceType *device_find_model(const char *model_type, int level);
int device_letter_known(char letter);
/* "E<name> n+ n- nc+ nc- gain" for messages */
void device_syntax(const DeviceType *t, char *buf, int n);

#endif
