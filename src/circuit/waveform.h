/* Time function of an independent source as written on a V or I line:
 *   V1 a b DC 1 AC 1 PULSE(0 1 1n 1n 1n 5n 10n)
 * (the DC and AC values are ordinary instance parameters "dc", "ac",
 * "acphase"). Pure data; evaluation and breakpoints are in
 * src/devices/waveform.c. */
#ifndef MS_WAVEFORM_H
#define MS_WAVEFORM_H

typedef enum { WF_NONE, WF_PULSE, WF_SIN, WF_EXP, WF_PWL, WF_SFFM } WaveKind;

typedef struct Waveform {
    WaveKind kind;
    double *args;        /* positional arguments as given */
    int nargs;
    double pwl_r;        /* PWL r=: repeat from this time point; < 0: no repeat */
    double pwl_td;       /* PWL td=: delay */
} Waveform;

#endif
