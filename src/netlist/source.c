/* Source text storage (see source.h). Each file is kept whole in one buffer;
 * line ends become NUL so lines[i] can be quoted in diagnostics directly. */
#include "netlist/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static char *read_whole(FILE *fp, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap) break;
        cap *= 2;
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
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t len = 0;
    errno = 0;
    char *buf = read_whole(fp, &len);
    int e = errno;
    fclose(fp);
    if (!buf) {
        errno = e;
        return NULL;
    }
    return add_buffer(s, path, buf, len);
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
