package dfl.spark;

import dfl.api.DflCompileException;
import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.diag.Diagnostic;
import dfl.runtime.DflRuntimeException;
import dfl.stdlib.runtime.DataFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The work of one partition: each observation's run, one after another on the task's thread, with the program
 * compiled once per executor and the networks borrowed from the executor's pool ({@link ExecutorState}). An
 * observation that fails (unreadable file, data of the wrong size, non-finite output) becomes a row with its
 * diagnostic code and message; the others go on.
 */
final class ObservationRunner implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final BatchProgram program;
    private final long seed;
    /** Tests only: a task's first attempt dies after this many observations (−1: never). */
    private final int killFirstAttemptAfter;

    ObservationRunner(BatchProgram program, long seed, int killFirstAttemptAfter) {
        this.program = program;
        this.seed = seed;
        this.killFirstAttemptAfter = killFirstAttemptAfter;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> observations) {
        DflModel model = ExecutorState.model(program);
        TaskContext task = TaskContext.get();
        List<Row> out = new ArrayList<>();
        while (observations.hasNext()) {
            if (killFirstAttemptAfter >= 0 && out.size() == killFirstAttemptAfter && task != null && task.attemptNumber() == 0) {
                throw new IllegalStateException("dfl batch test: the first attempt of task " + task.partitionId() + " dies here");
            }
            out.add(run(model, observations.next()));
        }
        return out.iterator();
    }

    /** One observation's result row. */
    Row run(DflModel model, Row obs) {
        String id = obs.getAs("id");
        long index = obs.<Long>getAs("index");
        String source = obs.getAs("source");
        long s = ObservationSeeds.of(seed, id);
        long t0 = System.nanoTime();
        try {
            double[] values = values(obs);
            SamplerRun.Builder b = model.bind(program.data(), values).sampler().optSeed(s).optNetworks(ExecutorState.networks());
            if (program.particles() > 0) b.optParticles(program.particles());
            if (program.steps() > 0) b.optSteps(program.steps());
            Result r;
            try (SamplerRun run = b.build()) {
                r = run.run();
            }
            return ok(id, index, source, s, r, seconds(t0));
        } catch (DflRunException e) {
            return failed(id, index, source, s, e.code().printed(), e.getCause().getMessage(), t0);
        } catch (DflRuntimeException e) {
            return failed(id, index, source, s, e.code().printed(), e.getMessage(), t0);
        } catch (DflCompileException e) {
            Diagnostic d = e.errors().isEmpty() ? e.diagnostics().get(0) : e.errors().get(0);
            return failed(id, index, source, s, d.code().printed(), d.message(), t0);
        } catch (IllegalArgumentException e) {
            // bind(...) refuses data of another size than the binding's
            return failed(id, index, source, s, dfl.diag.Code.E0302.printed(), e.getMessage(), t0);
        }
    }

    /** The observation's values: given in the row, or read from its file by the project's data readers. */
    private static double[] values(Row obs) {
        int i = obs.fieldIndex("values");
        if (!obs.isNullAt(i)) {
            return Rows.doubles(obs.getList(i));
        }
        return DataFiles.read(Path.of(obs.<String>getAs("path")));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static Row ok(String id, long index, String source, long seed, Result r, double seconds) {
        float[][] samples = r.samples();
        List<Object> rows = new ArrayList<>(samples.length);
        for (float[] sample : samples) rows.add(Rows.seq(Rows.boxed(sample)));
        int unique = r.runResult().lastResampling().map(dfl.runtime.run.StepStats::uniqueAncestors).orElse(r.size());
        Double ess = dfl.runtime.smc.Ess.of(r.weights());
        String warnings = r.warnings().stream().map(w -> w.code().printed() + ": " + w.message()).collect(Collectors.joining("; "));
        return RowFactory.create(id, index, source, seed, BatchSchema.OK, null, null,
                r.logEvidence().isPresent() ? r.logEvidence().getAsDouble() : null, ess,
                r.essBeforeLastResampling().isPresent() ? r.essBeforeLastResampling().getAsDouble() : null, unique,
                r.distinctSamples(), seconds, Rows.seq(Rows.boxed(r.shape())), Rows.seq(Rows.boxed(r.mean())), Rows.seq(rows), Rows.seq(Rows.boxed(r.weights())),
                warnings.isEmpty() ? null : warnings);
    }

    private static Row failed(String id, long index, String source, long seed, String code, String message, long t0) {
        return RowFactory.create(id, index, source, seed, BatchSchema.FAILED, code, message, null, null, null, null, null,
                seconds(t0), null, null, null, null, null);
    }
}
