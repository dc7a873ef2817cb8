/* "did you mean ...?": closest candidate by edit distance. */
#ifndef MS_SUGGEST_H
#define MS_SUGGEST_H

/* Edit distance (Levenshtein, case-insensitive). */
int edit_distance(const char *a, const char *b);
/* Best of cands[0..n) within a distance that makes sense for the word length,
 * or NULL. */
const char *suggest_closest(const char *word, const char *const *cands, int n);

#endif
