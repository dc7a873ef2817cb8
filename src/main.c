/* memspice command line: options, then one call into the library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include "sim.h"
#include "util/dialect.h"
#include "util/number.h"
#include "util/interrupt.h"
#include "util/xmem.h"

#ifndef MS_VERSION
#define MS_VERSION "dev"
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "usage: memspice [options] netlist.cir\n"
            "\n"
            "Simulates a SPICE netlist (ngspice syntax) and writes the waveforms to an\n"
            "ngspice-compatible raw file.\n"
            "\n"
            "  -r FILE          raw output file (default: the netlist's name with .raw,\n"
            "                   in the current directory)\n"
            "  --no-raw         do not write a raw file\n"
            "  --ascii          ascii raw file (default binary)\n"
            "  --csv FILE       also write the waveforms as CSV\n"
            "  -q, --quiet      no progress line, summary or notes on stderr\n"
            "  --param NAME=VALUE\n"
            "                   replace the value of a top-level .param (repeatable)\n"
            "  -j N             run N .step points at once (default: one per core;\n"
            "                   the output files are the same for every N)\n"
            "  --seed N         seed of the random functions (gauss, agauss, ...; default:\n"
            "                   .options seed, else one chosen and printed)\n"
            "  -b               accepted for ngspice habits (memspice is always batch)\n"
            "  --allow-shell    let a .control block run programs ('shell'); refused otherwise\n"
            "  --dialect D      read the netlist as D writes it: ngspice, xyce, ltspice, hspice\n"
            "                   (default: guessed from the netlist, else ngspice; docs/dialects.md)\n"
            "  --list-devices   list device types and their parameters\n"
            "  --help, --version\n"
            "\n"
            "  netlist.cir may be '-' for standard input.\n"
            "Exit status: 0 success, 1 netlist or usage error, 2 simulation failure,\n"
            "3 interrupted (the output files hold every point computed).\n"
            "Docs: docs/netlist.md, docs/control.md, docs/cli.md\n");
}

/* the .meas table beside an output file: out.raw -> out.meas.csv (a name
 * without that extension keeps all of it: out -> out.meas.csv); none
 * beside something that is not a regular file (--csv /dev/null) */
static char *meas_table_name(const char *out, const char *ext)
{
    struct stat st;
    if (stat(out, &st) == 0 && !S_ISREG(st.st_mode)) return NULL;
    size_t len = strlen(out), el = strlen(ext);
    if (len > el && !strcmp(out + len - el, ext)) len -= el;
    char *stem = xstrndup(out, len);
    char *name = xasprintf("%s.meas.csv", stem);
    free(stem);
    return name;
}

static char *default_raw_name(const char *netlist)
{
    const char *base = strrchr(netlist, '/');
    base = base ? base + 1 : netlist;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *stem = xstrndup(base, len);
    char *name = xasprintf("%s.raw", stem);
    free(stem);
    return name;
}

/* --param NAME=VALUE: 0, or 1 after a message */
static int parse_param(const char *arg, ParamOverride *o)
{
    const char *eq = strchr(arg, '=');
    double v;
    if (!eq || eq == arg || !spice_number(eq + 1, &v) || !isfinite(v)) {
        fprintf(stderr, "memspice: --param expects NAME=VALUE with a number (e.g. --param rload=10k), got '%s'\n", arg);
        return 1;
    }
    char *name = xstrndup(arg, (size_t)(eq - arg));
    str_lower(name);
    *o = (ParamOverride){.name = name, .value = v, .origin = "--param"};
    return 0;
}

#ifdef MS_MPI
#include <mpi.h>
int mpi_sim_run(SimConfig *cfg, Diag *d);
#endif

int main(int argc, char **argv)
{
#ifdef MS_MPI
    /* memspice-mpi (make mpi): .step points spread over the ranks */
    MPI_Init(&argc, &argv);
    int mpi_rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank);
#define MS_RETURN(code) do { MPI_Finalize(); return (code); } while (0)
#else
#define MS_RETURN(code) return (code)
#endif
    SimConfig cfg = {0};
    int no_raw = 0;
    VEC(ParamOverride) params = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            MS_RETURN(0);
        } else if (!strcmp(a, "--version")) {
            printf("memspice %s\n", MS_VERSION);
            MS_RETURN(0);
        } else if (!strcmp(a, "--list-devices")) {
            devices_describe(stdout, 0);
            MS_RETURN(0);
        } else if (!strcmp(a, "--list-devices-md")) {
            devices_describe(stdout, 1);
            MS_RETURN(0);
        } else if (!strcmp(a, "-r") && has_next) {
            cfg.raw = argv[++i];
        } else if (!strcmp(a, "--csv") && has_next) {
            cfg.csv = argv[++i];
        } else if (!strcmp(a, "--ascii")) {
            cfg.ascii = 1;
        } else if (!strcmp(a, "--no-raw")) {
            no_raw = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            cfg.quiet = 1;
        } else if (!strcmp(a, "--allow-shell")) {
            cfg.allow_shell = 1;
        } else if ((!strcmp(a, "--dialect") && has_next) || !strncmp(a, "--dialect=", 10)) {
            const char *v = a[9] == '=' ? a + 10 : argv[++i];
            int dl = dialect_parse(v);
            if (dl < 0) {
                fprintf(stderr, "memspice: --dialect must be ngspice, xyce, ltspice or hspice, got '%s'\n", v);
                MS_RETURN(1);
            }
            cfg.dialect = dl + 1;
        } else if (!strcmp(a, "--param") && has_next) {
            ParamOverride o;
            if (parse_param(argv[++i], &o)) MS_RETURN(1);
            VEC_PUSH(params, o);
        } else if (!strncmp(a, "--param=", 8)) {
            ParamOverride o;
            if (parse_param(a + 8, &o)) MS_RETURN(1);
            VEC_PUSH(params, o);
        } else if ((!strcmp(a, "-j") && has_next) || (!strncmp(a, "-j", 2) && a[2])) {
            const char *v = a[2] ? a + 2 : argv[++i];
            char *end;
            long j = strtol(v, &end, 10);
            if (*end || end == v || j < 1 || j > 4096) {
                fprintf(stderr, "memspice: -j expects a number of jobs from 1 to 4096, got '%s'\n", v);
                MS_RETURN(1);
            }
            cfg.jobs = (int)j;
        } else if ((!strcmp(a, "--seed") && has_next) || !strncmp(a, "--seed=", 7)) {
            const char *v = a[6] == '=' ? a + 7 : argv[++i];
            char *end;
            errno = 0;
            unsigned long long sd = strtoull(v, &end, 10);
            if (!(v[0] >= '0' && v[0] <= '9') || *end || errno == ERANGE) {
                fprintf(stderr, "memspice: --seed expects a whole number from 0 to 2^64-1, got '%s'\n", v);
                MS_RETURN(1);
            }
            cfg.seed = (uint64_t)sd;
            cfg.seed_given = 1;
        } else if (!strcmp(a, "-b")) {
            /* ngspice batch flag: memspice always runs in batch */
        } else if ((a[0] == '-' && a[1] != '\0') || cfg.netlist) {
            fprintf(stderr, "memspice: %s '%s'\n", cfg.netlist && a[0] != '-' ? "more than one netlist:" :
                    (!strcmp(a, "-r") || !strcmp(a, "--csv")) ? "missing file name after" :
                    (!strcmp(a, "--param") || !strcmp(a, "-j") || !strcmp(a, "--seed")) ? "missing value after" : "unknown option", a);
            usage(stderr);
            MS_RETURN(1);
        } else {
            cfg.netlist = a;
        }
    }
    if (!cfg.netlist) {
        usage(stderr);
        MS_RETURN(1);
    }
    char *raw_default = NULL;
    if (!cfg.raw && !no_raw) cfg.raw = raw_default = default_raw_name(strcmp(cfg.netlist, "-") ? cfg.netlist : "stdin");
    if (no_raw) cfg.raw = NULL;
    char *meas_name = cfg.raw ? meas_table_name(cfg.raw, ".raw")
                    : cfg.csv && strcmp(cfg.csv, "-") ? meas_table_name(cfg.csv, ".csv") : NULL;
    cfg.meas = meas_name;
    cfg.progress = !cfg.quiet && isatty(STDERR_FILENO);
    /* with CSV on stdout, the .op listing and .print tables go to stderr */
    cfg.out = cfg.csv && !strcmp(cfg.csv, "-") ? stderr : stdout;
    cfg.params = params.v;
    cfg.nparams = params.n;
    interrupt_install();
    Diag d;
    diag_init(&d, stderr);
#ifdef MS_MPI
    int rc = mpi_sim_run(&cfg, &d);
    if (mpi_rank != 0) cfg.plots_written = 0;
#else
    int rc = sim_run(&cfg, &d);
#endif
    if (cfg.plots_written && cfg.raw && !cfg.quiet && (rc == 0 || rc == 3)) fprintf(stderr, "memspice: waveforms in %s\n", cfg.raw);
    if (cfg.meas_written && !cfg.quiet) fprintf(stderr, "memspice: measurements in %s\n", cfg.meas);
    diag_free(&d);
    free(raw_default);
    free(meas_name);
    for (int k = 0; k < params.n; k++) free((char *)params.v[k].name);
    VEC_FREE(params);
    MS_RETURN(rc);
}
