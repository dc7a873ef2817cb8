/* Topology checks run before a DC solve. A node with no DC path to ground,
 * or a loop of voltage-defining elements (V sources, inductors, VCVS/CCVS
 * outputs), makes the DC matrix singular; KLU would only say "singular".
 * Here the user is told which nodes and which elements, with file:line. */
#include <stdlib.h>
#include <string.h>

#include "circuit/circuit.h"

static int uf_find(int *parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(int *parent, int a, int b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a != b) parent[a < b ? b : a] = a < b ? a : b;   /* ground (0) stays a root */
}

#define EACH_INSTANCE(c, in)                                                   \
    for (int g_ = 0; g_ < (c)->ngroups; g_++)                                   \
        for (int i_ = 0; i_ < (c)->groups[g_].n; i_++)                          \
            for (Instance *in = group_inst(&(c)->groups[g_], i_); in; in = NULL)

/* append "name (file:line)" to a growing message, at most `max` entries */
static void list_append(char **msg, int *count, int max, const char *name, const SrcLoc *loc)
{
    if (*count == max) {
        char *m = xasprintf("%s, ...", *msg);
        free(*msg);
        *msg = m;
    } else if (*count < max) {
        char where[512];
        char *m = xasprintf("%s%s%s (%s)", *msg, *count ? ", " : "", name,
                            srcloc_str(loc, where, sizeof where));
        free(*msg);
        *msg = m;
    }
    (*count)++;
}

static int check_floating(const Circuit *c, Diag *d)
{
    int nn = circuit_nnodes(c);
    int *parent = xmalloc((size_t)nn * sizeof *parent);
    for (int i = 0; i < nn; i++) parent[i] = i;
    EACH_INSTANCE(c, in) {
        for (int k = 0; k < in->type->n_dc_paths; k++) {
            TermPair tp = in->type->dc_paths[k];
            if (tp.a >= in->nnodes || tp.b >= in->nnodes) continue;   /* an optional terminal not written */
            uf_union(parent, tp.a == TERM_GND ? 0 : in->nodes[tp.a], tp.b == TERM_GND ? 0 : in->nodes[tp.b]);
        }
    }
    /* An element with a given initial voltage (C ic=) that alone ties a
     * floating group down holds that voltage in static solves, as Xyce
     * does with IC= in its operating point (memristor subcircuits keep
     * their state on such a capacitor). ngspice would stop on a singular
     * matrix here; a circuit that does not need it is left as it is. */
    EACH_INSTANCE(c, in) {
        int ic = in->type->ic_hold - 1;
        if (ic < 0 || !in->given[ic]) continue;
        int ra = uf_find(parent, in->nodes[0]), rb = uf_find(parent, in->nodes[1]);
        if (c->ic_in_op) {   /* Xyce: IC= is part of the operating point */
            in->dc_hold = 1;
            uf_union(parent, in->nodes[0], in->nodes[1]);
            continue;
        }
        if (ra != rb) {
            in->dc_hold = 1;
            uf_union(parent, in->nodes[0], in->nodes[1]);
            diag_warning(d, &in->loc, "%s: node '%s' has no other DC path; its ic=%g holds the voltage in the "
                         "operating point", in->name, circuit_node_name(c, ra != 0 ? in->nodes[0] : in->nodes[1]),
                         in->p[ic]);
        }
    }
    /* the other ic= values do not enter the operating point (as in
     * ngspice: they apply with .tran ... uic): say so, so that a deck
     * written for Xyce (IC= in the operating point) does not silently
     * start elsewhere; at most 5 notes and a count */
    int unused = 0;
    EACH_INSTANCE(c, in) {
        int ic = in->type->ic_hold - 1;
        if (ic < 0 || !in->given[ic] || in->dc_hold) continue;
        if (++unused <= 5)
            diag_note(d, &in->loc, "%s: ic=%g is not used by the operating point (the node has a DC path; ic= "
                      "applies with .tran ... uic, as in ngspice; .ic v(node)= sets an operating point)",
                      in->name, in->p[ic]);
    }
    if (unused > 5) diag_note(d, NULL, "%d more elements' ic= not used by the operating point likewise", unused - 5);
    /* A controlled current that reads its own terminal voltage (B 0 s
     * I=1-v(s)) is a conductance, but one that may vanish at the operating
     * point (a memristor's state equation is flat at zero bias): it counts
     * as a path only after the definite paths and the ic= holds above. */
    EACH_INSTANCE(c, in) {
        if (in->type->dc_conducts && in->type->dc_conducts(in)) uf_union(parent, in->nodes[0], in->nodes[1]);
    }
    int rc = 0;
    char *done = xcalloc((size_t)nn, 1);
    for (int n = 1; n < nn; n++) {
        int root = uf_find(parent, n);
        if (root == 0 || done[root]) continue;
        done[root] = 1;
        char *nodes = xstrdup(""), *elems = xstrdup("");
        int nnod = 0, nel = 0;
        for (int m = 1; m < nn; m++) {
            if (uf_find(parent, m) != root) continue;
            char *s = xasprintf("%s%s'%s'", nodes, nnod ? ", " : "", circuit_node_name(c, m));
            if (nnod < 8) {
                free(nodes);
                nodes = s;
            } else {
                free(s);
            }
            nnod++;
        }
        EACH_INSTANCE(c, in) {
            for (int t = 0; t < in->nnodes; t++)
                if (in->nodes[t] && uf_find(parent, in->nodes[t]) == root) {
                    list_append(&elems, &nel, 6, in->name, &in->loc);
                    break;
                }
        }
        SrcLoc loc = c->node_loc.v[n];
        diag_error(d, loc.file ? &loc : NULL,
                   "%s %s%s %s no DC path to ground (connected only through: %s); add a path to "
                   "ground (e.g. a large resistor) or use .tran ... uic",
                   nnod > 1 ? "nodes" : "node", nodes, nnod > 8 ? ", ..." : "", nnod > 1 ? "have" : "has",
                   nel ? elems : "nothing");
        free(nodes);
        free(elems);
        rc = -1;
    }
    free(done);
    free(parent);
    return rc;
}

typedef struct VEdge {
    int a, b;
    const Instance *in;
} VEdge;

/* Path between a and b through the edges accepted so far (breadth-first);
 * the elements on it are appended to msg. */
static void describe_path(const VEdge *e, int ne, int nn, int a, int b, char **msg, int *count)
{
    int *prev_edge = xmalloc((size_t)nn * sizeof *prev_edge);
    int *queue = xmalloc((size_t)nn * sizeof *queue);
    for (int i = 0; i < nn; i++) prev_edge[i] = -2;
    int qh = 0, qt = 0;
    queue[qt++] = a;
    prev_edge[a] = -1;
    while (qh < qt && prev_edge[b] == -2) {
        int x = queue[qh++];
        for (int k = 0; k < ne; k++) {
            int y = e[k].a == x ? e[k].b : e[k].b == x ? e[k].a : -1;
            if (y < 0 || prev_edge[y] != -2) continue;
            prev_edge[y] = k;
            queue[qt++] = y;
        }
    }
    for (int x = b; x != a && prev_edge[x] >= 0;) {
        const VEdge *ed = &e[prev_edge[x]];
        list_append(msg, count, 10, ed->in->name, &ed->in->loc);
        x = ed->a == x ? ed->b : ed->a;
    }
    free(prev_edge);
    free(queue);
}

static int check_vloops(const Circuit *c, Diag *d)
{
    int nn = circuit_nnodes(c);
    int *parent = xmalloc((size_t)nn * sizeof *parent);
    for (int i = 0; i < nn; i++) parent[i] = i;
    VEC(VEdge) edges = {0};
    int rc = 0;
    EACH_INSTANCE(c, in) {
        for (int k = 0; k < in->type->n_vdef; k++) {
            int a = in->nodes[in->type->vdef[k].a], b = in->nodes[in->type->vdef[k].b];
            if (uf_find(parent, a) == uf_find(parent, b)) {
                char *msg = xstrdup("");
                int count = 0;
                if (a != b) describe_path(edges.v, edges.n, nn, a, b, &msg, &count);
                if (a == b)
                    diag_error(d, &in->loc, "%s connects node '%s' to itself: a voltage-defining "
                               "element cannot be shorted (singular matrix)", in->name, circuit_node_name(c, a));
                else
                    diag_error(d, &in->loc, "%s closes a loop of voltage sources/inductors (singular at DC) "
                               "with: %s", in->name, msg);
                free(msg);
                rc = -1;
                continue;
            }
            uf_union(parent, a, b);
            VEC_PUSH(edges, ((VEdge){a, b, in}));
        }
    }
    VEC_FREE(edges);
    free(parent);
    return rc;
}

int circuit_check_topology(const Circuit *c, Diag *d)
{
    int rc = check_vloops(c, d);
    if (check_floating(c, d)) rc = -1;
    return rc;
}
