#include "circuit/circuit.h"

#include "expr/expr.h"
#include "util/numtable.h"

#include <stdlib.h>
#include <string.h>

void inst_expr_free(InstExpr *ie)
{
    if (!ie) return;
    expr_prog_free(ie->prog);
    for (int k = 0; k < ie->naux; k++) expr_prog_free(ie->aux[k].prog);
    free(ie->aux);
    for (int k = 0; k < ie->nsig; k++) free(ie->sig[k].inst);
    free(ie->sig);
    free(ie->text);
    free(ie);
}

Circuit *circuit_new(void)
{
    Circuit *c = xcalloc(1, sizeof *c);
    c->temp = 27.0;
    SrcLoc none = {0};
    VEC_PUSH(c->node_names, xstrdup("0"));
    VEC_PUSH(c->node_loc, none);
    VEC_PUSH(c->node_internal, 0);
    strmap_put(&c->node_map, "0", strmap_int_to_ptr(0));
    /* ngspice also treats "gnd" as the ground node */
    strmap_put(&c->node_map, "gnd", strmap_int_to_ptr(0));
    return c;
}

static void instance_free_fields(Instance *in)
{
    free(in->p);   /* with nodes, given and name (circuit_add_instance) */
    free(in->refs);
    if (in->ref_names)
        for (int i = 0; i < in->type->nrefs; i++) free(in->ref_names[i]);
    free(in->ref_names);
    if (in->wave) {
        free(in->wave->args);
        free(in->wave);
    }
    if (in->expr) {
        inst_expr_free(in->expr);
    }
}

void circuit_free(Circuit *c)
{
    if (!c) return;
    for (int i = 0; i < c->node_names.n; i++) free(c->node_names.v[i]);
    VEC_FREE(c->node_names);
    VEC_FREE(c->node_loc);
    VEC_FREE(c->node_internal);
    strmap_free(&c->node_map);
    for (int i = 0; i < c->models.n; i++) {
        Model *m = c->models.v[i];
        free(m->name);
        free(m->type_word);
        free(m->p);
        free(m->given);
        if (m->tab)
            for (int k = 0; k < m->type->n_model_params; k++)
                if (m->tab[k]) numtable_free(m->tab[k]), free(m->tab[k]);
        free(m->tab);
        free(m);
    }
    VEC_FREE(c->models);
    strmap_free(&c->model_map);
    for (int i = 0; i < c->pending.n; i++) {
        instance_free_fields(c->pending.v[i]);
        free(c->pending.v[i]);
    }
    VEC_FREE(c->pending);
    for (int g = 0; g < c->ngroups; g++) {
        for (int i = 0; i < c->groups[g].n; i++) instance_free_fields(group_inst(&c->groups[g], i));
        free(c->groups[g].data);
        free(c->groups[g].priv);
    }
    free(c->groups);
    strmap_free(&c->inst_map);
    free(c);
}

int circuit_node(Circuit *c, const char *name, const SrcLoc *loc)
{
    void *v;
    if (strmap_get(&c->node_map, name, &v)) return (int)strmap_ptr_to_int(v);
    int idx = c->node_names.n;
    SrcLoc l = loc ? *loc : (SrcLoc){0};
    VEC_PUSH(c->node_names, xstrdup(name));
    VEC_PUSH(c->node_loc, l);
    VEC_PUSH(c->node_internal, 0);
    strmap_put(&c->node_map, name, strmap_int_to_ptr(idx));
    return idx;
}

int circuit_internal_node(Circuit *c, const char *name, const SrcLoc *loc)
{
    int n = circuit_node(c, name, loc);
    c->node_internal.v[n] = 1;
    return n;
}

int circuit_node_internal(const Circuit *c, int node)
{
    return node > 0 && node < c->node_internal.n && c->node_internal.v[node];
}

int circuit_find_node(const Circuit *c, const char *name)
{
    void *v;
    if (strmap_get(&c->node_map, name, &v)) return (int)strmap_ptr_to_int(v);
    return -1;
}

int circuit_nnodes(const Circuit *c)
{
    return c->node_names.n;
}

const char *circuit_node_name(const Circuit *c, int node)
{
    return c->node_names.v[node];
}

Model *circuit_add_model(Circuit *c, const char *name, const char *type_word, const DeviceType *type,
                         const SrcLoc *loc)
{
    Model *m = xcalloc(1, sizeof *m);
    m->name = xstrdup(name);
    m->type_word = xstrdup(type_word);
    m->type = type;
    m->loc = loc ? *loc : (SrcLoc){0};
    int n = type->n_model_params;
    m->p = xcalloc((size_t)(n ? n : 1), sizeof *m->p);
    m->given = xcalloc((size_t)(n ? n : 1), 1);
    param_defaults(type->model_params, n, m->p, m->given);
    VEC_PUSH(c->models, m);
    strmap_put(&c->model_map, name, m);
    return m;
}

Model *circuit_find_model(const Circuit *c, const char *name)
{
    return strmap_find(&c->model_map, name);
}

Instance *circuit_add_instance(Circuit *c, const DeviceType *type, const char *name, const SrcLoc *loc)
{
    Instance *in = xcalloc(1, type->inst_size);
    in->type = type;
    in->loc = loc ? *loc : (SrcLoc){0};
    /* parameter values, nodes, given flags and name in one block (freed
     * through in->p): one allocation per instance instead of four */
    int np = type->n_inst_params, nn = type->nterm + type->nterm_opt;
    size_t len = strlen(name) + 1;
    size_t off_nodes = (size_t)(np ? np : 1) * sizeof *in->p;
    size_t off_given = off_nodes + (size_t)(nn ? nn : 1) * sizeof *in->nodes;
    size_t off_name = off_given + (size_t)(np ? np : 1);
    char *block = xcalloc(1, off_name + len);
    in->p = (double *)block;
    in->nodes = (int *)(block + off_nodes);
    in->given = (unsigned char *)(block + off_given);
    in->name = memcpy(block + off_name, name, len);
    in->nnodes = type->nterm;
    param_defaults(type->inst_params, np, in->p, in->given);
    if (type->nrefs) {
        in->refs = xcalloc((size_t)type->nrefs, sizeof *in->refs);
        in->ref_names = xcalloc((size_t)type->nrefs, sizeof *in->ref_names);
    }
    in->branch = -1;
    VEC_PUSH(c->pending, in);
    return in;
}

double *instance_param(Instance *inst, const char *name)
{
    int k = param_index(inst->type->inst_params, inst->type->n_inst_params, name);
    if (k < 0) return NULL;
    inst->given[k] = 1;
    return &inst->p[k];
}

Instance *circuit_find_instance(const Circuit *c, const char *name)
{
    return strmap_find(&c->inst_map, name);
}

/* Copy pending instances into one contiguous array per type (cache-friendly
 * loads), keeping netlist order within each type. */
static void group_instances(Circuit *c)
{
    int ntypes = device_count();
    int *count = xcalloc((size_t)ntypes, sizeof *count);
    int *gidx = xmalloc((size_t)ntypes * sizeof *gidx);
    for (int i = 0; i < c->pending.n; i++)
        for (int t = 0; t < ntypes; t++)
            if (device_at(t) == c->pending.v[i]->type) count[t]++;
    c->ngroups = 0;
    for (int t = 0; t < ntypes; t++) c->ngroups += count[t] > 0;
    c->groups = xcalloc((size_t)(c->ngroups ? c->ngroups : 1), sizeof *c->groups);
    int g = 0;
    for (int t = 0; t < ntypes; t++) {
        gidx[t] = -1;
        if (!count[t]) continue;
        const DeviceType *ty = device_at(t);
        c->groups[g].type = ty;
        c->groups[g].data = xcalloc((size_t)count[t], ty->inst_size);
        gidx[t] = g++;
    }
    for (int i = 0; i < c->pending.n; i++) {
        Instance *in = c->pending.v[i];
        int t = 0;
        while (device_at(t) != in->type) t++;
        InstGroup *grp = &c->groups[gidx[t]];
        memcpy(group_inst(grp, grp->n), in, in->type->inst_size);
        grp->n++;
        free(in);
    }
    c->pending.n = 0;
    free(count);
    free(gidx);
}

static int resolve_refs(Circuit *c, Instance *in, Diag *d)
{
    int rc = 0;
    for (int k = 0; k < in->type->nrefs; k++) {
        Instance *r = circuit_find_instance(c, in->ref_names[k]);
        int repeated = 0;
        for (int j = 0; j < k; j++) repeated |= strcmp(in->ref_names[j], in->ref_names[k]) == 0;
        if (!r && repeated) {
            rc = -1;
        } else if (!r) {
            diag_error(d, &in->loc, "%s: no element named '%s'", in->name, in->ref_names[k]);
            rc = -1;
        } else if ((r->type->flags & in->type->ref_flags) != in->type->ref_flags) {
            diag_error(d, &in->loc, "%s: '%s' is a %s, which cannot be referenced here", in->name,
                       in->ref_names[k], r->type->name);
            rc = -1;
        }
        in->refs[k] = r;
    }
    return rc;
}

int circuit_finalize(Circuit *c, Diag *d)
{
    group_instances(c);
    int rc = 0;
    for (int g = 0; g < c->ngroups; g++)
        for (int i = 0; i < c->groups[g].n; i++) {
            Instance *in = group_inst(&c->groups[g], i);
            Instance *prev = strmap_put(&c->inst_map, in->name, in);
            if (prev) {
                char where[512];
                diag_error(d, &in->loc, "element '%s' is defined twice (first at %s)", in->name,
                           srcloc_str(&prev->loc, where, sizeof where));
                rc = -1;
            }
        }
    if (rc) return rc;
    for (int g = 0; g < c->ngroups; g++)
        for (int i = 0; i < c->groups[g].n; i++) {
            Instance *in = group_inst(&c->groups[g], i);
            if (resolve_refs(c, in, d)) rc = -1;
        }
    if (rc) return rc;
    for (int g = 0; g < c->ngroups; g++) {
        const DeviceType *ty = c->groups[g].type;
        for (int i = 0; i < c->groups[g].n; i++) {
            Instance *in = group_inst(&c->groups[g], i);
            char msg[256];
            if (param_validate(ty->inst_params, ty->n_inst_params, in->p, in->given, msg, sizeof msg)) {
                char syn[160];
                device_syntax(ty, syn, sizeof syn);
                diag_error(d, &in->loc, "%s: %s (syntax: %s)", in->name, msg, syn);
                rc = -1;
            } else if (ty->check && ty->check(in, c, d)) {
                rc = -1;
            }
        }
    }
    c->finalized = 1;
    return rc;
}
