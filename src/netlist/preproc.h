/* Preprocessor: files -> logical lines (private to src/netlist).
 *
 * Drops comments, joins '+' continuation lines, expands .include and .lib,
 * skips .control blocks and stops at .end (rules: docs/netlist-syntax-basics.md).
 * Each logical line becomes a Card with text, segments and location filled
 * in and no items yet; syntax.c parses them afterwards. */
#ifndef MS_PREPROC_H
#define MS_PREPROC_H

#include "netlist/source.h"
#include "netlist/syntax.h"
#include "util/diag.h"

/* Fill nl->title, nl->title_loc, nl->cards/ncards (allocated in nl->arena)
 * from the top-level file `top`. top_in_cwd: relative .include/.lib paths
 * of the top file resolve against the current directory (text given in
 * memory) instead of the directory of top->path. Returns the number of
 * errors reported (0: success; warnings do not count). */
int preproc_run(Netlist *nl, SourceSet *src, SourceFile *top, int top_in_cwd, Diag *diag);

/* Length of the part of s before an inline comment (';' anywhere; '$' and
 * '//' at the start or after a blank), ignoring comment characters inside
 * "...", '...' and {...}. Exposed for the unit tests. */
size_t preproc_content_len(const char *s);

/* Card parser (grammar/lexer.l + grammar/parser.y): fills Card.items.
 * preproc_run parses each card as it is made, so messages come out in
 * input order. card_parser_parse returns the number of errors reported. */
typedef struct CardParser CardParser;
CardParser *card_parser_new(Netlist *nl, Diag *diag);
int card_parser_parse(CardParser *cp, Card *c);
void card_parser_free(CardParser *cp);

#endif
