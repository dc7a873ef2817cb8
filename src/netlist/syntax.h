/* Netlist syntax tree: what grammar/lexer.l + grammar/parser.y produce.
 *
 * The preprocessor (preproc.c) turns files into logical lines: it drops
 * comments, joins '+' continuation lines, expands .include and .lib, skips
 * .control blocks and stops at .end. Each logical line is then lexed and
 * parsed into a Card: a flat list of Items. Meaning (which item is a node, a
 * value, a model) is given later by elaborate.c, driven by device tables;
 * the grammar only knows the shapes every SPICE line is made of:
 *
 *   word       r1  0  1k  -2.5e-3  params:  .tran  x1.n3  pulse
 *   string     "file.lib"                     (quotes removed, case kept)
 *   expr       {a*2}  'a*2'                   (braces/quotes removed)
 *   call       pulse(0 1 1n)  v(a,b)  d (is=1e-14)   (word, optional blanks, '(')
 *   group      (0 1 2)                        (parentheses after no word)
 *   assign     key=value   v(a)=1   r = {x}   (key: word or call)
 *
 * Words, expressions and call names are lower-cased (SPICE is
 * case-insensitive); strings keep their case. Card.text keeps the original
 * case of the logical line. */
#ifndef MS_SYNTAX_H
#define MS_SYNTAX_H

#include "netlist/source.h"
#include "util/arena.h"
#include "util/diag.h"

typedef enum { ITEM_WORD, ITEM_STRING, ITEM_EXPR, ITEM_CALL, ITEM_GROUP, ITEM_ASSIGN } ItemKind;

typedef struct Item Item;
struct Item {
    ItemKind kind;
    SrcLoc loc;          /* first character of the item */
    int start, end;      /* byte range [start, end) in Card.text */
    char *text;          /* WORD, STRING, EXPR: the text; CALL: the name; else NULL */
    Item **args;         /* CALL, GROUP: items inside the parentheses, commas dropped */
    int nargs;
    Item *key, *value;   /* ASSIGN */
};

typedef struct LineSeg {  /* Card.text[offset..] came from file line `line`, column `col` */
    int offset;
    int line;
    int col;
    const char *linetext;
} LineSeg;

typedef struct Card {
    SrcLoc loc;          /* first character of the card */
    char *text;          /* logical line, original case, comments removed */
    Item **items;        /* items[0]: element name or dot command, an ITEM_WORD */
    int nitems;
    const char *file;
    LineSeg *seg;        /* at least one segment; more when '+' lines were joined */
    int nseg;
} Card;

/* a line of a .control block (ngspice's control language), kept as
 * written: comments and $ are the interpreter's business (src/control) */
typedef struct CtlLine {
    const char *text;    /* '+' continuation lines joined */
    SrcLoc loc;
} CtlLine;

typedef struct Netlist {
    Arena arena;         /* owns cards, items and their strings */
    CtlLine *ctl;        /* every .control block's lines, in order */
    int nctl;
    SrcLoc backanno;     /* an LTspice .backanno line (dropped), file NULL if none: a dialect hint */
    char *title;         /* first line of the top-level file, original case */
    SrcLoc title_loc;
    Card **cards;
    int ncards;
} Netlist;

/* Read and parse a netlist file. On any error: messages in diag (file:line:col,
 * quoted line), returns NULL. Warnings (e.g. ignored .control block) do not
 * fail. Files are loaded into `src`, which must outlive the result. */
Netlist *netlist_read(const char *path, SourceSet *src, Diag *diag);
/* Same, from text in memory named `name`; relative .include paths are
 * resolved against the current directory. */
Netlist *netlist_read_string(const char *text, const char *name, SourceSet *src, Diag *diag);
/* Same for len bytes (standard input: NUL bytes are reported, not cut). */
Netlist *netlist_read_bytes(const char *text, size_t len, const char *name, SourceSet *src, Diag *diag);
void netlist_free(Netlist *nl);
/* 1 if w names one of Xyce's .options packages (timeint, nonlin, ...) */
int netlist_xyce_option_package(const char *w);

/* Location of byte `offset` of c->text (maps through continuation lines). */
SrcLoc card_loc_at(const Card *c, int offset);
/* Copy of c->text[start, end), trimmed of surrounding blanks (the caller
 * frees it: elaboration never writes into the netlist, so several can read
 * one netlist at once). */
char *card_slice(const Card *c, int start, int end);
const char *item_kind_name(ItemKind k);

#endif
