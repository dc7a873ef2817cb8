/* SPICE numbers: 1k, 2.5meg, 10kOhm, 1uF, 5ns, 3mil, -1e-3, .5
 * Scale suffixes (case-insensitive): t=1e12 g=1e9 meg=1e6 k=1e3 mil=25.4e-6
 * m=1e-3 u=1e-6 (also the micro sign, UTF-8 or Latin-1) n=1e-9 p=1e-12 f=1e-15 a=1e-18.
 * Letters after the number and its suffix are units and ignored (so 1F is
 * one femto, as in every SPICE). */
#ifndef MS_NUMBER_H
#define MS_NUMBER_H

#include <stddef.h>

/* Whole word is a number: returns 1 and *v, else 0. */
int spice_number(const char *s, double *v);
/* Number at the start of s (sign not included): returns the length consumed
 * (digits, exponent, suffix and trailing unit letters), 0 if s does not start
 * with a number. Used by the expression lexer. */
size_t spice_number_prefix(const char *s, double *v);
/* Xyce's reading of a trailing 'a': on, the unit ampere (1A = 1); off
 * (default), atto (1a = 1e-18) as ngspice and LTspice. Set before reading;
 * process-wide (docs/dialects.md). */
void spice_number_ampere(int on);

#endif
