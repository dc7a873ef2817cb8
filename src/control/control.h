/* The control language: a netlist's .control ... .endc lines (ngspice's
 * "Interactive interpreter", the part batch users write), run after
 * elaboration. docs/control.md lists the commands and what is not
 * supported. */
#ifndef MS_CONTROL_H
#define MS_CONTROL_H

#include "netlist/source.h"
#include "netlist/syntax.h"
#include "sim.h"

/* Run nl's control block on its circuit. Exit code as sim_run: 0, 1 a
 * script or netlist error (including a script that simulates nothing),
 * 2 a simulation failure, 3 interrupted. When the script writes no file
 * itself and cfg->raw (-r) is set, every plot goes there; cfg->extra
 * receives every plot. */
int control_run(SimConfig *cfg, const Netlist *nl, const SourceSet *src, Diag *d);

#endif
