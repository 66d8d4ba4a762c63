package dfl.runtime.run;

/**
 * What happened at one annealing level.
 *
 * @param level            level index i (T first, 1 last)
 * @param trainStep        the training step the models were evaluated at
 * @param acceptance       fraction of accepted proposals over all chains and steps of the level (1 for unadjusted kernels)
 * @param stepSize         mean Langevin step η used at the level (after adaptation)
 * @param scoreEvaluations batched target evaluations at this level (each is one batched call per diffusion prior)
 */
public record LevelStats(int level, int trainStep, double acceptance, double stepSize, long scoreEvaluations) {}
