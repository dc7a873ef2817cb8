/* One helper thread that runs a task while the caller does its own share:
 * worker_start(w, fn, arg) hands fn(arg) over, worker_wait(w) returns once
 * it has finished (the caller's writes before start and the helper's
 * writes in fn are visible to the other side after these calls). Used by
 * the split sparse solves and the parallel device loads of one engine. */
#ifndef MS_WORKER_H
#define MS_WORKER_H

typedef struct Worker Worker;

/* NULL when the thread cannot be started (the caller then works alone) */
Worker *worker_new(void);
void worker_free(Worker *w);
void worker_start(Worker *w, void (*fn)(void *), void *arg);
void worker_wait(Worker *w);

#endif
