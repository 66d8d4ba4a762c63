package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.run.StepStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StepProgressTest {

    private static final StepStats STATS = new StepStats(1, 0, 16, false, 16, 12.5, 0.2, 0, 0.01);

    @Test
    void annealedRunsShowTheLastLevelsAcceptance() {
        StringWriter text = new StringWriter();
        StepProgress p = new StepProgress(new PrintWriter(text), "annealed");
        p.onAcceptance(0.913);
        p.onStep(1, 1, STATS);
        assertTrue(text.toString().contains("ESS 13  max w 0.20  acceptance 0.91"), text.toString());
    }

    @Test
    void smcRunsShowNoAcceptance() {
        StringWriter text = new StringWriter();
        new StepProgress(new PrintWriter(text), "tds").onStep(1, 1, STATS);
        assertFalse(text.toString().contains("acceptance"), text.toString());
    }
}
