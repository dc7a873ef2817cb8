#include "util/threads.h"

#include <unistd.h>

static _Thread_local int budget;

int threads_budget(void)
{
    if (budget > 0) return budget;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void threads_set_budget(int n)
{
    budget = n > 0 ? n : 0;
}
