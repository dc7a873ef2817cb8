/* Source text storage: every file read (netlist, includes, libraries) lives
 * here, split into physical lines, until the SourceSet is freed. SrcLoc
 * values point into it, so it is created first and freed last. */
#ifndef MS_SOURCE_H
#define MS_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

#include "util/arena.h"

typedef struct SourceFile {
    char *path;        /* path as opened (relative paths resolved against the including file) */
    char *data;        /* whole file, lines NUL-terminated in place (\r removed) */
    char **lines;      /* lines[i] is physical line i+1 */
    int nlines;
    int nul_line, nul_col;   /* first NUL byte in the file (1-based), 0 if none */
    int nul_reported;
    int has_id;              /* read from the file system: dev/ino identify it */
    dev_t dev;
    ino_t ino;
} SourceFile;

/* Inputs are bounded: all files of a set together may hold at most this
 * many bytes (docs/netlist.md, "Limits"). */
#define SOURCE_MAX_BYTES ((size_t)1 << 30)

typedef struct SourceSet {
    SourceFile **files;
    int nfiles, cap;
    Arena arena;       /* strings that must live as long as the set */
    size_t bytes;      /* bytes read so far (all files) */
    size_t max_bytes;  /* limit on `bytes`; 0: SOURCE_MAX_BYTES */
    const char *why;   /* after a failed load: why, when errno does not say it (static text) */
} SourceSet;

void sourceset_init(SourceSet *s);
void sourceset_free(SourceSet *s);
/* Read a file (or return the already loaded one with the same path).
 * NULL if it cannot be read: errno set, or s->why set for a file that is
 * not a regular file (a device such as /dev/zero, a pipe, a directory) or
 * that would take the set past its size limit. */
SourceFile *sourceset_load(SourceSet *s, const char *path);
/* The file of the set that `path` names (the same device and inode, under
 * whatever name), or NULL. Outputs use it to never overwrite an input. */
const SourceFile *sourceset_find_file(const SourceSet *s, const char *path);
/* Add in-memory text as a file named `name` (tests, stdin). */
SourceFile *sourceset_add_text(SourceSet *s, const char *name, const char *text);
/* Same for `len` bytes that may contain NUL bytes (reported as errors).
 * In-memory text is not counted against the size limit (the caller has
 * it already; stdin is bounded by its reader). */
SourceFile *sourceset_add_bytes(SourceSet *s, const char *name, const char *text, size_t len);

#endif
