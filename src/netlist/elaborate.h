/* Netlist syntax tree -> Deck (flat circuit, options, analyses, outputs).
 * Errors are reported to diag with file:line:col; NULL on any error. */
#ifndef MS_ELABORATE_H
#define MS_ELABORATE_H

#include "circuit/deck.h"
#include "netlist/syntax.h"

Deck *elaborate(Netlist *nl, Diag *d);

#endif
