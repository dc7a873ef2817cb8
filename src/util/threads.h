/* How many threads one simulation may use for itself (the split sparse
 * solves, src/engine/linsolve_klu.c): the online cores, unless the calling
 * thread was given a smaller budget (the workers of parallel .step points
 * take one each, so that the jobs do not oversubscribe the cores). */
#ifndef MS_THREADS_H
#define MS_THREADS_H

int threads_budget(void);
/* this thread's budget from now on (<= 0: back to the online cores) */
void threads_set_budget(int n);

#endif
