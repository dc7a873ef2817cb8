/* .step: the parameter points of a stepped run (LTspice semantics), read
 * from the top level of a parsed netlist before any elaboration.
 *
 *   .step param NAME start stop incr        linear (lin optional)
 *   .step lin param NAME start stop incr
 *   .step dec param NAME start stop n       n points per decade
 *   .step oct param NAME start stop n       n points per octave
 *   .step param NAME list v1 v2 ...
 *   .step temp ...                          the circuit temperature (Celsius)
 *   .step TYPE MODEL(PARAM) ...             a top-level .model's parameter (LTspice)
 *   .step VNAME ...                         an independent source's DC value (LTspice)
 *
 * Up to three .step lines nest, the first line outermost. Each point gives
 * values for top-level .param definitions (ParamOverride); "temp" sets
 * the temperature as .temp does. */
#ifndef MS_STEP_H
#define MS_STEP_H

#include "netlist/elaborate.h"
#include "netlist/syntax.h"

enum { STEP_MAX_AXES = 3 };
/* most points a stepped run may have (all axes together) */
#define STEP_MAX_POINTS 1000000

typedef enum { STEP_PARAM, STEP_TEMP, STEP_MODEL, STEP_SOURCE } StepKind;

typedef struct StepAxis {
    StepKind kind;
    char *name;              /* as shown and in CSV: "r", "temp", "m(a1)", "v1" */
    char *target;            /* STEP_PARAM: the .param; STEP_MODEL: the model; STEP_SOURCE: the element */
    char *param;             /* STEP_MODEL: the model parameter */
    SrcLoc loc;              /* the .step line */
    double *values;
    int n;
} StepAxis;

typedef struct StepPlan {
    StepAxis ax[STEP_MAX_AXES];
    int nax;
    long npoints;            /* product of the axes' sizes; 0 without .step */
} StepPlan;

/* Read every top-level .step line. 0 on success (plan->npoints may be 0),
 * -1 after reporting errors with file:line. */
int step_plan_read(const Netlist *nl, StepPlan *plan, Diag *d);
void step_plan_free(StepPlan *plan);

/* The values of point k (0 <= k < npoints), axis 0 outermost: vals[a] for
 * axis a. */
void step_point_values(const StepPlan *plan, long k, double *vals);

/* "a=1, b=0.002" for point k (the caller frees it). */
char *step_point_label(const StepPlan *plan, long k);

#endif
