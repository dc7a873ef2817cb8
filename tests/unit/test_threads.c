/* The library is reentrant: several circuits simulated at once on threads
 * (each its own sim_run) give exactly the numbers of the same circuits run
 * one after another. `make test-tsan` runs this (and test_step's -j runs)
 * under ThreadSanitizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "testutil.h"
#include "util/xmem.h"

static const char *const nets[] = {
    "rc\nV1 in 0 PULSE(0 1 0 1u 1u 1m 2m)\nR1 in out 1k\nC1 out 0 1u\n.tran 10u 3m\n.end\n",
    "diode\nV1 a 0 SIN(0 2 1k)\nR1 a b 100\nD1 b 0 dd\n.model dd d is=1e-14\n.tran 5u 2m\n.end\n",
    "memristor\nV1 in 0 SIN(0 1.2 1)\nR1 in a 100\nYMEMRISTOR m1 a 0 hp xo=0.3\n"
    ".model hp memristor level=1 ron=100 roff=16k d=10n uv=1e-14 window=2 p=2\n.tran 5m 1\n.end\n",
    "astable\nB1 out 0 V=5*tanh(1e4*(v(p)-v(m)))\nR1 out p 10k\nR2 p 0 10k\nR3 out m 10k\nC1 m 0 10n\n"
    ".ic v(m)=0.1\n.tran 1u 1m\n.end\n",
    "stepped\n.param r=1k\nV1 a 0 1\nR1 a b {r}\nR2 b 0 1k\n.op\n.step param r list 1k 2k 3k 4k\n.end\n",
};
enum { NNETS = sizeof nets / sizeof nets[0], NTHREADS = 8 };

typedef struct Job {
    const char *net;
    Sink *mem;
    int rc;
} Job;

static void *run_job(void *arg)
{
    Job *j = arg;
    j->mem = mem_sink_new();
    Diag d;
    diag_init(&d, NULL);
    SimConfig cfg = {.netlist = "thread.cir", .text = j->net, .quiet = 1, .extra = j->mem, .jobs = 2};
    j->rc = sim_run(&cfg, &d);
    diag_free(&d);
    return NULL;
}

static void test_circuits_on_threads(void **state)
{
    (void)state;
    Job serial[NNETS], par[NTHREADS];
    for (int k = 0; k < NNETS; k++) {
        serial[k] = (Job){nets[k], NULL, 0};
        run_job(&serial[k]);
        assert_int_equal(serial[k].rc, 0);
    }
    pthread_t th[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        par[t] = (Job){nets[t % NNETS], NULL, 0};
        assert_int_equal(pthread_create(&th[t], NULL, run_job, &par[t]), 0);
    }
    for (int t = 0; t < NTHREADS; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < NTHREADS; t++) {
        const Job *s = &serial[t % NNETS], *p = &par[t];
        assert_int_equal(p->rc, 0);
        assert_int_equal(mem_sink_nplots(p->mem), mem_sink_nplots(s->mem));
        for (int i = 0; i < mem_sink_nplots(s->mem); i++) {
            const MemPlot *a = mem_sink_plot(s->mem, i), *b = mem_sink_plot(p->mem, i);
            assert_int_equal(a->npoints, b->npoints);
            assert_int_equal(a->nvars, b->nvars);
            assert_memory_equal(a->data, b->data, (size_t)a->npoints * (size_t)a->nvars * sizeof(double));
        }
    }
    for (int k = 0; k < NNETS; k++) serial[k].mem->close(serial[k].mem);
    for (int t = 0; t < NTHREADS; t++) par[t].mem->close(par[t].mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_circuits_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
