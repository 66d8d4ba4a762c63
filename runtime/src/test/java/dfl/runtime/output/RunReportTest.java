package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.runtime.TestPlans;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The honest run summary: the ESS before the last resampling and the distinct samples are reported beside the ESS of
 * the output weights, a collapse is a W0005 warning, and the evidence is reported only where there is something to
 * estimate. The negative controls are the collapsed populations that the final ESS alone reports as healthy.
 */
class RunReportTest {

    /** K samples of which {@code distinct} differ (the rest copy sample 0), equal weights, one resampling at step 1 with {@code essBefore}. */
    private static RunResult run(int k, int distinct, int steps, double essBefore, int lowSteps) {
        float[][] s = new float[k][2];
        for (int i = 0; i < k; i++) s[i] = i < distinct ? new float[] {i, -i} : new float[] {0, 0};
        double[] lw = new double[k];
        java.util.Arrays.fill(lw, -Math.log(k));
        List<StepStats> st = new ArrayList<>();
        for (int i = steps; i >= 1; i--) {
            double before = i == 1 ? essBefore : steps - i < lowSteps ? 1.2 : k;
            st.add(new StepStats(i, i, before, i == 1, i == 1 ? distinct : k, k, 1.0 / k, -0.1, 0.01));
        }
        return new RunResult("tds", 1, steps, Shape.of(2), s, lw, -2.5, st, 1.0, steps, 0.5);
    }

    private static SamplerPlan observed() {
        return TestPlans.posterior2d(TestPlans.tds(16, 10));
    }

    @Test
    void aPopulationOfCopiesIsReportedAsCollapsedThoughItsFinalEssIsK() {
        RunReport r = RunReport.of(observed(), run(16, 1, 10, 1.00003, 0));
        assertEquals(16.0, r.finalEss(), 1e-9, "the final ESS alone looks perfect");
        assertEquals(1, r.distinct());
        assertEquals(1.00003, r.essBeforeLastResampling(), 1e-12);
        assertEquals(1, r.lastResamplingStep());
        assertEquals(1, r.ancestorsLastResampling());
        assertEquals(1, r.warnings().size());
        assertEquals(Code.W0005, r.warnings().get(0).code());
        assertTrue(r.warnings().get(0).message().contains("only 1 distinct particle"), r.warnings().get(0).message());
        assertTrue(r.line().contains("ESS 1.0 before the last resampling (step 1, 1 unique ancestor), 16.0 at the end, 1 distinct"), r.line());
    }

    @Test
    void aHealthyPopulationGetsNoWarning() {
        RunReport r = RunReport.of(observed(), run(16, 12, 10, 9.0, 1));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals(12, r.distinct());
        assertEquals(12, r.ancestorsLastResampling());
        assertTrue(r.line().contains("(step 1, 12 unique ancestors)"), r.line());
    }

    @Test
    void essBelowTwoAtMoreThanATenthOfTheStepsIsAWarningEvenWithDistinctSamples() {
        RunReport r = RunReport.of(observed(), run(16, 16, 20, 9.0, 3));
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).message().contains("below 2 at 3 of 20 steps"), r.warnings().get(0).message());
    }

    /** Issue 15: a log p̂(y) of −6.6e39 was printed with 40 digits before the point; large figures get an exponent. */
    @Test
    void hugeFiguresArePrintedWithAnExponent() {
        RunResult base = run(16, 16, 5, 9, 0);
        RunResult huge = new RunResult(base.sampler(), 1, base.steps(), base.shape(), base.samples(), base.logWeights(),
                -6.604730681126655e39, base.stats(), 1.0, 5, 0.5);
        String line = RunReport.of(observed(), huge).line();
        assertTrue(line.contains("log p̂(y) = -6.60473e+39,"), line);
        assertTrue(RunReport.of(observed(), base).line().contains("log p̂(y) = -2.5000,"));
    }

    @Test
    void theEvidenceIsReportedOnlyWithObservationsOrAComposition() {
        assertTrue(RunReport.of(observed(), run(16, 16, 5, 9, 0)).line().contains("log p̂(y) = -2.5000"));
        SamplerPlan priorAlone = TestPlans.plan(TestPlans.posterior2dPrior(), List.of(), TestPlans.tds(16, 5));
        RunReport alone = RunReport.of(priorAlone, run(16, 16, 5, 9, 0));
        assertTrue(alone.evidence().isEmpty());
        assertFalse(alone.line().contains("log"), alone.line());
        JsonObject o = JsonParser.parseString(RunOutputs.summaryJson(priorAlone, run(16, 16, 5, 9, 0))).getAsJsonObject();
        assertTrue(o.get("log_evidence").isJsonNull());
    }

    @Test
    void summaryJsonAndTraceCarryTheFigures() {
        RunResult collapsed = run(16, 1, 10, 1.5, 0);
        JsonObject o = JsonParser.parseString(RunOutputs.summaryJson(observed(), collapsed)).getAsJsonObject();
        assertEquals(1.5, o.get("ess_before_last_resampling").getAsDouble());
        assertEquals(1, o.get("last_resampling_step").getAsInt());
        assertEquals(1, o.get("distinct_samples").getAsInt());
        assertEquals(10, o.getAsJsonArray("unique_ancestors").size());
        assertEquals(1, o.get("unique_ancestors_last_resampling").getAsInt());
        assertTrue(o.getAsJsonArray("warnings").get(0).getAsString().startsWith("DFL-W0005: "));
        String trace = RunOutputs.traceCsv(observed(), collapsed);
        assertTrue(trace.contains("# ess_before_last_resampling = 1.50000\n"), trace);
        assertTrue(trace.contains("# distinct_samples = 1\n"), trace);
        assertTrue(trace.contains("# unique_ancestors_last_resampling = 1\n"), trace);
        assertTrue(trace.contains("# warning = DFL-W0005\n"), trace);
    }
}
