/* Netlist syntax tree -> Deck (flat circuit, options, analyses, outputs).
 * Errors are reported to diag with file:line:col; NULL on any error. */
#ifndef MS_ELABORATE_H
#define MS_ELABORATE_H

#include "circuit/deck.h"
#include "netlist/syntax.h"

#include <stdint.h>

/* Values that replace top-level .param definitions in one elaboration
 * (--param on the command line, a .step point). */
typedef struct ParamOverride {
    const char *name;        /* lower-case */
    double value;
    const char *origin;      /* for messages: "--param", ".step" */
    SrcLoc loc;              /* where the override was written (file NULL: command line) */
    const char *sub;         /* NULL: a top-level .param; else the subcircuit (lower-case) whose default
                              * (params:) or .param of this name is replaced (ngspice's alterparam sub) */
} ParamOverride;

/* A value set on the elaborated circuit (LTspice's direct .step forms):
 * a top-level .model's parameter, or an independent source's DC value. */
typedef enum { ELAB_SET_MODEL, ELAB_SET_SOURCE } ElabSetKind;
typedef struct ElabSet {
    ElabSetKind kind;
    const char *target;      /* model or element name, lower-case */
    const char *param;       /* model parameter (ELAB_SET_MODEL) */
    double value;
    SrcLoc loc;              /* the .step line */
} ElabSet;

typedef struct ElabOpts {
    const ParamOverride *ov;
    int nov;
    int quiet;               /* no notes of what was built (.crossbar's size) */
    int step;                /* index of the .step point (0 without .step) */
    const ElabSet *sets;
    int nsets;
    int temp_given;          /* .step temp: the circuit temperature (Celsius) */
    double temp;
    /* seed of the random functions (docs/variability.md); without it
     * .options seed=N, else one chosen from time and pid (rng_default_seed
     * in util/rng.h). Deck.seed_used says which. A caller elaborating
     * several .step points passes one seed to all of them. */
    uint64_t seed;
    int seed_given;
    /* the seed when neither seed_given nor .options seed gives one (a
     * stepped run chooses one for all its points; 0: choose here) */
    uint64_t fallback_seed;
    int fallback_given;
    int dialect;             /* Dialect (util/dialect.h); 0: ngspice */
} ElabOpts;

/* The netlist is only read: several elaborations (threads) may share it.
 * opt may be NULL (no overrides). */
Deck *elaborate(const Netlist *nl, const ElabOpts *opt, Diag *d);

#endif
