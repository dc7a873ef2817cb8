/* Netlist card grammar: one logical line (a Card) -> a flat list of Items.
 *
 *   card  := item*
 *   item  := atom | atom '=' atom          (key: word or call)
 *   atom  := WORD | STRING | EXPR | FUNC args ')' | '(' args ')'
 *   args  := (item | ',')*
 *
 * Meaning is given later (elaborate.c); this grammar only knows shapes (see
 * src/netlist/syntax.h). Syntax errors get hand-written messages from
 * yyreport_syntax_error: bison's "unexpected X, expecting Y" would talk
 * about token names the user never wrote. */

%define api.pure full
%define api.prefix {nlyy}
%define api.location.type {NlSpan}
%define parse.error custom
%locations
%parse-param {ParseCtx *ctx}
%lex-param {ParseCtx *ctx}

%code requires {
#include "netlist/syntax.h"

typedef struct NlSpan { int start, end; } NlSpan;   /* byte range in Card.text */

typedef struct ItemNode { Item *item; struct ItemNode *next; } ItemNode;
typedef struct ItemList { ItemNode *head, *tail; int n; } ItemList;

/* Everything the lexer and parser share for one card. */
typedef struct ParseCtx {
    Arena *arena;           /* the Netlist's: owns every item */
    Card *card;
    Diag *diag;
    void *scanner;
    int pos;                /* lexer: offset of the next byte in card->text */
    int brace_start, brace_depth;
    int *parens, nparens, capparens;  /* offsets of the '(' not yet closed */
    int tok, prev_tok;      /* last two tokens returned (for error messages) */
    NlSpan tok_loc, prev_loc;
    int lex_failed;         /* the lexer already reported this card's error */
    int nerrors;            /* errors reported for this card */
    ItemList items;
} ParseCtx;

Item *nl_new_item(ParseCtx *ctx, ItemKind kind, int start, int end);
void nl_parse_error(ParseCtx *ctx, int offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
}

%code provides {
/* The flex scanner (grammar/lexer.l; its YY_DECL). */
int nl_lex_token(NLYYSTYPE *lval, NlSpan *lloc, void *scanner);
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                     \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else {                                                      \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;           \
        }                                                             \
    } while (0)

static int nlyylex(NLYYSTYPE *lval, NlSpan *lloc, ParseCtx *ctx)
{
    int t = nl_lex_token(lval, lloc, ctx->scanner);
    ctx->prev_tok = ctx->tok;
    ctx->prev_loc = ctx->tok_loc;
    ctx->tok = t;
    ctx->tok_loc = *lloc;
    return t;
}

static void nlyyerror(NlSpan *loc, ParseCtx *ctx, const char *msg)
{
    /* with parse.error custom, only "memory exhausted" comes here: the
     * parser stack overflows on absurdly deep nesting */
    nl_parse_error(ctx, loc->start, "%s: parentheses nested too deeply", msg);
}

static void list_add(ParseCtx *ctx, ItemList *l, Item *it)
{
    ItemNode *n = arena_alloc(ctx->arena, sizeof *n);
    n->item = it;
    if (l->tail) l->tail->next = n; else l->head = n;
    l->tail = n;
    l->n++;
}

static void set_args(ParseCtx *ctx, Item *it, const ItemList *l)
{
    it->nargs = l->n;
    it->args = arena_alloc(ctx->arena, (size_t)l->n * sizeof *it->args);
    int i = 0;
    for (ItemNode *n = l->head; n; n = n->next) it->args[i++] = n->item;
}

static Item *make_assign(ParseCtx *ctx, Item *key, Item *value)
{
    if (key->kind != ITEM_WORD && key->kind != ITEM_CALL)
        nl_parse_error(ctx, key->start, "'=' after %s %s: the name in name=value must be a word "
                       "or a call such as v(a)", key->kind == ITEM_EXPR ? "an" : "a",
                       item_kind_name(key->kind));
    Item *a = nl_new_item(ctx, ITEM_ASSIGN, key->start, value->end);
    a->key = key;
    a->value = value;
    return a;
}
}

%union {
    Item *item;
    ItemList list;
}

%token <item> WORD STRING EXPR FUNC
%token LEXERR "invalid text"
%type <item> item atom
%type <list> items args

%%

card
    : items                     { ctx->items = $1; }
    ;

items
    : %empty                    { memset(&$$, 0, sizeof $$); }
    | items item                { $$ = $1; list_add(ctx, &$$, $2); }
    ;

item
    : atom
    | atom '=' atom             { $$ = make_assign(ctx, $1, $3); }
    ;

atom
    : WORD
    | STRING
    | EXPR
    | FUNC args ')'             { $$ = $1; set_args(ctx, $$, &$2); $$->end = @3.end; }
    | '(' args ')'              { $$ = nl_new_item(ctx, ITEM_GROUP, @1.start, @3.end);
                                  set_args(ctx, $$, &$2); }
    ;

args
    : %empty                    { memset(&$$, 0, sizeof $$); }
    | args item                 { $$ = $1; list_add(ctx, &$$, $2); }
    | args ','                  { $$ = $1; }
    ;

%%

Item *nl_new_item(ParseCtx *ctx, ItemKind kind, int start, int end)
{
    Item *it = arena_alloc(ctx->arena, sizeof *it);
    it->kind = kind;
    it->start = start;
    it->end = end;
    it->loc = card_loc_at(ctx->card, start);
    return it;
}

void nl_parse_error(ParseCtx *ctx, int offset, const char *fmt, ...)
{
    SrcLoc loc = card_loc_at(ctx->card, offset);
    va_list ap;
    va_start(ap, fmt);
    diag_message(ctx->diag, DIAG_ERROR, &loc, fmt, ap);
    va_end(ap);
    ctx->nerrors++;
}

/* The parser stops at the first syntax error of a card; which token it
 * stopped at, and the one before, say what the user got wrong. */
static int yyreport_syntax_error(const yypcontext_t *yyctx, ParseCtx *ctx)
{
    (void)yyctx;
    int t = ctx->tok, p = ctx->prev_tok;
    if (ctx->lex_failed) return 0;
    if (p == '=')
        nl_parse_error(ctx, ctx->prev_loc.start, "missing value after '='");
    else if (t == '=' && (p == WORD || p == STRING || p == EXPR || p == ')'))
        nl_parse_error(ctx, ctx->tok_loc.start, "unexpected '=': name=value cannot be chained (a=b=c)");
    else if (t == '=')
        nl_parse_error(ctx, ctx->tok_loc.start, "'=' without a name before it");
    else if (t == ')')
        nl_parse_error(ctx, ctx->tok_loc.start, "unexpected ')'");
    else if (t == ',')
        nl_parse_error(ctx, ctx->tok_loc.start, "unexpected ',': commas separate arguments "
                       "only inside parentheses");
    else if (t == 0 && ctx->nparens > 0)
        nl_parse_error(ctx, ctx->parens[ctx->nparens - 1], "unbalanced parenthesis: missing ')' for this '('");
    else
        nl_parse_error(ctx, ctx->tok_loc.start, "syntax error");
    return 0;
}
