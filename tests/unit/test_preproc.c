/* Preprocessing: title, comments, continuation lines (with their exact
 * file:line:col), .include, .lib sections, .end, .control, and every
 * preprocessing error with its message and location. Input files are in
 * tests/netlists/frontend/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "netlist/preproc.h"
#include "netlist/syntax.h"

#define FRONT MS_SRCDIR "/tests/netlists/frontend"

typedef struct Fx {
    SourceSet src;
    Diag diag;
    Netlist *nl;
} Fx;

static int setup(void **state)
{
    Fx *fx = calloc(1, sizeof *fx);
    sourceset_init(&fx->src);
    diag_init(&fx->diag, NULL);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    Fx *fx = *state;
    netlist_free(fx->nl);
    sourceset_free(&fx->src);
    diag_free(&fx->diag);
    free(fx);
    return 0;
}

static Netlist *rd_str(Fx *fx, const char *text)
{
    fx->nl = netlist_read_string(text, "t.cir", &fx->src, &fx->diag);
    return fx->nl;
}

static Netlist *rd_file(Fx *fx, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FRONT, name);
    fx->nl = netlist_read(path, &fx->src, &fx->diag);
    return fx->nl;
}

/* diag must contain `want` (printf format); shows the whole log if not */
static void expect_diag(Fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect_diag(Fx *fx, const char *fmt, ...)
{
    char want[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    const char *log = fx->diag.buf ? fx->diag.buf : "";
    if (!strstr(log, want)) fail_msg("expected message:\n%s\nin diagnostics:\n%s", want, log);
}

static void expect_texts(const Netlist *nl, const char *const *texts, int n)
{
    assert_non_null(nl);
    for (int i = 0; i < n && i < nl->ncards; i++) assert_string_equal(nl->cards[i]->text, texts[i]);
    assert_int_equal(nl->ncards, n);
}

static void expect_loc(SrcLoc l, const char *file, int line, int col)
{
    if (file) assert_string_equal(l.file, file);
    assert_int_equal(l.line, line);
    assert_int_equal(l.col, col);
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_title_is_first_line(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_str(fx, ".tran 1n 10n\nr1 a 0 1\n");
    assert_non_null(nl);
    assert_string_equal(nl->title, ".tran 1n 10n");
    expect_loc(nl->title_loc, "t.cir", 1, 1);
    assert_string_equal(nl->title_loc.text, ".tran 1n 10n");
    static const char *const t[] = {"r1 a 0 1"};
    expect_texts(nl, t, 1);
    expect_loc(nl->cards[0]->loc, "t.cir", 2, 1);
}

static void test_title_not_continued(void **state)
{
    Fx *fx = *state;
    assert_null(rd_str(fx, "title\n* c\n+ more\nr1 a 0 1\n"));
    assert_int_equal(fx->diag.nerrors, 1);
    expect_diag(fx, "t.cir:3:1: error: continuation line '+' has no line to continue "
                    "(the first line of a netlist is its title)\n    3 | + more\n      | ^\n");
}

static void test_empty_input(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_str(fx, "");
    assert_non_null(nl);
    assert_string_equal(nl->title, "");
    assert_int_equal(nl->ncards, 0);
}

static void test_comment_kinds(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "comments.cir");
    if (!nl) fail_msg("%s", fx->diag.buf);
    assert_string_equal(nl->title, "* a title that looks like a comment");
    static const char *const t[] = {
        "R1 in out 1k", "R2 out 0 2K", "R3 a b 3k", "V1 in 0 DC 1 AC 1 tran=2",
        "E1 x 0 vol='a;b' f={c $ d // e ; x} s=\"S;t$x\"", "R4 n$1 a//b 1",
    };
    expect_texts(nl, t, N(t));
    assert_int_equal(fx->diag.nerrors, 0);
    assert_int_equal(fx->diag.nwarnings, 0);
}

static void test_dos_line_ends_and_tabs(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "comments.cir");
    assert_non_null(nl);
    assert_null(strchr(nl->title, '\r'));
    for (int i = 0; i < nl->ncards; i++) {
        assert_null(strchr(nl->cards[i]->text, '\r'));
        assert_null(strchr(nl->cards[i]->text, '\t'));
        assert_null(strchr(nl->cards[i]->seg[0].linetext, '\r'));
    }
    /* "\tR3\ta b 3k": tabs count as one column each, as the caret printer expects */
    expect_loc(nl->cards[2]->loc, FRONT "/comments.cir", 6, 2);
    expect_loc(nl->cards[2]->items[1]->loc, NULL, 6, 5);
}

static void test_content_len(void **state)
{
    (void)state;
    assert_int_equal(preproc_content_len("r1 a b ; x"), 7);
    assert_int_equal(preproc_content_len("r1 a b;x"), 6);
    assert_int_equal(preproc_content_len("r1 a b $ x"), 7);
    assert_int_equal(preproc_content_len("r1 a b\t$x"), 7);
    assert_int_equal(preproc_content_len("$ x"), 0);
    assert_int_equal(preproc_content_len("r1 n$1 b"), 8);         /* '$' inside a word */
    assert_int_equal(preproc_content_len("r1 a b // x"), 7);
    assert_int_equal(preproc_content_len("// x"), 0);
    assert_int_equal(preproc_content_len(".inc a//b"), 9);        /* '//' inside a word */
    assert_int_equal(preproc_content_len("a \"x;y $z //w\" ;c"), 15);
    assert_int_equal(preproc_content_len("a {x;{y}$ z // w} ;c"), 18);
    assert_int_equal(preproc_content_len("a 'x;y $z' ;c"), 11);
    assert_int_equal(preproc_content_len("a {'} ;c"), 6);            /* quote inside braces */
    assert_int_equal(preproc_content_len("a \"unterminated ; x"), 19);
}

static void test_continuation_locations(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "comments.cir");
    assert_non_null(nl);
    const Card *c = nl->cards[3];   /* V1 in 0 DC 1 AC 1 tran=2, lines 7, 8, 12 */
    assert_int_equal(c->nseg, 3);
    const char *f = FRONT "/comments.cir";
    expect_loc(card_loc_at(c, 0), f, 7, 1);
    expect_loc(card_loc_at(c, 11), f, 7, 12);               /* '1' */
    expect_loc(card_loc_at(c, 12), f, 7, 13);               /* joining blank: end of line 7 */
    expect_loc(card_loc_at(c, 13), f, 8, 3);                /* 'AC' after "+ " */
    expect_loc(card_loc_at(c, 18), f, 12, 4);               /* 'tran' after "\t+\t" */
    expect_loc(card_loc_at(c, 23), f, 12, 9);               /* '2' */
    expect_loc(card_loc_at(c, -5), f, 7, 1);
    assert_string_equal(card_loc_at(c, 13).text, "+ AC 1            $ continuation with comment");
    assert_string_equal(card_loc_at(c, 18).text, "\t+\ttran=2");
    const Item *tran = c->items[7];
    assert_int_equal(tran->kind, ITEM_ASSIGN);
    expect_loc(tran->loc, f, 12, 4);
    expect_loc(tran->value->loc, f, 12, 9);
}

static void test_continuation_in_memory(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_str(fx, "t\nv1 a 0 pwl(0 0\n* comment\n\n; comment\n+ 1n 1\n   +2n 0)\nr1 a 0 1\n");
    assert_non_null(nl);
    static const char *const t[] = {"v1 a 0 pwl(0 0 1n 1 2n 0)", "r1 a 0 1"};
    expect_texts(nl, t, 2);
    const Item *pwl = nl->cards[0]->items[3];
    assert_int_equal(pwl->kind, ITEM_CALL);
    assert_int_equal(pwl->nargs, 6);
    expect_loc(pwl->args[2]->loc, "t.cir", 6, 3);
    expect_loc(pwl->args[4]->loc, "t.cir", 7, 5);
    expect_loc(nl->cards[1]->loc, "t.cir", 8, 1);
}

static void test_comment_state_spans_continuation(void **state)
{
    Fx *fx = *state;
    /* a brace expression continued on the next line still protects ';' */
    Netlist *nl = rd_str(fx, "t\nb1 a 0 v={1 +\n+ 2 ; 3} ; real comment\n");
    assert_non_null(nl);
    static const char *const t[] = {"b1 a 0 v={1 + 2 ; 3}"};
    expect_texts(nl, t, 1);
}

static void test_include_relative(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "inc_top.cir");
    if (!nl) fail_msg("%s", fx->diag.buf);
    /* .end inside sub/inc_a.inc is ignored: Rafter is kept */
    static const char *const t[] = {"Ra a 0 1", "Rc c 0 1", "Rafter a 0 1", "Rb b 0 1", "R9 z 0 1"};
    expect_texts(nl, t, N(t));
    expect_loc(nl->cards[0]->loc, FRONT "/sub/inc_a.inc", 1, 1);
    expect_loc(nl->cards[1]->loc, FRONT "/sub/inc_c.inc", 2, 1);
    expect_loc(nl->cards[3]->items[3]->loc, FRONT "/sub/inc_b.inc", 2, 3);
    expect_loc(nl->cards[4]->loc, FRONT "/inc_top.cir", 4, 1);
}

static void test_include_loop(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "loop_top.cir"));
    assert_int_equal(fx->diag.nerrors, 1);
    expect_diag(fx, "%s/loop_b.inc:2:1: error: include loop: %s/loop_top.cir -> %s/loop_b.inc -> "
                "%s/loop_top.cir\n    2 | .include loop_top.cir\n", FRONT, FRONT, FRONT, FRONT);
}

static void test_include_loop_other_spelling(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "loop_self.cir"));
    assert_int_equal(fx->diag.nerrors, 1);
    expect_diag(fx, "%s/loop_self.cir:2:1: error: include loop: %s/loop_self.cir -> "
                "%s/./sub/../loop_self.cir\n", FRONT, FRONT, FRONT);
}

static void test_include_missing(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "missing_inc.cir"));
    assert_int_equal(fx->diag.nerrors, 4);
    expect_diag(fx, "%s/missing_inc.cir:3:3: error: .include: cannot open 'nothere.inc' "
                "(resolved to '%s/nothere.inc'): No such file or directory\n"
                "    3 |   .include nothere.inc\n      |   ^\n", FRONT, FRONT);
    expect_diag(fx, "%s/missing_inc.cir:4:1: error: .include expects one file name: "
                ".include <file>\n", FRONT);
    expect_diag(fx, "%s/missing_inc.cir:5:1: error: .include expects one file name", FRONT);
    expect_diag(fx, "%s/missing_inc.cir:6:1: error: .include: cannot open 'sub' (resolved to "
                "'%s/sub'): Is a directory\n", FRONT, FRONT);
}

static void test_include_unterminated_quote(void **state)
{
    Fx *fx = *state;
    assert_null(rd_str(fx, "t\n.include \"abc\n"));
    expect_diag(fx, "t.cir:2:1: error: .include: unterminated quote in the file name\n");
}

static void test_include_from_string_uses_cwd(void **state)
{
    Fx *fx = *state;
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(MS_SRCDIR), 0);
    Netlist *nl = rd_str(fx, "t\n.include tests/netlists/frontend/sub/inc_c.inc\n");
    assert_int_equal(chdir(old), 0);
    if (!nl) fail_msg("%s", fx->diag.buf);
    static const char *const t[] = {"Rc c 0 1"};
    expect_texts(nl, t, 1);
    expect_loc(nl->cards[0]->loc, "tests/netlists/frontend/sub/inc_c.inc", 2, 1);
}

static void test_include_in_memory_file(void **state)
{
    Fx *fx = *state;
    /* a file already in the SourceSet is used as is (tests, stdin) */
    sourceset_add_text(&fx->src, "virtual.inc", "* v\nRv v 0 1\n");
    Netlist *nl = rd_str(fx, "t\n.INC virtual.inc\n.Include \"virtual.inc\"\n");
    assert_non_null(nl);
    static const char *const t[] = {"Rv v 0 1", "Rv v 0 1"};
    expect_texts(nl, t, 2);
    expect_loc(nl->cards[1]->loc, "virtual.inc", 2, 1);
}

static void test_include_starts_with_plus(void **state)
{
    Fx *fx = *state;
    sourceset_add_text(&fx->src, "cont.inc", "* c\n  + x=1\n");
    assert_null(rd_str(fx, "t\nr1 a 0 1\n.include cont.inc\n"));
    assert_int_equal(fx->diag.nerrors, 1);
    /* continuation does not cross file boundaries; no title hint here */
    expect_diag(fx, "cont.inc:2:3: error: continuation line '+' has no line to continue\n");
}

static void test_include_self_in_memory(void **state)
{
    Fx *fx = *state;
    assert_null(rd_str(fx, "t\n.include t.cir\n"));
    expect_diag(fx, "t.cir:2:1: error: include loop: t.cir -> t.cir\n");
}

static void test_include_too_deep(void **state)
{
    Fx *fx = *state;
    char name[32], text[64];
    for (int i = 1; i <= 70; i++) {   /* d1 includes d2 ... d70: no loop, just deep */
        snprintf(name, sizeof name, "d%d.inc", i);
        snprintf(text, sizeof text, "r%d a 0 1\n.include d%d.inc\n", i, i + 1);
        sourceset_add_text(&fx->src, name, i < 70 ? text : "rlast a 0 1\n");
    }
    assert_null(rd_str(fx, "t\n.include d1.inc\n"));
    assert_int_equal(fx->diag.nerrors, 1);
    expect_diag(fx, "d63.inc:2:1: error: files nested deeper than 64 levels of .include/.lib\n");
}

static void test_lib_sections(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "lib_top.cir");
    if (!nl) fail_msg("%s", fx->diag.buf);
    /* tt calls "common" in the same file first; text outside sections is unused */
    static const char *const t[] = {"Rcommon c 0 1", "Rtt t 0 1", "Rff f 0 1"};
    expect_texts(nl, t, N(t));
    expect_loc(nl->cards[1]->loc, FRONT "/models/lib_basic.lib", 8, 1);
}

static void test_lib_errors(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "lib_errors.cir"));
    const char *lib = FRONT "/models/lib_basic.lib";
    expect_diag(fx, "%s/lib_errors.cir:2:1: error: .lib: section 'nosuch' not found in '%s'; its "
                "sections are: common, tt, ff, loop1, loop2, nested, inner, open\n", FRONT, lib);
    expect_diag(fx, "%s:17:1: error: include loop: %s[loop1] -> %s[loop2] -> %s[loop1]\n",
                lib, lib, lib, lib);
    expect_diag(fx, "%s:23:1: error: unterminated library section 'open': missing .endl\n"
                "   23 | .lib open\n", lib);
    expect_diag(fx, "%s/lib_errors.cir:5:1: note: section requested here\n", FRONT);
    expect_diag(fx, "%s/lib_errors.cir:6:1: error: .lib: cannot open 'models/nosuch.lib' "
                "(resolved to '%s/models/nosuch.lib'): No such file or directory\n", FRONT, FRONT);
    expect_diag(fx, "%s/lib_errors.cir:7:1: error: '.endl' without a library section "
                "('.lib <name>') before it\n", FRONT);
    expect_diag(fx, "%s:21:1: error: '.lib inner' starts a section inside section 'nested': "
                "missing .endl\n", lib);
    expect_diag(fx, "%s/lib_errors.cir:9:1: error: .lib expects a file and a section name: "
                ".lib <file> <section>\n", FRONT);
    assert_int_equal(fx->diag.nerrors, 7);
}

/* a one-argument .lib in a netlist: Xyce's section defined in the file
 * (skipped up to its .endl unless a .lib call asks for it), else
 * LTspice's include */
static void test_lib_dialects(void **state)
{
    Fx *fx = *state;
    sourceset_add_text(&fx->src, "inc.lib", "r9 a 0 9\n");
    Netlist *nl = rd_str(fx, "t\n.lib mysec\nr1 a 0 1\n.endl\nr2 a 0 2\n.lib inc.lib\nr3 a 0 3\n");
    assert_non_null(nl);
    static const char *const t[] = {"r2 a 0 2", "r9 a 0 9", "r3 a 0 3"};
    expect_texts(nl, t, 3);
    assert_int_equal(fx->diag.nerrors, 0);
}

static void test_lib_no_sections(void **state)
{
    Fx *fx = *state;
    sourceset_add_text(&fx->src, "plain.lib", "r1 a 0 1\n");
    assert_null(rd_str(fx, "t\n.lib plain.lib tt\n"));
    expect_diag(fx, "t.cir:2:1: error: .lib: section 'tt' not found: 'plain.lib' defines no "
                "sections (.lib <name> ... .endl)\n");
}

static void test_end_stops_input(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_str(fx, "t\nr1 a 0 1\n.End\nr2 ((( \"\n+ orphan\n.include nothere\n");
    assert_non_null(nl);
    static const char *const t[] = {"r1 a 0 1"};
    expect_texts(nl, t, 1);
    assert_int_equal(fx->diag.nerrors, 0);
}

static void test_ends_endl_are_not_end(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_str(fx, "t\n.subckt s a\nr1 a 0 1\n.ends s\nr2 a 0 1\n.endx\nr3 a 0 1\n.end\n");
    assert_non_null(nl);
    static const char *const t[] = {".subckt s a", "r1 a 0 1", ".ends s", "r2 a 0 1", ".endx", "r3 a 0 1"};
    expect_texts(nl, t, N(t));
}

/* .control lines are kept as written for the interpreter, not parsed as cards */
static void test_control_skipped(void **state)
{
    Fx *fx = *state;
    Netlist *nl = rd_file(fx, "control.cir");
    assert_non_null(nl);
    static const char *const t[] = {"R1 a 0 1", "R2 a 0 2"};
    expect_texts(nl, t, 2);
    assert_int_equal(fx->diag.nwarnings, 0);
    assert_int_equal(fx->diag.nerrors, 0);
    assert_int_equal(nl->nctl, 2);
    assert_string_equal(nl->ctl[0].text, "run");
    assert_string_equal(nl->ctl[1].text, "plot v(a)");
    assert_int_equal(nl->ctl[1].loc.line, 5);
}

static void test_control_unterminated(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "control_open.cir"));
    assert_int_equal(fx->diag.nerrors, 1);
    assert_int_equal(fx->diag.nwarnings, 0);
    expect_diag(fx, "%s/control_open.cir:3:1: error: unterminated .control block: missing .endc\n",
                FRONT);
}

static void test_control_case_and_stray_endc(void **state)
{
    Fx *fx = *state;
    assert_null(rd_str(fx, "t\n.CONTROL\nplot v(1)\n+ v(2)\n* a comment\n.ENDC\nr1 a 0 1\n  .endc\n"));
    assert_int_equal(fx->diag.nwarnings, 0);
    expect_diag(fx, "t.cir:8:3: error: '.endc' without a '.control' before it\n");
    Netlist *nl = rd_str(fx, "t\n.CONTROL\nplot v(1)\n+ v(2)\n* a comment\n.ENDC\nr1 a 0 1\n");
    assert_non_null(nl);
    assert_int_equal(nl->nctl, 1);
    assert_string_equal(nl->ctl[0].text, "plot v(1) v(2)");
    if (0) expect_diag(fx, "t.cir:6:3: error: '.endc' without a '.control' before it\n");
}

static void test_too_many_errors(void **state)
{
    Fx *fx = *state;
    fx->diag.max_errors = 3;
    char text[2048] = "t\n";
    for (int i = 0; i < 30; i++) strcat(text, "r1 a (\n");
    assert_null(rd_str(fx, text));
    assert_int_equal(fx->diag.nerrors, 4);      /* stops after the first one not shown */
    expect_diag(fx, "memspice: too many errors, not listing more\n");
    expect_diag(fx, "t.cir:4:6: error: unbalanced parenthesis");
    if (strstr(fx->diag.buf, "t.cir:5:")) fail_msg("error beyond max_errors printed:\n%s", fx->diag.buf);
}

static void test_missing_top_file(void **state)
{
    Fx *fx = *state;
    assert_null(rd_file(fx, "does_not_exist.cir"));
    expect_diag(fx, "memspice: error: cannot open netlist '%s/does_not_exist.cir': No such file "
                "or directory\n", FRONT);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_title_is_first_line),
        T(test_title_not_continued),
        T(test_empty_input),
        T(test_comment_kinds),
        T(test_dos_line_ends_and_tabs),
        T(test_content_len),
        T(test_continuation_locations),
        T(test_continuation_in_memory),
        T(test_comment_state_spans_continuation),
        T(test_include_relative),
        T(test_include_loop),
        T(test_include_loop_other_spelling),
        T(test_include_missing),
        T(test_include_unterminated_quote),
        T(test_include_from_string_uses_cwd),
        T(test_include_in_memory_file),
        T(test_include_starts_with_plus),
        T(test_include_self_in_memory),
        T(test_include_too_deep),
        T(test_lib_sections),
        T(test_lib_errors),
        T(test_lib_dialects),
        T(test_lib_no_sections),
        T(test_end_stops_input),
        T(test_ends_endl_are_not_end),
        T(test_control_skipped),
        T(test_control_unterminated),
        T(test_control_case_and_stray_endc),
        T(test_too_many_errors),
        T(test_missing_top_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
