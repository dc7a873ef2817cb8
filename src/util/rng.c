/* Counter-based random numbers (rng.h). */
#include "util/rng.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t rng_absorb_str(uint64_t h, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    h = rng_absorb(h, (uint64_t)n);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (size_t j = 0; j < 8 && i + j < n; j++) w |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
        h = rng_absorb(h, w);
    }
    return h;
}

double rng_normal(uint64_t key, uint64_t k)
{
    double u1 = 1.0 - rng_uniform(key, 2 * k);   /* (0, 1]: the logarithm is finite */
    double u2 = rng_uniform(key, 2 * k + 1);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

uint64_t rng_default_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int local;
    uint64_t h = rng_absorb(0x6d656d7370696365ULL, (uint64_t)ts.tv_sec);
    h = rng_absorb(h, (uint64_t)ts.tv_nsec);
    h = rng_absorb(h, (uint64_t)getpid());
    h = rng_absorb(h, (uint64_t)(uintptr_t)&local);
    return h;
}
