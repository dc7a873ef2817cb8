#include "util/worker.h"

#include <pthread.h>
#include <stdlib.h>

struct Worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t go, fin;
    long gen, done;
    int quit;
    void (*fn)(void *);
    void *arg;
};

static void *loop(void *p)
{
    Worker *w = p;
    long seen = 0;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->gen == seen && !w->quit) pthread_cond_wait(&w->go, &w->mu);
        if (w->quit) break;
        seen = w->gen;
        void (*fn)(void *) = w->fn;
        void *arg = w->arg;
        pthread_mutex_unlock(&w->mu);
        fn(arg);
        pthread_mutex_lock(&w->mu);
        w->done = seen;
        pthread_cond_signal(&w->fin);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

Worker *worker_new(void)
{
    Worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->go, NULL);
    pthread_cond_init(&w->fin, NULL);
    if (pthread_create(&w->th, NULL, loop, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->go);
        pthread_cond_destroy(&w->fin);
        free(w);
        return NULL;
    }
    return w;
}

void worker_free(Worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_signal(&w->go);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->go);
    pthread_cond_destroy(&w->fin);
    free(w);
}

void worker_start(Worker *w, void (*fn)(void *), void *arg)
{
    pthread_mutex_lock(&w->mu);
    w->fn = fn;
    w->arg = arg;
    w->gen++;
    pthread_cond_signal(&w->go);
    pthread_mutex_unlock(&w->mu);
}

void worker_wait(Worker *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->done != w->gen) pthread_cond_wait(&w->fin, &w->mu);
    pthread_mutex_unlock(&w->mu);
}
