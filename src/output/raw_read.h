/* Reader for ngspice raw files (binary and ascii, real data, several plots):
 * used by tests, bench/rawcmp and anyone post-processing in C. Reads files
 * written by memspice and by ngspice. */
#ifndef MS_RAW_READ_H
#define MS_RAW_READ_H

#include "output/sink.h"
#include "util/diag.h"

typedef struct RawFile {
    MemPlot *plots;
    int nplots;
} RawFile;

RawFile *raw_read(const char *path, Diag *d);    /* NULL on error (diag says why) */
void raw_free(RawFile *r);

#endif
