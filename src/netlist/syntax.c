/* Netlist front end entry points (see syntax.h): preprocess (preproc.c),
 * then lex and parse each logical line (grammar/lexer.l, grammar/parser.y). */
#include "netlist/syntax.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlist/preproc.h"
#include "util/xmem.h"

static Netlist *read_top(SourceFile *top, int in_cwd, SourceSet *src, Diag *diag)
{
    Netlist *nl = xcalloc(1, sizeof *nl);
    if (preproc_run(nl, src, top, in_cwd, diag) != 0) {
        netlist_free(nl);
        return NULL;
    }
    return nl;
}

Netlist *netlist_read(const char *path, SourceSet *src, Diag *diag)
{
    errno = 0;
    SourceFile *top = sourceset_load(src, path);
    if (!top) {
        diag_error(diag, NULL, "cannot open netlist '%s': %s", path,
                   src->why ? src->why : errno ? strerror(errno) : "cannot read file");
        return NULL;
    }
    return read_top(top, 0, src, diag);
}

Netlist *netlist_read_string(const char *text, const char *name, SourceSet *src, Diag *diag)
{
    return read_top(sourceset_add_text(src, name, text), 1, src, diag);
}

Netlist *netlist_read_bytes(const char *text, size_t len, const char *name, SourceSet *src, Diag *diag)
{
    return read_top(sourceset_add_bytes(src, name, text, len), 1, src, diag);
}

void netlist_free(Netlist *nl)
{
    if (!nl) return;
    arena_free(&nl->arena);
    free(nl);
}

SrcLoc card_loc_at(const Card *c, int offset)
{
    if (offset < 0) offset = 0;
    /* last segment starting at or before offset (binary search: a long
     * PWL table can be thousands of '+' lines) */
    int lo = 0, hi = c->nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (c->seg[mid].offset <= offset) lo = mid; else hi = mid - 1;
    }
    const LineSeg *s = &c->seg[lo];
    SrcLoc l = {c->file, s->line, s->col + (offset - s->offset), s->linetext};
    return l;
}

char *card_slice(const Card *c, int start, int end)
{
    int len = (int)strlen(c->text);
    if (start < 0) start = 0;
    if (end > len) end = len;
    while (start < end && (c->text[start] == ' ' || c->text[start] == '\t')) start++;
    while (end > start && (c->text[end - 1] == ' ' || c->text[end - 1] == '\t')) end--;
    if (end < start) end = start;
    return xstrndup(c->text + start, (size_t)(end - start));
}

const char *item_kind_name(ItemKind k)
{
    switch (k) {
    case ITEM_WORD: return "word";
    case ITEM_STRING: return "string";
    case ITEM_EXPR: return "expression";
    case ITEM_CALL: return "call";
    case ITEM_GROUP: return "group";
    case ITEM_ASSIGN: return "assignment";
    }
    return "item";
}

int netlist_xyce_option_package(const char *w)
{
    static const char *const pk[] = {"timeint", "nonlin", "nonlin-tran", "device", "output", "linsol", "restart",
                                     "hbint"};
    for (size_t k = 0; w && k < sizeof pk / sizeof pk[0]; k++)
        if (!strcmp(w, pk[k])) return 1;
    return 0;
}
