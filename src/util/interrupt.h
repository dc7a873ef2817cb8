/* SIGINT/SIGTERM: long analyses poll interrupt_requested() and stop cleanly,
 * so output files are closed valid with every accepted point. The flag is the
 * one piece of process-wide mutable state besides the device registry: a
 * signal handler can reach nothing else. */
#ifndef MS_INTERRUPT_H
#define MS_INTERRUPT_H

void interrupt_install(void);
int interrupt_requested(void);   /* signal number, or 0 */
void interrupt_clear(void);

#endif
