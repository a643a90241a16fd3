/* cmd_sys.h - the `tessera estimate` and `tessera sweep` commands: the
 * system-scale model (models/sysmodel.h) and its design-space sweeps
 * (models/sweep.h) on the command line (docs/system-model.md). Each returns
 * the exit status: 0, 2 on bad input, 1 on other failures. */
#ifndef TESSERA_CMD_SYS_H
#define TESSERA_CMD_SYS_H

extern const char *const tsr_estimate_help;
extern const char *const tsr_sweep_help;
int tsr_cmd_estimate(int argc, char **argv);
int tsr_cmd_sweep(int argc, char **argv);

#endif
