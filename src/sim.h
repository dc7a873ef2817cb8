/* The library's top level: one call runs a netlist end to end
 * (read -> elaborate -> analyses -> sinks). main.c is only the command
 * line around it; tests call it directly. */
#ifndef MS_SIM_H
#define MS_SIM_H

#include <stdio.h>

#include "output/sink.h"
#include "util/diag.h"

typedef struct SimConfig {
    const char *netlist;      /* path ("-" for standard input) */
    const char *text;         /* or netlist text in memory (netlist is then its name) */
    const char *raw;          /* raw output path, NULL: none */
    int ascii;                /* ascii raw */
    const char *csv;          /* csv output path, NULL: none */
    int quiet;                /* no summary/notes on stderr */
    int progress;             /* progress line on stderr */
    FILE *out;                /* .print tables and .op listing; NULL: none */
    Sink *extra;              /* an extra sink (not owned), e.g. a mem sink in tests */
    int plots_written;        /* out: plots written to the raw/csv files */
} SimConfig;

/* Returns an exit code: 0 ok, 1 netlist/usage error, 2 simulation failure,
 * 3 interrupted (output complete up to the interruption). */
int sim_run(SimConfig *cfg, Diag *d);

/* --list-devices: every device type with its parameters (markdown = 1 for
 * docs tables). */
void devices_describe(FILE *out, int markdown);

#endif
