/* Evaluation of SPICE source time functions (shared by V and I sources).
 * Semantics and defaults follow ngspice (docs/netlist.md lists them):
 *   PULSE(v1 v2 td tr tf pw per np)  tr, tf default tstep; pw, per default tstop
 *   SIN(vo va freq td theta phase)   freq default 1/tstop; phase in degrees
 *   EXP(v1 v2 td1 tau1 td2 tau2)     tau1, tau2 default tstep; td2 default td1+tstep
 *   PWL(t1 v1 t2 v2 ...) r=.. td=..
 *   SFFM(vo va fc mdi fs phasec phases)  fc, fs default 1/tstop
 * and memspice's neuromorphic protocols (extensions: ngspice has no such
 * functions), built into PWL corners at elaboration by waveform_build:
 *   TRAIN(v0 v1 td tr tf pw per [n] [amps=(a1 a2 ...)] [read=vr [rpw=w] [rtd=d]])
 *     n pulses (or one per amps= value) from v0 to v1 (or a_k), the k-th
 *     starting at td + k per: edge tr, flat pw, edge tf; with read=, a read
 *     pulse of vr (flat rpw, default pw; same edges) before the first pulse
 *     and rtd (default: centred in the gap) after each one.
 *   SPIKE(v0 ap tp an tn [tr] [shape=rect|tri|saw] times=(t1 ...) | rate=f [start=t0] n=N|stop=t)
 *     the asymmetric bipolar STDP spike (Zamarreno-Ramos et al., Front.
 *     Neurosci. 5:26, 2011): ap for tp, then an (signed) for tn; rect:
 *     plateaus with edges tr (default min(tp,tn)/100), tri: triangles,
 *     saw: jump to the peak and linear decay to 0; spikes must not overlap.
 * Keywords go inside or after the parentheses; lists are in parentheses,
 * blank- or comma-separated. docs/netlist.md has the exact corners. */
#ifndef MS_DEVICES_WAVEFORM_H
#define MS_DEVICES_WAVEFORM_H

#include "circuit/circuit.h"
#include "circuit/waveform.h"
#include "engine/mna.h"

/* most pulses or spikes one TRAIN or SPIKE may describe */
#define WAVE_MAX_EVENTS 1e6

/* TRAIN/SPIKE: replace the written values (w->args) and keywords by the
 * PWL corners they describe; 0, or -1 with a message */
int waveform_build(Waveform *w, const WaveKeys *k, char *msg, int msglen);

/* Argument count/ordering problems: 0, or -1 with a message. */
int waveform_check(const Waveform *w, char *msg, int msglen);
const char *waveform_name(WaveKind k);
double waveform_value(const Waveform *w, double t, double tstep, double tstop);
/* first corner of the waveform strictly after t; INFINITY if none */
double waveform_next_bp(const Waveform *w, double t, double tstep, double tstop);

/* Value of source `in` now: its DC value or waveform as SPICE chooses for
 * the analysis, times the source-stepping factor. */
double source_value(const Instance *in, double dc, int dc_given, const LoadCtx *c);
/* next_breakpoint hook shared by V and I sources */
double sources_next_breakpoint(InstGroup *g, double t, const LoadCtx *c);

#endif
