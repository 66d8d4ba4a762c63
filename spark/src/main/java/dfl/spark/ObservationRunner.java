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
 * The work of one partition, with the program compiled once per executor and the networks borrowed from the executor's
 * pool ({@link ExecutorState}). Consecutive observations of one group (the same {@code index / group}, at most
 * {@code group} of them) share every network call where the program allows it ({@link SamplerRun#runEach}); otherwise,
 * and for a group in which any run fails, each observation runs by itself. An observation that fails (unreadable file,
 * data of the wrong size, non-finite output) becomes a row with its diagnostic code and message; the others go on.
 */
final class ObservationRunner implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final BatchProgram program;
    private final long seed;
    /** Observations per shared network call (1: each by itself; the driver gives 1 where the program does not allow more). */
    private final int group;
    /** Tests only: a task's first attempt dies after this many observations (−1: never). */
    private final int killFirstAttemptAfter;

    ObservationRunner(BatchProgram program, long seed, int group, int killFirstAttemptAfter) {
        this.program = program;
        this.seed = seed;
        this.group = group;
        this.killFirstAttemptAfter = killFirstAttemptAfter;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> observations) {
        DflModel model = ExecutorState.model(program);
        TaskContext task = TaskContext.get();
        List<Row> out = new ArrayList<>();
        List<Row> pending = new ArrayList<>();
        while (observations.hasNext()) {
            Row obs = observations.next();
            if (!pending.isEmpty() && (pending.size() == group || key(pending.get(0)) != key(obs))) {
                runGroup(model, pending, out, task);
                pending.clear();
            }
            pending.add(obs);
        }
        if (!pending.isEmpty()) runGroup(model, pending, out, task);
        return out.iterator();
    }

    /** The group of an observation: its listing index divided by the group size. */
    private long key(Row obs) {
        return Math.floorDiv(obs.<Long>getAs("index"), Math.max(1, group));
    }

    private void runGroup(DflModel model, List<Row> rows, List<Row> out, TaskContext task) {
        if (killFirstAttemptAfter >= 0 && out.size() >= killFirstAttemptAfter && task != null && task.attemptNumber() == 0) {
            throw new IllegalStateException("dfl batch test: the first attempt of task " + task.partitionId() + " dies here");
        }
        if (rows.size() == 1 || !runTogether(model, rows, out)) {
            for (Row obs : rows) out.add(run(model, obs));
        }
    }

    /**
     * Runs {@code rows} sharing network calls and adds their rows; false (nothing added) when any of them fails, so that
     * each then runs by itself and a failure is that observation's own. Each row's seconds are its share of the group's.
     */
    private boolean runTogether(DflModel model, List<Row> rows, List<Row> out) {
        long t0 = System.nanoTime();
        List<double[]> values = new ArrayList<>();
        long[] seeds = new long[rows.size()];
        try {
            for (int b = 0; b < rows.size(); b++) {
                values.add(values(rows.get(b)));
                seeds[b] = ObservationSeeds.of(seed, rows.get(b).getAs("id"));
            }
            List<Result> results;
            try (SamplerRun run = sampler(model).build()) {
                results = run.runEach(program.data(), values, seeds);
            }
            double each = seconds(t0) / rows.size();
            for (int b = 0; b < rows.size(); b++) {
                Row obs = rows.get(b);
                out.add(ok(obs.getAs("id"), obs.<Long>getAs("index"), obs.getAs("source"), seeds[b], results.get(b), each));
            }
            return true;
        } catch (RuntimeException e) {
            if (e instanceof java.util.concurrent.CancellationException) throw e;
            org.slf4j.LoggerFactory.getLogger(ObservationRunner.class).warn("dfl batch: the group of {} ({} observations) failed "
                    + "together ({}); running them one by one", rows.get(0).<String>getAs("id"), rows.size(), e.getMessage());
            return false;
        }
    }

    /** The sampler with the batch's sizes and the executor's network pool (the seed is set per observation). */
    private SamplerRun.Builder sampler(DflModel model) {
        SamplerRun.Builder b = model.sampler().optNetworks(ExecutorState.networks());
        if (program.particles() > 0) b.optParticles(program.particles());
        if (program.steps() > 0) b.optSteps(program.steps());
        return b;
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
            Result r;
            try (SamplerRun run = sampler(model.bind(program.data(), values)).optSeed(s).build()) {
                r = run.run();
            }
            return ok(id, index, source, s, r, seconds(t0));
        } catch (DflRunException e) {
            return failed(id, index, source, s, e.code().printed(), e.getCause().getMessage(), t0);
        } catch (DflRuntimeException e) {
            return failed(id, index, source, s, e.code().printed(), e.getMessage(), t0);
        } catch (DflCompileException e) {
            // e.g. a number binding's value that the program does not accept (a label out of range): where it was refused
            Diagnostic d = e.errors().isEmpty() ? e.diagnostics().get(0) : e.errors().get(0);
            String at = d.span().isKnown() ? " (" + program.name() + ":" + d.span().startLine() + ":" + d.span().startColumn() + ")" : "";
            return failed(id, index, source, s, d.code().printed(), d.message() + at, t0);
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
