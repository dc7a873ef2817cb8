/* Time function of an independent source as written on a V or I line:
 *   V1 a b DC 1 AC 1 PULSE(0 1 1n 1n 1n 5n 10n)
 *   V2 p 0 TRAIN(0 1 10u 1u 1u 5u 20u amps=(0.5 1 -1) read=0.1 rpw=2u)
 *   V3 q 0 SPIKE(0 1 2u -0.5 8u shape=saw times=(5u 30u))
 * (the DC and AC values are ordinary instance parameters "dc", "ac",
 * "acphase"). Pure data; evaluation and breakpoints are in
 * src/devices/waveform.c. */
#ifndef MS_WAVEFORM_H
#define MS_WAVEFORM_H

typedef enum { WF_NONE, WF_PULSE, WF_SIN, WF_EXP, WF_PWL, WF_SFFM, WF_TRAIN, WF_SPIKE } WaveKind;

typedef struct Waveform {
    WaveKind kind;
    double *args;        /* positional arguments as given */
    int nargs;
    double pwl_r;        /* PWL r=: repeat from this time point; < 0: no repeat */
    double pwl_td;       /* PWL td=: delay */
} Waveform;

/* TRAIN and SPIKE (memspice's neuromorphic protocols, docs/netlist.md) are
 * piecewise linear: elaboration writes them as the PWL corners they mean
 * (waveform_build in src/devices/waveform.h), from the positional values in
 * Waveform.args and these keyword values. */
typedef enum { SPIKE_RECT, SPIKE_TRI, SPIKE_SAW } SpikeShape;
typedef struct WaveKeys {
    double *list;        /* TRAIN amps=( ... ), SPIKE times=( ... ) */
    int nlist, list_given;
    double read, rpw, rtd;   /* TRAIN read pulses */
    int read_given, rpw_given, rtd_given;
    SpikeShape shape;
    int shape_given;
    double tr;           /* SPIKE edge time */
    int tr_given;
    double rate, start, stop, n;   /* SPIKE at a rate */
    int rate_given, start_given, stop_given, n_given;
} WaveKeys;

#endif
