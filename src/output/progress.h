/* Progress line on stderr while a transient runs: simulated time, percent,
 * steps per second, ETA. Only when enabled (stderr is a terminal and not -q);
 * redrawn at most ~10 times a second; cleared when done. */
#ifndef MS_PROGRESS_H
#define MS_PROGRESS_H

#include <stdio.h>

typedef struct Progress Progress;

Progress *progress_new(FILE *out, int enabled, const char *what);
void progress_update(Progress *p, double t, double tstart, double tstop, long steps);
void progress_done(Progress *p);     /* clears the line and frees */

#endif
