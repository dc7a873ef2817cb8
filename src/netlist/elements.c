/* Element lines, read according to the device tables:
 *   <name> <terminals> <references> <values> [model] [key=value ...]
 * and models, created in the circuit on first use. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "devices/waveform.h"
#include "netlist/elab.h"
#include "util/number.h"
#include "util/numtable.h"
#include "util/suggest.h"
#include "util/xmem.h"

/* the node `name` names in scope s: ground, a port, a global, or the
 * instance's own (prefixed) node; created when loc is given, else -1 if
 * it does not exist */
static int scope_node(Elab *el, Scope *s, const char *name, const SrcLoc *loc)
{
    Circuit *ckt = el->deck->ckt;
    if (strcmp(name, "0") == 0 || strcmp(name, "gnd") == 0) return 0;
    void *v;
    if (strmap_get(&s->ports, name, &v)) return (int)strmap_ptr_to_int(v);
    int local = s->prefix[0] && !strmap_get(&el->globals, name, NULL);
    char *full = local ? xasprintf("%s%s", s->prefix, name) : NULL;
    const char *flat = local ? full : name;
    int node = loc ? circuit_node(ckt, flat, loc) : circuit_find_node(ckt, flat);
    free(full);
    return node;
}

int elab_node(Elab *el, Scope *s, const char *name, const SrcLoc *loc)
{
    return scope_node(el, s, name, loc);
}

int elab_find_node(Elab *el, Scope *s, const char *name)
{
    return scope_node(el, s, name, NULL);
}

char *elab_flat_name(const Scope *s, const char *name)
{
    if (!s->prefix[0]) return xstrdup(name);
    return xasprintf("%c.%s%s", name[0], s->prefix, name);
}

static const char *model_type_word(const Card *c)
{
    return c->items[2]->text;   /* WORD, or CALL name for "type(params)" */
}

/* level=N among the model's assignments (selects the device type) */
static int model_level(Elab *el, ModelDef *md, const Item *const *items, int n, double *level)
{
    *level = 0;
    for (int k = 0; k < n; k++)
        if (items[k]->kind == ITEM_ASSIGN && items[k]->key->kind == ITEM_WORD &&
            strcmp(items[k]->key->text, "level") == 0)
        {
            if (scope_eval_item(el, md->scope, md->card, items[k]->value, 0, level)) return -1;
            if (*level != floor(*level)) {   /* also NaN; ngspice truncates, memspice does not guess */
                elab_error(el, md->scope, &items[k]->value->loc, "level must be a whole number, got %g", *level);
                return -1;
            }
            return 0;
        }
    return 0;
}

static int model_params(Elab *el, ModelDef *md, Model *m, const char *for_inst);

/* the parameter items of a .model line: after the type word, or inside
 * its parentheses (.model m d(is=1e-14)) */
static const Item *const *model_items(const Card *c, int *n)
{
    if (c->items[2]->kind == ITEM_CALL) {
        *n = c->items[2]->nargs;
        return (const Item *const *)c->items[2]->args;
    }
    *n = c->nitems - 3;
    return (const Item *const *)c->items + 3;
}

static Model *make_model(Elab *el, ModelDef *md)
{
    const Card *c = md->card;
    int n;
    const Item *const *items = model_items(c, &n);
    double level;
    if (model_level(el, md, items, n, &level)) return NULL;
    const char *tw = model_type_word(c);
    /* no device has a level this large; the range check keeps the conversion defined */
    const DeviceType *type = device_find_model(tw, fabs(level) <= 1e6 ? (int)level : -1);
    if (!type) {
        if (device_find_model(tw, 0)) {
            char levels[96] = "";
            size_t len = 0;
            for (int i = 0; i < device_count() && len + 8 < sizeof levels; i++) {
                const DeviceType *t = device_at(i);
                for (const char *const *m = t->model_types; m && *m; m++)
                    if (strcmp(*m, tw) == 0)
                        len += (size_t)snprintf(levels + len, sizeof levels - len, "%s%d", len ? ", " : "",
                                                t->level ? t->level : 1);
            }
            elab_error(el, md->scope, &c->items[2]->loc, "model type '%s' has no level %g (levels: %s)", tw, level,
                       levels);
        }
        else
            elab_error(el, md->scope, &c->items[2]->loc, "unknown model type '%s' (see memspice --list-devices)",
                       tw);
        return NULL;
    }
    char *full = xasprintf("%s%s", md->scope->prefix, md->name);
    Model *m = circuit_add_model(el->deck->ckt, full, tw, type, &c->loc);
    long draws = el->rnd_draws;
    ElabRnd prev = elab_rnd_enter(el, RND_MODEL, full, NULL);
    int rc = model_params(el, md, m, NULL);
    elab_rnd_leave(el, prev);
    free(full);
    md->random = el->rnd_draws != draws;
    md->made = m;
    return rc ? NULL : m;
}

/* The file `value` names (a word or a quoted string, its case kept: items
 * are lower-cased), relative to the directory of the netlist file it is
 * written in; malloc'd, NULL when the item is not a file name. */
char *elab_item_path(const Card *c, const Item *value)
{
    const char *raw = c->text + value->start;
    int len = value->end - value->start;
    int quoted = len >= 2 && (raw[0] == '\'' || raw[0] == '"');
    if (value->kind != ITEM_WORD && value->kind != ITEM_STRING && !(value->kind == ITEM_EXPR && quoted)) return NULL;
    if (quoted && raw[len - 1] == raw[0]) raw++, len -= 2;
    char *name = xasprintf("%.*s", len, raw);
    const char *file = value->loc.file;
    const char *slash = file ? strrchr(file, '/') : NULL;
    char *path = name[0] == '/' || !slash ? xstrdup(name) : xasprintf("%.*s/%s", (int)(slash - file), file, name);
    free(name);
    return path;
}

/* A table file named by `value` (a word or a quoted string, its case
 * kept), relative to the directory of the netlist file it is written in:
 * two columns x, y, at least min_rows rows, x strictly increasing
 * (increasing = 1) or never decreasing (0). 0; -1 with the reason in err
 * (path and line); -2 when `value` is not a file name (err says so). */
int elab_read_xy_table(const Card *c, const Item *value, NumTable *t, int min_rows, int increasing, char *err,
                       size_t nerr)
{
    *t = (NumTable){0};
    char *path = elab_item_path(c, value);
    if (!path) {
        snprintf(err, nerr, "expected a file name");
        return -2;
    }
    int rc = numtable_read(path, t, err, nerr);
    if (!rc && t->cols != 2) {
        snprintf(err, nerr, "%s: %d columns; expected two (x, y)", path, t->cols);
        rc = -1;
    }
    if (!rc && t->rows < min_rows) {
        snprintf(err, nerr, "%s: %d row%s; at least %d are needed", path, t->rows, t->rows == 1 ? "" : "s", min_rows);
        rc = -1;
    }
    for (int r = 1; !rc && r < t->rows; r++) {
        double x0 = numtable_at(t, r - 1, 0), x1 = numtable_at(t, r, 0);
        if (increasing ? !(x1 > x0) : !(x1 >= x0)) {
            snprintf(err, nerr, "%s: x must %s from row to row (row %d: %g after %g)", path,
                     increasing ? "increase" : "not decrease", r + 1, x1, x0);
            rc = -1;
        }
    }
    free(path);
    if (rc) numtable_free(t);
    return rc;
}

/* A PF_TABLE parameter: a table of x, f(x), x strictly increasing */
static int model_table(Elab *el, ModelDef *md, Model *m, int idx, const Item *value)
{
    const char *pname = m->type->model_params[idx].name;
    NumTable *t = xcalloc(1, sizeof *t);
    char err[512];
    int rc = elab_read_xy_table(md->card, value, t, 2, 1, err, sizeof err);
    if (rc) {
        if (rc == -2)
            elab_error(el, md->scope, &value->loc, "model %s: %s= takes a file name", md->name, pname);
        else
            elab_error(el, md->scope, &value->loc, "model %s: %s: %s", md->name, pname, err);
        free(t);
        return -1;
    }
    if (!m->tab) m->tab = xcalloc((size_t)m->type->n_model_params, sizeof *m->tab);
    if (m->tab[idx]) numtable_free(m->tab[idx]), free(m->tab[idx]);
    m->tab[idx] = t;
    m->p[idx] = t->rows;
    m->given[idx] = 1;
    return 0;
}

/* the parameters of m from the .model line (level excepted), validated;
 * for_inst: the instance a per-instance copy is drawn for (messages) */
static int model_params(Elab *el, ModelDef *md, Model *m, const char *for_inst)
{
    const Card *c = md->card;
    int n;
    const Item *const *items = model_items(c, &n);
    const DeviceType *type = m->type;
    int rc = 0;
    for (int k = 0; k < n; k++) {
        const Item *it = items[k];
        if (it->kind != ITEM_ASSIGN || it->key->kind != ITEM_WORD) {
            elab_error(el, md->scope, &it->loc, "model %s: expected name=value", md->name);
            rc = -1;
            continue;
        }
        if (strcmp(it->key->text, "level") == 0) continue;
        int idx = param_index(type->model_params, type->n_model_params, it->key->text);
        if (idx < 0) {
            const char *hint = param_suggest(type->model_params, type->n_model_params, it->key->text);
            elab_error(el, md->scope, &it->key->loc, "unknown parameter '%s' for %s models%s%s%s", it->key->text,
                       type->name, hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            rc = -1;
            continue;
        }
        if (type->model_params[idx].flags & PF_TABLE) {
            if (model_table(el, md, m, idx, it->value)) rc = -1;
            continue;
        }
        el->rnd.param = it->key->text;
        el->rnd.seq = 0;
        if (scope_eval_item(el, md->scope, c, it->value, 0, &m->p[idx])) rc = -1;
        m->given[idx] = 1;
    }
    char msg[256];
    if (!rc && param_validate(type->model_params, type->n_model_params, m->p, m->given, msg, sizeof msg)) {
        if (for_inst)
            elab_error(el, md->scope, &c->loc, "model %s (parameters drawn for %s): %s", md->name, for_inst, msg);
        else
            elab_error(el, md->scope, &c->loc, "model %s: %s", md->name, msg);
        rc = -1;
    }
    return rc;
}

Model *elab_model_for_instance(Elab *el, Scope *s, const char *name, Model *m, const char *flat)
{
    ModelDef *md = SCOPE_FIND(s, models, name);
    if (!md || !md->random || md->made != m) return m;
    /* same name as the model (messages); the circuit's name map keeps the shared one */
    Model *copy = circuit_add_model(el->deck->ckt, m->name, m->type_word, m->type, &m->loc);
    strmap_put(&el->deck->ckt->model_map, m->name, m);
    ElabRnd prev = elab_rnd_enter(el, RND_INST_MODEL, flat, NULL);
    int rc = model_params(el, md, copy, flat);
    elab_rnd_leave(el, prev);
    return rc ? NULL : copy;
}

Model *elab_model(Elab *el, Scope *s, const char *name, const SrcLoc *loc)
{
    ModelDef *md = SCOPE_FIND(s, models, name);
    if (!md) {
        elab_error(el, s, loc, "unknown model '%s'", name);
        return NULL;
    }
    return md->made ? md->made : make_model(el, md);
}

static const DeviceType *syntax_type(char letter)
{
    for (int i = 0; i < device_count(); i++)
        if (device_at(i)->letter == (letter & ~0x20)) return device_at(i);
    return NULL;
}

static void known_letters(char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < device_count() && len + 3 < n; i++) {
        char l = device_at(i)->letter;
        if (!strchr(buf, l)) {
            buf[len++] = l;
            buf[len++] = ' ';
            buf[len] = '\0';
        }
    }
    if (len + 2 < n) strcat(buf, "X");
}

static int is_number_word(const Item *it)
{
    return it->kind == ITEM_WORD && spice_number(it->text, NULL);
}

/* a bare word naming a PF_FLAG parameter ("off"): its index, else -1 */
static int flag_param(const DeviceType *t, const Item *it)
{
    if (it->kind != ITEM_WORD) return -1;
    int idx = param_index(t->inst_params, t->n_inst_params, it->text);
    return idx >= 0 && (t->inst_params[idx].flags & PF_FLAG) ? idx : -1;
}

/* the key=expression of a behavioural element, if this type has one */
static int expr_key_index(const DeviceType *t, const char *key)
{
    for (int k = 0; t->expr_keys && t->expr_keys[k]; k++)
        if (strcmp(t->expr_keys[k], key) == 0) return k;
    return -1;
}

/* The type for an element line: a behavioural type when the line has one
 * of its key=expression items (for expr_if_varying types: one that reads
 * the circuit, or such a bare expression after the terminals), else the
 * plain type of the letter. */
static const DeviceType *select_type(Elab *el, Scope *s, const Card *c, int pos, char letter,
                                     const Item **expr_item)
{
    *expr_item = NULL;
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = device_at(i);
        if (t->letter != (letter & ~0x20) || !t->expr_keys) continue;
        for (int k = pos; k < c->nitems; k++) {
            const Item *it = c->items[k];
            int bare = t->expr_if_varying && k == pos + t->nterm && it->kind == ITEM_EXPR;
            if (!bare && (it->kind != ITEM_ASSIGN || it->key->kind != ITEM_WORD || expr_key_index(t, it->key->text) < 0))
                continue;
            if (t->expr_if_varying && !elab_expr_reads_circuit(el, s, c, it)) continue;
            *expr_item = it;
            return t;
        }
    }
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = device_at(i);
        if (t->letter == (letter & ~0x20) && !t->expr_keys) return t;
    }
    return NULL;
}

/* values, model name and key=value after nodes and references */
static int element_values(Elab *el, Scope *s, const Card *c, int pos, Instance *in, const Item *expr_item)
{
    const DeviceType *t = in->type;
    int npos = 0, rc = 0;
    for (int k = pos; k < c->nitems; k++) {
        const Item *it = c->items[k];
        int fl = flag_param(t, it);
        if (it == expr_item) {
            /* the expression: everything up to the next parameter assignment */
            while (k + 1 < c->nitems && c->items[k + 1]->kind != ITEM_ASSIGN) k++;
            continue;
        }
        if (fl >= 0) {
            in->p[fl] = 1;
            in->given[fl] = 1;
        } else if (it->kind == ITEM_ASSIGN) {
            const char *key = it->key->kind == ITEM_WORD ? it->key->text : NULL;
            int idx = key ? param_index(t->inst_params, t->n_inst_params, key) : -1;
            if (idx < 0) {
                const char *hint = key ? param_suggest(t->inst_params, t->n_inst_params, key) : NULL;
                elab_error(el, s, &it->loc, "unknown parameter '%s' for %s %s%s%s%s", key ? key : "?", t->name,
                           c->items[0]->text, hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
                rc = -1;
                continue;
            }
            el->rnd.param = t->inst_params[idx].name;
            el->rnd.seq = 0;
            if (scope_eval_item(el, s, c, it->value, 0, &in->p[idx])) rc = -1;
            in->given[idx] = 1;
        } else if (it->kind == ITEM_WORD && !is_number_word(it) && t->model_use != MODEL_NONE) {
            continue;   /* the model name, handled by the caller */
        } else {
            const char *pname = t->positional ? t->positional[npos] : NULL;
            if (!pname) {
                elab_error(el, s, &it->loc, "%s: unexpected '%s' (too many values)", c->items[0]->text,
                           it->text ? it->text : item_kind_name(it->kind));
                rc = -1;
                continue;
            }
            int idx = param_index(t->inst_params, t->n_inst_params, pname);
            el->rnd.param = t->inst_params[idx].name;
            el->rnd.seq = 0;
            if (scope_eval_item(el, s, c, it, 0, &in->p[idx])) rc = -1;
            in->given[idx] = 1;
            npos++;
        }
    }
    return rc;
}

static const Item *find_model_word(const DeviceType *t, const Card *c, int pos)
{
    for (int k = pos; k < c->nitems; k++)
        if (c->items[k]->kind == ITEM_WORD && !is_number_word(c->items[k]) && flag_param(t, c->items[k]) < 0)
            return c->items[k];
    return NULL;
}

/* the Xyce-style Y device whose element word is `word` ("ymemristor") */
static const DeviceType *element_word_type(const char *word)
{
    for (int i = 0; i < device_count(); i++)
        if (device_at(i)->element_word && strcmp(device_at(i)->element_word, word) == 0) return device_at(i);
    return NULL;
}

static void element_words(char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < device_count(); i++) {
        const char *w = device_at(i)->element_word;
        if (!w || strstr(buf, w)) continue;
        len += (size_t)snprintf(buf + len, n > len ? n - len : 0, "%s%s", len ? ", " : "", w);
        if (len >= n) break;
    }
}

static int elab_y_element(Elab *el, Scope *s, const Card *c);
static int elab_lettered_element(Elab *el, Scope *s, const Card *c, const char *name, int pos,
                                 const DeviceType *yt);

int elab_element(Elab *el, Scope *s, const Card *c)
{
    const char *name = c->items[0]->text;
    if (name[0] == 'x') return elab_instance(el, s, c);
    if (name[0] == 'y') return elab_y_element(el, s, c);
    char l = (char)(name[0] & ~0x20);
    if ((l == 'E' || l == 'F' || l == 'G' || l == 'H') && c->nitems > 3 && c->items[3]->kind == ITEM_CALL &&
        !strcmp(c->items[3]->text, "poly"))
        return elab_poly(el, s, c, name, 1);
    if (l == 'E' || l == 'G')
        for (int kw = 3; kw <= 5 && kw < c->nitems; kw += 2)
            if ((c->items[kw]->kind == ITEM_WORD || c->items[kw]->kind == ITEM_CALL) && !strcmp(c->items[kw]->text, "table"))
                return elab_table(el, s, c, name, 1, kw);
    return elab_lettered_element(el, s, c, name, 1, NULL);
}

/* YMEMRISTOR <name> n+ n- <model> ...: the element word selects the device
 * family, the second word names the instance ("ymemristor!<name>") */
static int elab_y_element(Elab *el, Scope *s, const Card *c)
{
    const char *word = c->items[0]->text;
    const DeviceType *yt = element_word_type(word);
    if (!yt) {
        char words[128];
        element_words(words, sizeof words);
        elab_error(el, s, &c->items[0]->loc, "unknown Y device '%s' (Y devices are written as <type> <name> "
                   "<nodes> ..., with <type> one of: %s)", word, words[0] ? words : "none");
        return -1;
    }
    if (c->nitems < 2 || c->items[1]->kind != ITEM_WORD) {
        char syntax[160];
        device_syntax(yt, syntax, sizeof syntax);
        elab_error(el, s, c->nitems < 2 ? &c->loc : &c->items[1]->loc, "%s: expected an instance name after '%s' "
                   "(syntax: %s)", word, word, syntax);
        return -1;
    }
    char *full = xasprintf("%s!%s%s", word, s->prefix, c->items[1]->text);
    int rc = elab_lettered_element(el, s, c, full, 2, yt);
    free(full);
    return rc;
}

/* <name> <terminals> ... from item `pos` on; `flat` is the instance's name
 * when the caller made it (Y devices), `yt` the type they selected */

/* the most optional terminals any device type sharing syn's element word
 * (all levels of a family) takes: the words before the model name are
 * read before the model picks the level */
static int max_opt_terms(const DeviceType *syn)
{
    int n = syn->nterm_opt;
    for (int i = 0; i < device_count(); i++) {
        const DeviceType *t = device_at(i);
        if (t->letter == syn->letter && t->element_word && syn->element_word &&
            strcmp(t->element_word, syn->element_word) == 0 && t->nterm_opt > n)
            n = t->nterm_opt;
    }
    return n;
}

static int elab_lettered_element(Elab *el, Scope *s, const Card *c, const char *name, int pos,
                                 const DeviceType *yt)
{
    const Item *expr_item = NULL;
    const DeviceType *syn = yt ? yt : select_type(el, s, c, pos, name[0], &expr_item);
    if (!syn && syntax_type(name[0])) {
        /* only behavioural types for this letter: list their keys */
        char keys[160] = "";
        size_t len = 0;
        for (int i = 0; i < device_count() && len + 40 < sizeof keys; i++) {
            const DeviceType *t = device_at(i);
            if (t->letter != (name[0] & ~0x20) || !t->expr_keys) continue;
            for (int k = 0; t->expr_keys[k]; k++) {
                len += (size_t)snprintf(keys + len, sizeof keys - len, "%s", len ? " or " : "");
                for (const char *q = t->expr_keys[k]; *q && len + 2 < sizeof keys; q++) keys[len++] = (char)(*q & ~0x20);
                len += (size_t)snprintf(keys + len, sizeof keys - len, "=<expression>");
            }
        }
        elab_error(el, s, &c->items[0]->loc, "%s: expected %s (e.g. %c1 out 0 %s)", name, keys, name[0] & ~0x20,
                   "V={2*v(in)}");
        return -1;
    }
    if (!syn) {
        char letters[64];
        known_letters(letters, sizeof letters);
        elab_error(el, s, &c->items[0]->loc, "unknown element type '%c' in '%s' (elements start with one of: %s)",
                   name[0], name, letters);
        return -1;
    }
    int need = syn->nterm + syn->nrefs;
    /* the last terminal left out (M1 d g s nmod): the word in its place
     * names a model and no bare word follows */
    int short_terms = 0;
    if (syn->last_term_default && syn->nrefs == 0 && pos + syn->nterm - 1 < c->nitems) {
        const Item *w = c->items[pos + syn->nterm - 1];
        const Item *nx = pos + syn->nterm < c->nitems ? c->items[pos + syn->nterm] : NULL;
        if (w->kind == ITEM_WORD && SCOPE_FIND(s, models, w->text) && !(nx && nx->kind == ITEM_WORD)) {
            short_terms = 1;
            need--;
        }
    }
    for (int k = 0; k < need; k++) {
        if (pos + k >= c->nitems || c->items[pos + k]->kind != ITEM_WORD) {
            const char *what = k < syn->nterm ? "node" : "element name";
            const char *tn = k < syn->nterm && syn->term_names ? syn->term_names[k] : "";
            const Item *it = pos + k < c->nitems ? c->items[pos + k] : NULL;
            char syntax[160], found[96];
            device_syntax(syn, syntax, sizeof syntax);
            if (it)
                snprintf(found, sizeof found, "found %s%s%s%s", item_kind_name(it->kind), it->text ? " '" : "",
                         it->text ? it->text : "", it->text ? "'" : "");
            elab_error(el, s, it ? &it->loc : &c->loc, "%s: expected %s %s, %s (syntax: %s)", name, what, tn,
                       it ? found : "but the line ends here", syntax);
            return -1;
        }
    }
    /* optional terminals (a thermal node): bare words before the model
     * name. With a model required, every bare word but the last one is a
     * terminal ("ythreshold t1 a b th mod"). */
    int nopt = 0, maxopt = max_opt_terms(syn);
    if (maxopt > 0) {
        int words = 0;
        for (int k = pos + need; k < c->nitems && c->items[k]->kind == ITEM_WORD; k++) {
            /* node names may be numbers ("3") unless bare numbers are values */
            if ((syn->positional && is_number_word(c->items[k])) || flag_param(syn, c->items[k]) >= 0) break;
            words++;
        }
        nopt = words - (syn->model_use == MODEL_REQUIRED ? 1 : 0);
        if (nopt < 0) nopt = 0;
        if (nopt > maxopt) {
            const Item *it = c->items[pos + need + maxopt];
            char syntax[160];
            device_syntax(syn, syntax, sizeof syntax);
            elab_error(el, s, &it->loc, "%s: unexpected '%s' (at most %d optional terminal%s before the model name; "
                       "syntax: %s)", name, it->text, maxopt, maxopt > 1 ? "s" : "", syntax);
            return -1;
        }
    }
    const DeviceType *type = syn;
    Model *model = NULL;
    if (syn->model_use != MODEL_NONE) {
        const Item *mw = find_model_word(syn, c, pos + need + nopt);
        if (mw) {
            model = elab_model(el, s, mw->text, &mw->loc);
            if (!model) return -1;
            if (model->type->letter != syn->letter ||
                (syn->element_word && (!model->type->element_word ||
                                       strcmp(model->type->element_word, syn->element_word) != 0))) {
                elab_error(el, s, &mw->loc, "%s: model '%s' is for %s devices", name, mw->text, model->type->name);
                return -1;
            }
            type = model->type;
            if (nopt > type->nterm_opt) {   /* another level of the family has the terminal */
                const Item *it = c->items[pos + need + type->nterm_opt];
                elab_error(el, s, &it->loc, "%s: unexpected '%s' (model '%s', %s level %d, has %s optional terminal%s)",
                           name, it->text, mw->text, type->name, type->level,
                           type->nterm_opt ? "only one" : "no", type->nterm_opt ? "" : "s");
                return -1;
            }
        } else if (!(type = device_find(name[0], NULL, 0))) {
            elab_error(el, s, &c->loc, "%s: a model name is required", name);
            return -1;
        }
    }
    char *flat = yt ? xstrdup(name) : elab_flat_name(s, name);
    if (model) {
        const Item *mw = find_model_word(syn, c, pos + need + nopt);
        if (!(model = elab_model_for_instance(el, s, mw->text, model, flat))) {
            free(flat);
            return -1;
        }
    }
    Instance *in = circuit_add_instance(el->deck->ckt, type, flat, &c->loc);
    free(flat);
    in->model = model;
    for (int k = 0; k < syn->nterm - short_terms; k++)
        in->nodes[k] = elab_node(el, s, c->items[pos + k]->text, &c->items[pos + k]->loc);
    if (short_terms) in->nodes[syn->nterm - 1] = in->nodes[syn->last_term_default - 1];
    for (int k = 0; k < syn->nrefs; k++) in->ref_names[k] = elab_flat_name(s, c->items[pos + syn->nterm + k]->text);
    pos += need;
    for (int k = 0; k < nopt; k++)
        in->nodes[syn->nterm + k] = elab_node(el, s, c->items[pos + k]->text, &c->items[pos + k]->loc);
    in->nnodes = syn->nterm + nopt;
    pos += nopt;
    /* random functions on this line are drawn for this instance */
    ElabRnd prev = elab_rnd_enter(el, RND_INST, in->name, "");
    int rc;
    if (type->waveform) rc = elab_source_spec(el, s, c, pos, in);
    else if (expr_item && elab_inst_expr(el, s, c, expr_item, in)) rc = -1;
    else rc = element_values(el, s, c, pos, in, expr_item);
    elab_rnd_leave(el, prev);
    return rc;
}
