/* Counter-based random numbers for reproducible variability: every number
 * is a pure function of a 64-bit key built from (seed, step, names, ...)
 * and an index, so it does not depend on the order in which numbers are
 * asked for, nor on threads or MPI ranks. No state, no globals.
 *
 *   uint64_t k = rng_absorb(rng_absorb_str(rng_absorb(seed, step), name), 7);
 *   double g = rng_normal(k, 0);     // standard normal
 *   double u = rng_uniform(k, 1);    // [0, 1)
 *
 * The mixing function is SplitMix64's finalizer (a bijection of 64-bit
 * words with full avalanche); docs/variability.md. */
#ifndef MS_RNG_H
#define MS_RNG_H

#include <stdint.h>

/* a bijection of 64-bit words in which every input bit changes every
 * output bit with probability ~1/2 */
static inline uint64_t rng_mix(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z;
}

/* the key h extended by the word v (distinct v give distinct keys for one h) */
static inline uint64_t rng_absorb(uint64_t h, uint64_t v)
{
    return rng_mix(h ^ (v * 0xd6e8feb86659fd93ULL + 0x9e3779b97f4a7c15ULL));
}

/* the key h extended by a string (its length, then its bytes); NULL is "" */
uint64_t rng_absorb_str(uint64_t h, const char *s);

/* the k-th uniform number of the stream `key`, in [0, 1), 53 random bits */
static inline double rng_uniform(uint64_t key, uint64_t k)
{
    return (double)(rng_mix(rng_absorb(key, k)) >> 11) * 0x1p-53;
}

/* the k-th standard normal number of the stream `key` (Box-Muller on the
 * uniforms 2k and 2k+1) */
double rng_normal(uint64_t key, uint64_t k);

/* a seed for a run that was given none: time, pid and an address mixed */
uint64_t rng_default_seed(void);

#endif
