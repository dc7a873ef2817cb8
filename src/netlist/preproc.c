/* Preprocessor (see preproc.h): physical lines -> logical lines -> Cards.
 *
 * A Reader walks one file and yields logical lines (comments dropped, '+'
 * lines joined, every byte still mapped to file:line:col by LineSeg). The
 * directive layer on top expands .include/.lib recursively, keeps .control
 * blocks' lines for the control interpreter and stops at .end. Errors are reported and processing continues,
 * so one run lists every problem (up to Diag.max_errors). */
#include "netlist/preproc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/xmem.h"

enum { MAX_DEPTH = 64 };  /* nesting of .include/.lib; a loop is caught earlier */

typedef struct Frame {      /* one file (or library section) being read */
    SourceFile *f;
    const char *section;    /* library section, lower case; NULL: whole file */
    int in_cwd;             /* relative paths resolve against the cwd */
    int has_id;             /* dev/ino valid (file on disk) */
    dev_t dev;
    ino_t ino;
} Frame;

typedef struct Pre {
    Netlist *nl;
    SourceSet *src;
    Diag *diag;
    CardParser *parser;
    int errors0;            /* diag->nerrors when we started */
    VEC(Card *) cards;
    VEC(CtlLine) ctl;
    Frame stack[MAX_DEPTH];
    int depth;
    int ended;              /* .end seen in the top file, or too many errors */
} Pre;

typedef struct Logical {    /* one logical line being assembled */
    VEC(char) text;
    VEC(LineSeg) seg;
} Logical;

typedef struct Reader {
    Pre *p;
    SourceFile *f;
    int next;               /* index of the next physical line */
    int quiet;              /* no messages (scanning a library for a section) */
    int after_title;        /* top file: line 1 was the title */
} Reader;

typedef struct QuoteState {  /* inside "...", '...' or {...} (comments are not) */
    char in;                 /* '"', '\'' or 0 */
    int depth;               /* brace depth */
} QuoteState;

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static size_t content_len_q(const char *s, QuoteState *q)
{
    size_t i;
    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (q->in) {
            if (c == q->in) q->in = 0;
            continue;
        }
        if (q->depth) {
            q->depth += (c == '{') - (c == '}');
            continue;
        }
        if (c == '"' || c == '\'') q->in = c;
        else if (c == '{') q->depth = 1;
        else if (c == ';') return i;
        else if (c == '$' && (i == 0 || is_blank(s[i - 1]))) return i;
        else if (c == '/' && s[i + 1] == '/' && (i == 0 || is_blank(s[i - 1]))) return i;
    }
    return i;
}

size_t preproc_content_len(const char *s)
{
    QuoteState q = {0, 0};
    return content_len_q(s, &q);
}

/* Content of physical line `line` from byte `from`: blanks and an inline
 * comment stripped. Returns its start; *len its length (0: nothing). */
static size_t line_content(const char *line, size_t from, QuoteState *q, size_t *len)
{
    while (is_blank(line[from])) from++;
    size_t n = content_len_q(line + from, q);
    while (n > 0 && is_blank(line[from + n - 1])) n--;
    *len = n;
    return from;
}

static void append_segment(Logical *lg, const char *line, int idx, size_t start, size_t len)
{
    if (len == 0) return;
    if (lg->text.n > 0) VEC_PUSH(lg->text, ' ');
    LineSeg s = {lg->text.n, idx + 1, (int)start + 1, line};
    VEC_PUSH(lg->seg, s);
    VEC_RESERVE(lg->text, lg->text.n + (int)len + 1);
    for (size_t i = 0; i < len; i++) {
        char c = line[start + i];
        lg->text.v[lg->text.n++] = c == '\t' ? ' ' : c;   /* tabs are blanks */
    }
}

static SrcLoc loc_in(const SourceFile *f, int idx, size_t col0)
{
    SrcLoc l = {f->path, idx + 1, (int)col0 + 1, f->lines[idx]};
    return l;
}

/* Next logical line of r into lg (NUL-terminated text). 0 at end of file. */
static int reader_next(Reader *r, Logical *lg)
{
    QuoteState q = {0, 0};
    lg->text.n = lg->seg.n = 0;
    int have = 0;
    for (; r->next < r->f->nlines; r->next++) {
        const char *line = r->f->lines[r->next];
        if (r->next + 1 == r->f->nul_line && !r->f->nul_reported) {
            r->f->nul_reported = 1;
            SrcLoc l = {r->f->path, r->f->nul_line, r->f->nul_col, line};
            diag_error(r->p->diag, &l, "NUL byte in the netlist (a binary file?)");
        }
        size_t b = 0, start, len;
        while (is_blank(line[b])) b++;
        if (line[b] == '\0' || line[b] == '*') continue;
        if (line[b] == '+') {
            if (have) {
                start = line_content(line, b + 1, &q, &len);
                append_segment(lg, line, r->next, start, len);
            } else if (!r->quiet) {
                SrcLoc l = loc_in(r->f, r->next, b);
                /* only possible before the file's first line: '+' lines after
                 * one are always joined by the loop above */
                diag_error(r->p->diag, &l, "continuation line '+' has no line to continue%s",
                           r->after_title ? " (the first line of a netlist is its title)" : "");
            }
            continue;
        }
        QuoteState fresh = {0, 0};
        start = line_content(line, b, &fresh, &len);
        if (len == 0) continue;        /* the whole line is a ';' '$' '//' comment */
        if (have) break;
        q = fresh;
        append_segment(lg, line, r->next, start, len);
        have = 1;
    }
    if (have) {
        VEC_PUSH(lg->text, '\0');
        lg->text.n--;
    }
    return have;
}

static SrcLoc logical_loc(const Reader *r, const Logical *lg)
{
    SrcLoc l = {r->f->path, lg->seg.v[0].line, lg->seg.v[0].col, lg->seg.v[0].linetext};
    return l;
}

/* Lower-cased first word of a logical line into buf (empty if longer than
 * buf); returns the rest of the line. */
static const char *first_word(const char *text, char *buf, size_t n)
{
    size_t i = 0;
    while (text[i] && !is_blank(text[i]) && text[i] != '"' && text[i] != '\'') i++;
    if (i < n) {
        for (size_t k = 0; k < i; k++) buf[k] = (char)tolower((unsigned char)text[k]);
        buf[i] = '\0';
    } else {
        buf[0] = '\0';
    }
    return text + i;
}

typedef struct Args {       /* arguments of .include/.lib: blank separated, quotes removed */
    char *buf;
    char *v[3];
    int n;                  /* may exceed 3 (counted, not stored) */
    int bad_quote;
} Args;

static void split_args(const char *rest, Args *a)
{
    memset(a, 0, sizeof *a);
    a->buf = xstrdup(rest);
    char *p = a->buf;
    for (;;) {
        while (is_blank(*p)) p++;
        if (!*p) break;
        char *tok = p;
        if (*p == '"' || *p == '\'') {
            char qc = *p++;
            tok = p;
            while (*p && *p != qc) p++;
            if (!*p) a->bad_quote = 1;
        } else {
            while (*p && !is_blank(*p)) p++;
        }
        int more = *p != '\0';
        *p = '\0';
        if (a->n < 3) a->v[a->n] = tok;
        a->n++;
        if (!more) break;
        p++;
    }
}

/* PSpice's table sources, E/G<name> ... TABLE {expr} = (x, y) ...: the
 * '=' after TABLE or after its {expression} is not name=value; it becomes
 * a blank so that the line parses (netlist/poly.c reads the rest) */
static void table_equals(char *t)
{
    if (!strchr("eEgG", t[0])) return;
    for (char *q = t; *q; q++) {
        if (strncasecmp(q, "table", 5) || !is_blank(q[-1]) || !(is_blank(q[5]) || q[5] == '{' || q[5] == '='))
            continue;
        q += 5;
        while (is_blank(*q)) q++;
        if (*q == '=') *q++ = ' ';
        while (is_blank(*q)) q++;
        if (*q == '{') {
            int depth = 0;
            for (; *q; q++) {
                if (*q == '{') depth++;
                else if (*q == '}' && --depth == 0) break;
            }
            if (!*q) return;
            q++;
            while (is_blank(*q)) q++;
            if (*q == '=') *q = ' ';
        }
        return;
    }
}

static void emit_card(Pre *p, const Reader *r, const Logical *lg)
{
    Arena *A = &p->nl->arena;
    Card *c = arena_alloc(A, sizeof *c);
    c->text = arena_strndup(A, lg->text.v, (size_t)lg->text.n);
    c->file = r->f->path;
    c->nseg = lg->seg.n;
    c->seg = arena_alloc(A, (size_t)lg->seg.n * sizeof *c->seg);
    memcpy(c->seg, lg->seg.v, (size_t)lg->seg.n * sizeof *c->seg);
    c->loc = card_loc_at(c, 0);
    table_equals(c->text);
    if (card_parser_parse(p->parser, c) != 0) return;
    /* other simulators' names for the same command (docs/dialects.md) */
    const char *w = c->nitems ? c->items[0]->text : "";
    if (!strcmp(w, ".backanno")) {   /* LTspice: the GUI's current annotation; nothing to simulate */
        if (!p->nl->backanno.file) p->nl->backanno = c->loc;
        return;
    }
    if (!strcmp(w, ".params")) c->items[0]->text = arena_strdup(A, ".param");   /* PSpice, LTspice */
    VEC_PUSH(p->cards, c);
}

static int too_many_errors(Pre *p)
{
    return p->diag->nerrors > p->diag->max_errors;
}

/* .control ... .endc: ngspice's control language, interpreted by
 * src/control after elaboration. Its lines are kept as written (a '$' is
 * a variable there, not a comment); '+' lines continue the previous one,
 * lines starting with '*' are comments. */
static void collect_control(Pre *p, Reader *r, Logical *lg)
{
    SrcLoc at = logical_loc(r, lg);
    SourceFile *f = r->f;
    while (r->next < f->nlines) {
        int idx = r->next++;
        const char *line = f->lines[idx];
        size_t from = 0;
        while (is_blank(line[from])) from++;
        size_t len = strlen(line + from);
        while (len > 0 && (is_blank(line[from + len - 1]) || line[from + len - 1] == '\r')) len--;
        if (len == 0 || line[from] == '*') continue;
        char w[16];
        first_word(line + from, w, sizeof w);
        if (strcmp(w, ".endc") == 0) return;
        if (line[from] == '+' && p->ctl.n > 0) {
            CtlLine *prev = &p->ctl.v[p->ctl.n - 1];
            const char *more = line + from + 1;
            while (is_blank(*more)) more++;
            char *joined = xasprintf("%s %.*s", prev->text, (int)(len - (size_t)(more - line - from)), more);
            prev->text = arena_strdup(&p->nl->arena, joined);
            free(joined);
            continue;
        }
        char *text = arena_alloc(&p->nl->arena, len + 1);
        memcpy(text, line + from, len);
        text[len] = '\0';
        CtlLine cl = {text, loc_in(f, idx, from)};
        VEC_PUSH(p->ctl, cl);
    }
    diag_error(p->diag, &at, "unterminated .control block: missing .endc");
}

static char *resolve_path(const Frame *fr, const char *name)
{
    const char *slash = strrchr(fr->f->path, '/');
    if (name[0] == '/' || fr->in_cwd || !slash) return xstrdup(name);
    return xasprintf("%.*s/%s", (int)(slash - fr->f->path), fr->f->path, name);
}

static int same_frame(const Frame *a, const Frame *b)
{
    int same_file = a->f == b->f || (a->has_id && b->has_id && a->dev == b->dev && a->ino == b->ino);
    if (!same_file) return 0;
    if (!a->section || !b->section) return !a->section && !b->section;
    return strcmp(a->section, b->section) == 0;
}

static char *frame_name(const Frame *fr)
{
    return fr->section ? xasprintf("%s[%s]", fr->f->path, fr->section) : xstrdup(fr->f->path);
}

/* Push a file/section; reports an include loop (naming the chain) or too
 * deep nesting at `at`. 0 if it was not pushed. */
static int push_frame(Pre *p, SourceFile *f, const char *section, const SrcLoc *at)
{
    Frame fr = {f, section, 0, 0, 0, 0};
    struct stat st;
    if (stat(f->path, &st) == 0) {
        fr.has_id = 1;
        fr.dev = st.st_dev;
        fr.ino = st.st_ino;
    }
    for (int i = 0; i < p->depth; i++) {
        if (!same_frame(&p->stack[i], &fr)) continue;
        char *chain = xstrdup("");
        for (int k = i; k <= p->depth; k++) {
            char *name = frame_name(k < p->depth ? &p->stack[k] : &fr);
            char *c2 = xasprintf("%s%s%s", chain, k > i ? " -> " : "", name);
            free(chain);
            free(name);
            chain = c2;
        }
        diag_error(p->diag, at, "include loop: %s", chain);
        free(chain);
        return 0;
    }
    if (p->depth == MAX_DEPTH) {
        diag_error(p->diag, at, "files nested deeper than %d levels of .include/.lib", MAX_DEPTH);
        return 0;
    }
    p->stack[p->depth++] = fr;
    return 1;
}

/* Load a file named by a directive; reports a missing/unreadable file. */
static SourceFile *load_for(Pre *p, const char *what, const char *name, const SrcLoc *at)
{
    char *path = resolve_path(&p->stack[p->depth - 1], name);
    errno = 0;
    SourceFile *f = sourceset_load(p->src, path);
    if (!f) {
        const char *why = p->src->why ? p->src->why : errno ? strerror(errno) : "cannot read file";
        if (strcmp(path, name) != 0)
            diag_error(p->diag, at, "%s: cannot open '%s' (resolved to '%s'): %s", what, name, path, why);
        else
            diag_error(p->diag, at, "%s: cannot open '%s': %s", what, path, why);
    }
    free(path);
    return f;
}

enum Mode { MODE_TOP, MODE_INCLUDE, MODE_SECTION };
enum Status { ST_EOF, ST_ENDL, ST_STOP };

static int process(Pre *p, Reader *r, enum Mode mode);

static void do_include(Pre *p, const SrcLoc *at, const Args *a, const char *what)
{
    if (a->n != 1 || a->bad_quote) {
        diag_error(p->diag, at, a->bad_quote ? ".include: unterminated quote in the file name"
                                : ".include expects one file name: .include <file>");
        return;
    }
    SourceFile *f = load_for(p, what, a->v[0], at);
    if (!f || !push_frame(p, f, NULL, at)) return;
    Reader r = {p, f, 0, 0, 0};
    process(p, &r, MODE_INCLUDE);
    p->depth--;
}

/* Scan a library for `.lib <section>` (outside other sections' text, any
 * 1-argument .lib starts a section). Leaves r after that line, *at on it.
 * Not found: reports at `call`, listing the sections that exist. */
static int find_section(Pre *p, Reader *r, const char *section, const SrcLoc *call, SrcLoc *at)
{
    Logical lg = {{0}, {0}};
    VEC(char *) names = {0};
    char w[16];
    int found = 0;
    while (!found && reader_next(r, &lg)) {
        Args a;
        split_args(first_word(lg.text.v, w, sizeof w), &a);
        if (strcmp(w, ".lib") == 0 && a.n == 1) {
            if (str_ieq(a.v[0], section)) {
                found = 1;
                *at = logical_loc(r, &lg);
            }
            VEC_PUSH(names, xstrdup(a.v[0]));
        }
        free(a.buf);
    }
    if (!found) {
        char *list = xstrdup("");
        for (int i = 0; i < names.n; i++) {
            char *l2 = xasprintf("%s%s%s", list, i ? ", " : "", names.v[i]);
            free(list);
            list = l2;
        }
        if (names.n)
            diag_error(p->diag, call, ".lib: section '%s' not found in '%s'; its sections are: %s",
                       section, r->f->path, list);
        else
            diag_error(p->diag, call, ".lib: section '%s' not found: '%s' defines no sections "
                       "(.lib <name> ... .endl)", section, r->f->path);
        free(list);
    }
    for (int i = 0; i < names.n; i++) free(names.v[i]);
    VEC_FREE(names);
    VEC_FREE(lg.text);
    VEC_FREE(lg.seg);
    return found;
}

static void do_lib_call(Pre *p, const SrcLoc *at, const char *file, const char *section)
{
    SourceFile *f = load_for(p, ".lib", file, at);
    if (!f) return;
    char *sec = str_lower_dup(section);
    const char *sec_kept = arena_strdup(&p->nl->arena, sec);
    free(sec);
    if (!push_frame(p, f, sec_kept, at)) return;
    Reader r = {p, f, 0, 1, 0};
    SrcLoc def;
    if (find_section(p, &r, sec_kept, at, &def)) {
        r.quiet = 0;
        if (process(p, &r, MODE_SECTION) == ST_EOF) {
            diag_error(p->diag, &def, "unterminated library section '%s': missing .endl", sec_kept);
            diag_note(p->diag, at, "section requested here");
        }
    }
    p->depth--;
}

/* the physical line of r's file where a section started before it ends:
 * the index of its .endl, or -1 (another one-argument .lib or the end of
 * the file comes first) */
static int section_end(const Reader *r)
{
    char w[16];
    for (int i = r->next; i < r->f->nlines; i++) {
        const char *rest = first_word(r->f->lines[i] + strspn(r->f->lines[i], " \t"), w, sizeof w);
        if (strcmp(w, ".endl") == 0) return i;
        if (strcmp(w, ".lib") == 0) {
            Args a;
            split_args(rest, &a);
            int one = a.n == 1;
            free(a.buf);
            if (one) return -1;
        }
    }
    return -1;
}

static void do_lib(Pre *p, Reader *r, const SrcLoc *at, const Args *a, enum Mode mode)
{
    if (a->n == 2 && !a->bad_quote) {
        do_lib_call(p, at, a->v[0], a->v[1]);
    } else if (a->n == 1 && mode == MODE_SECTION) {
        diag_error(p->diag, at, "'.lib %s' starts a section inside section '%s': missing .endl",
                   a->v[0], p->stack[p->depth - 1].section);
    } else if (a->n == 1 && !a->bad_quote) {
        /* A section defined in the netlist itself (Xyce): its text is read
         * only where a '.lib <this file> <name>' asks for it. Without an
         * .endl it is LTspice's '.lib file': an include. */
        int end = section_end(r);
        if (end >= 0) {
            r->next = end + 1;
            return;
        }
        do_include(p, at, a, ".lib (one argument: an include, as LTspice)");
    } else {
        diag_error(p->diag, at, a->bad_quote ? ".lib: unterminated quote in the file name"
                   : ".lib expects a file and a section name: .lib <file> <section>");
    }
}

/* Dispatch one logical line. Returns ST_ENDL/ST_STOP to end the file. */
static int directive(Pre *p, Reader *r, Logical *lg, enum Mode mode)
{
    char w[16];
    const char *rest = first_word(lg->text.v, w, sizeof w);
    SrcLoc at = logical_loc(r, lg);
    if (strcmp(w, ".control") == 0) {
        collect_control(p, r, lg);
    } else if (strcmp(w, ".endc") == 0) {
        diag_error(p->diag, &at, "'.endc' without a '.control' before it");
    } else if (strcmp(w, ".end") == 0) {
        /* model files often end with .end; in an included file it is
         * ignored (as ngspice does), only the top file's .end ends input */
        if (mode == MODE_TOP) {
            p->ended = 1;
            return ST_STOP;
        }
    } else if (strcmp(w, ".endl") == 0) {
        if (mode == MODE_SECTION) return ST_ENDL;
        diag_error(p->diag, &at, "'.endl' without a library section ('.lib <name>') before it");
    } else if (strcmp(w, ".include") == 0 || strcmp(w, ".inc") == 0) {
        Args a;
        split_args(rest, &a);
        do_include(p, &at, &a, ".include");
        free(a.buf);
    } else if (strcmp(w, ".lib") == 0) {
        Args a;
        split_args(rest, &a);
        do_lib(p, r, &at, &a, mode);
        free(a.buf);
    } else {
        emit_card(p, r, lg);
    }
    return p->ended ? ST_STOP : ST_EOF;
}

static int process(Pre *p, Reader *r, enum Mode mode)
{
    Logical lg = {{0}, {0}};
    int st = ST_EOF;
    while (st == ST_EOF && !p->ended && reader_next(r, &lg)) {
        st = directive(p, r, &lg, mode);
        if (too_many_errors(p)) p->ended = 1;
    }
    VEC_FREE(lg.text);
    VEC_FREE(lg.seg);
    if (p->ended) return ST_STOP;
    return st;
}

int preproc_run(Netlist *nl, SourceSet *src, SourceFile *top, int top_in_cwd, Diag *diag)
{
    Pre p;
    memset(&p, 0, sizeof p);
    p.nl = nl;
    p.src = src;
    p.diag = diag;
    p.errors0 = diag->nerrors;
    p.parser = card_parser_new(nl, diag);
    const char *title = top->nlines ? top->lines[0] : "";
    nl->title = arena_strdup(&nl->arena, title);
    nl->title_loc = (SrcLoc){top->path, 1, 1, top->nlines ? top->lines[0] : NULL};
    push_frame(&p, top, NULL, NULL);
    p.stack[0].in_cwd = top_in_cwd;
    if (top_in_cwd) p.stack[0].has_id = 0;  /* in-memory text: not the disk file of that name */
    Reader r = {&p, top, 1, 0, 1};
    process(&p, &r, MODE_TOP);
    nl->ncards = p.cards.n;
    nl->cards = arena_alloc(&nl->arena, (size_t)p.cards.n * sizeof *nl->cards);
    if (p.cards.n) memcpy(nl->cards, p.cards.v, (size_t)p.cards.n * sizeof *nl->cards);
    VEC_FREE(p.cards);
    nl->nctl = p.ctl.n;
    nl->ctl = arena_alloc(&nl->arena, (size_t)(p.ctl.n ? p.ctl.n : 1) * sizeof *nl->ctl);
    if (p.ctl.n) memcpy(nl->ctl, p.ctl.v, (size_t)p.ctl.n * sizeof *nl->ctl);
    VEC_FREE(p.ctl);
    card_parser_free(p.parser);
    return diag->nerrors - p.errors0;
}
