package dfl.runtime.run;

/**
 * What happened in one sampling step (index {@code step} from T down to 1).
 *
 * @param step               sampling index i (T first)
 * @param trainStep          the training timestep the model was evaluated at
 * @param essBefore          ESS of the weights entering the step (the resampling decision uses it)
 * @param resampled          whether the particles were resampled at the start of the step
 * @param uniqueAncestors    distinct ancestors after resampling (K when not resampled)
 * @param ess                ESS after this step's reweighting, in [1, K]
 * @param maxWeight          largest normalised weight after reweighting
 * @param logEvidenceIncrement this step's factor of the running evidence estimate (0 for unweighted samplers)
 * @param seconds            wall time of the step
 */
public record StepStats(int step, int trainStep, double essBefore, boolean resampled, int uniqueAncestors, double ess,
        double maxWeight, double logEvidenceIncrement, double seconds) {}
