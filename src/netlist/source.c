/* Source text storage (see source.h). Each file is kept whole in one buffer;
 * line ends become NUL so lines[i] can be quoted in diagnostics directly. */
#include "netlist/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xmem.h"

void sourceset_init(SourceSet *s)
{
    memset(s, 0, sizeof *s);
}

void sourceset_free(SourceSet *s)
{
    for (int i = 0; i < s->nfiles; i++) {
        free(s->files[i]->data);
        free(s->files[i]->lines);
    }
    free(s->files);
    arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

/* Split buf (len bytes, owned by the new file) into NUL-terminated lines.
 * Every \r is dropped: DOS line ends, and a stray \r mid-line would
 * otherwise end up inside a node name where nobody can see it. */
static SourceFile *add_buffer(SourceSet *s, const char *path, char *buf, size_t len)
{
    size_t w = 0, nl = 0, col = 0;
    int nul_line = 0, nul_col = 0;
    for (size_t r = 0; r < len; r++) {
        if (buf[r] == '\r') continue;
        if (buf[r] == '\0' && !nul_line) {   /* would silently cut the line short */
            nul_line = (int)nl + 1;
            nul_col = (int)col + 1;
        }
        col = buf[r] == '\n' ? 0 : col + 1;
        if (buf[r] == '\n') nl++;
        buf[w++] = buf[r];
    }
    len = w;
    buf[len] = '\0';
    SourceFile *f = arena_alloc(&s->arena, sizeof *f);
    f->path = arena_strdup(&s->arena, path);
    f->data = buf;
    f->nul_line = nul_line;
    f->nul_col = nul_col;
    f->lines = xmalloc((nl + 1) * sizeof *f->lines);
    char *p = buf, *end = buf + len;
    while (p < end) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        f->lines[f->nlines++] = p;
        if (!e) break;
        *e = '\0';
        p = e + 1;
    }
    if (s->nfiles == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->files = xrealloc(s->files, (size_t)s->cap * sizeof *s->files);
    }
    s->files[s->nfiles++] = f;
    return f;
}

/* at most `limit` bytes; *over = 1 (and NULL) if the stream holds more */
static char *read_whole(FILE *fp, size_t limit, size_t *len, int *over)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    *over = 0;
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > limit) {
            free(buf);
            *over = 1;
            return NULL;
        }
        if (n < cap) break;
        cap = cap > limit / 2 ? limit + 1 : cap * 2;   /* one byte past the limit tells "more" */
        buf = xrealloc(buf, cap + 1);
    }
    if (ferror(fp)) {
        int e = errno ? errno : EIO;
        free(buf);
        errno = e;
        return NULL;
    }
    *len = n;
    return buf;
}

SourceFile *sourceset_load(SourceSet *s, const char *path)
{
    for (int i = 0; i < s->nfiles; i++)
        if (strcmp(s->files[i]->path, path) == 0) return s->files[i];
    s->why = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    /* a device (/dev/zero, /dev/urandom), pipe or directory would be read
     * without end or fail obscurely: only regular files are inputs */
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);
        fclose(fp);
        errno = dir ? EISDIR : 0;
        if (!dir) s->why = "not a regular file (a device or pipe cannot be a netlist)";
        return NULL;
    }
    size_t max = s->max_bytes ? s->max_bytes : SOURCE_MAX_BYTES;
    size_t room = s->bytes < max ? max - s->bytes : 0;
    size_t len = 0;
    int over;
    errno = 0;
    char *buf = read_whole(fp, room, &len, &over);
    int e = errno;
    fclose(fp);
    if (!buf) {
        errno = over ? 0 : e;
        if (over) s->why = max == SOURCE_MAX_BYTES ? "the input would exceed the limit of 1 GiB for all netlist files together"
                                                   : "the input would exceed the size limit for all netlist files together";
        return NULL;
    }
    s->bytes += len;
    SourceFile *f = add_buffer(s, path, buf, len);
    f->has_id = 1;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    return f;
}

const SourceFile *sourceset_find_file(const SourceSet *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return NULL;
    for (int i = 0; i < s->nfiles; i++)
        if (s->files[i]->has_id && s->files[i]->dev == st.st_dev && s->files[i]->ino == st.st_ino)
            return s->files[i];
    return NULL;
}

SourceFile *sourceset_add_text(SourceSet *s, const char *name, const char *text)
{
    return sourceset_add_bytes(s, name, text, strlen(text));
}

SourceFile *sourceset_add_bytes(SourceSet *s, const char *name, const char *text, size_t len)
{
    char *buf = xmalloc(len + 1);
    memcpy(buf, text, len);
    return add_buffer(s, name, buf, len);
}
