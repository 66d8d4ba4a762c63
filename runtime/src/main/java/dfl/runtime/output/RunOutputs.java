package dfl.runtime.output;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dfl.plan.SamplerPlan;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the outputs of {@code dfl run} into a folder, replaced as a unit ({@link OutputFolder}): {@code samples.npy}
 * (float32 [N, ...shape]), {@code log_weights.npy} (float64 [N]), {@code draws.npy} (float32 [N, ...shape], equal-weight
 * draws, see {@link Draws}), {@code summary.json}, {@code trace.csv} and, when the latent is an image,
 * {@code samples.png}. Files and the folder get the permissions the process's umask gives new files. A result with a
 * value that is not finite as written is refused with E0303 before any file is touched.
 */
public final class RunOutputs {

    /** The version written into summary.json and trace.csv: the build's project version (see {@link BuildInfo}). */
    public static final String DFL_VERSION = BuildInfo.version();

    private RunOutputs() {}

    /** Writes every output of {@code result} into {@code dir}, without observation panels or run record; returns the files written. */
    public static List<Path> writeAll(Path dir, SamplerPlan plan, RunResult result) throws IOException {
        return writeAll(dir, plan, result, List.of(), null);
    }

    /**
     * Writes every output of {@code result} into {@code dir}; {@code samples.png} shows the plan's image
     * observations beside the samples (read through {@code provider}). Returns the files written.
     */
    public static List<Path> writeAll(Path dir, SamplerPlan plan, RunResult result, RuntimeProvider provider)
            throws IOException {
        return writeAll(dir, plan, result, provider, null);
    }

    /**
     * Writes every output of {@code result} into {@code dir}, with {@code record} (how the run was made; null for none)
     * in summary.json and trace.csv. Returns the files written.
     */
    public static List<Path> writeAll(Path dir, SamplerPlan plan, RunResult result, RuntimeProvider provider, RunRecord record)
            throws IOException {
        return writeAll(dir, plan, result, plan == null ? List.of() : ObservationPanel.of(plan, provider), record);
    }

    private static List<Path> writeAll(Path dir, SamplerPlan plan, RunResult result, List<ObservationPanel> observations,
            RunRecord record) throws IOException {
        dfl.runtime.run.FiniteOutputs.check(result, false); // nothing written unless every value is representable
        // the folder is replaced as a unit: written beside it, then renamed into place
        return OutputFolder.replace(dir, staging -> writeInto(staging, plan, result, observations, record));
    }

    private static List<Path> writeInto(Path dir, SamplerPlan plan, RunResult result, List<ObservationPanel> observations,
            RunRecord record) throws IOException {
        List<Path> written = new ArrayList<>();
        int[] shape = result.shape().toArray();
        long[] full = new long[shape.length + 1];
        full[0] = result.particles();
        for (int i = 0; i < shape.length; i++) full[i + 1] = shape[i];
        int d = (int) result.shape().size();
        float[] flat = new float[result.particles() * d];
        for (int i = 0; i < result.particles(); i++) System.arraycopy(result.samples()[i], 0, flat, i * d, d);
        Path samples = dir.resolve("samples.npy");
        Npy.writeFloat32(samples, full, flat);
        written.add(samples);
        Path lw = dir.resolve("log_weights.npy");
        Npy.writeFloat64(lw, new long[] {result.particles()}, result.logWeights());
        written.add(lw);
        Path draws = dir.resolve("draws.npy");
        Npy.writeFloat32(draws, full, Draws.of(flat, d, result.weights(), result.seed()));
        written.add(draws);
        Path summary = dir.resolve("summary.json");
        AtomicFiles.writeString(summary, summaryJson(plan, result, record));
        written.add(summary);
        Path trace = dir.resolve("trace.csv");
        AtomicFiles.writeString(trace, traceCsv(plan, result, record));
        written.add(trace);
        if (SampleGrid.isImage(shape)) {
            Path png = dir.resolve("samples.png");
            SampleGrid.write(png, shape, result.samples(), result.logWeights(), observations);
            written.add(png);
        }
        return written;
    }

    /**
     * summary.json's text. {@code log_evidence} is null where the program has nothing to estimate (no observations and a
     * bare diffusion prior; see {@link RunReport}); {@code ess_before_last_resampling} and
     * {@code unique_ancestors_last_resampling} (null when no step resampled),
     * {@code final_ess} and {@code distinct_samples} tell a collapsed population from a healthy one, and {@code warnings}
     * lists the run-time warnings as printed codes with their messages.
     */
    public static String summaryJson(SamplerPlan plan, RunResult r) {
        return summaryJson(plan, r, null);
    }

    /** summary.json's text with the run record ({@link #writeAll(Path, SamplerPlan, RunResult, RuntimeProvider, RunRecord)}). */
    public static String summaryJson(SamplerPlan plan, RunResult r, RunRecord record) {
        RunReport report = RunReport.of(plan, r);
        JsonObject o = new JsonObject();
        o.addProperty("sampler", r.sampler());
        if (plan != null) o.addProperty("latent", plan.latent().name());
        JsonArray shape = new JsonArray();
        for (int n : r.shape().toArray()) shape.add(n);
        o.add("shape", shape);
        o.addProperty("seed", r.seed());
        o.addProperty("particles", r.particles());
        o.addProperty("steps", r.steps());
        if (report.evidence().isEmpty()) {
            o.add("log_evidence", JsonNull.INSTANCE);
        } else {
            o.addProperty("log_evidence", report.evidence().getAsDouble());
            if (!r.runLogEvidence().isEmpty()) {
                JsonArray runs = new JsonArray();
                for (double z : r.runLogEvidence()) runs.add(z);
                o.add("run_log_evidence", runs);
            }
        }
        JsonArray ess = new JsonArray();
        JsonArray essBefore = new JsonArray();
        JsonArray unique = new JsonArray();
        JsonArray maxW = new JsonArray();
        for (StepStats s : r.stats()) {
            ess.add(s.ess());
            essBefore.add(s.essBefore());
            unique.add(s.uniqueAncestors());
            maxW.add(s.maxWeight());
        }
        o.add("ess", ess);
        o.add("ess_before", essBefore);
        o.add("unique_ancestors", unique);
        o.add("max_weight", maxW);
        if (report.resampled()) {
            o.addProperty("ess_before_last_resampling", report.essBeforeLastResampling());
            o.addProperty("last_resampling_step", report.lastResamplingStep());
            o.addProperty("unique_ancestors_last_resampling", report.ancestorsLastResampling());
        } else {
            o.add("ess_before_last_resampling", JsonNull.INSTANCE);
            o.add("last_resampling_step", JsonNull.INSTANCE);
            o.add("unique_ancestors_last_resampling", JsonNull.INSTANCE);
        }
        o.addProperty("final_ess", report.finalEss());
        o.addProperty("distinct_samples", report.distinct());
        JsonArray warnings = new JsonArray();
        report.warnings().forEach(w -> warnings.add(w.code().printed() + ": " + w.message()));
        o.add("warnings", warnings);
        if (r.levels().isEmpty()) {
            o.add("acceptance", JsonNull.INSTANCE);
        } else {
            // annealed MCMC: per level, in the order of the steps above
            JsonArray acc = new JsonArray();
            JsonArray eta = new JsonArray();
            JsonArray evals = new JsonArray();
            for (dfl.runtime.run.LevelStats l : r.levels()) {
                acc.add(l.acceptance());
                eta.add(l.stepSize());
                evals.add(l.scoreEvaluations());
            }
            o.add("acceptance", acc);
            o.add("step_size", eta);
            o.add("score_evaluations", evals);
        }
        o.addProperty("seconds", r.seconds());
        o.addProperty("network_calls", r.networkCalls());
        o.addProperty("network_seconds", r.networkSeconds());
        o.addProperty("dfl_version", DFL_VERSION);
        o.addProperty("dfl_commit", BuildInfo.commit());
        o.addProperty("libtorch_version", dfl.runtime.LibTorch.version());
        if (record != null) addRecord(o, record);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create().toJson(o)
                + "\n";
    }

    /** How the run was made: command line, overrides, program, inputs with their hashes, time and threads. */
    private static void addRecord(JsonObject o, RunRecord record) {
        JsonArray cl = new JsonArray();
        record.commandLine().forEach(cl::add);
        o.add("command_line", cl);
        o.add("overrides", new com.google.gson.Gson().toJsonTree(record.overrides()));
        JsonObject program = new JsonObject();
        program.addProperty("path", record.program());
        program.addProperty("sha256", record.programSha256());
        o.add("program", program);
        JsonArray inputs = new JsonArray();
        for (RunRecord.Input i : record.inputs()) {
            JsonObject in = new JsonObject();
            in.addProperty("role", i.role());
            in.addProperty("name", i.name());
            in.addProperty("location", i.location());
            in.addProperty("sha256", i.sha256());
            inputs.add(in);
        }
        o.add("inputs", inputs);
        o.addProperty("timestamp", record.started().toString());
        JsonObject threads = new JsonObject();
        threads.addProperty("libtorch_intra_op", record.threads().libtorchIntraOp());
        threads.addProperty("libtorch_inter_op", record.threads().libtorchInterOp());
        threads.addProperty("java", record.threads().java());
        o.add("threads", threads);
    }

    /** trace.csv's text: a Stan-like '#' header, then one row per step. */
    public static String traceCsv(SamplerPlan plan, RunResult r) {
        return traceCsv(plan, r, null);
    }

    /** trace.csv's text with the run record as {@code # key = value} lines. */
    public static String traceCsv(SamplerPlan plan, RunResult r, RunRecord record) {
        StringBuilder s = new StringBuilder();
        s.append("# model = ").append(plan == null ? "" : plan.modelName()).append('\n');
        s.append("# sampler = ").append(r.sampler()).append('\n');
        if (plan != null && plan.sampler() != null) {
            for (String setting : dfl.plan.PlanPrinter.samplerSettings(plan)) s.append("# plan: ").append(setting).append('\n');
        }
        s.append("# seed = ").append(r.seed()).append('\n');
        s.append("# particles = ").append(r.particles()).append('\n');
        s.append("# steps = ").append(r.steps()).append('\n');
        s.append("# dfl_version = ").append(DFL_VERSION).append('\n');
        s.append("# dfl_commit = ").append(BuildInfo.commit()).append('\n');
        s.append("# libtorch_version = ").append(dfl.runtime.LibTorch.version()).append('\n');
        if (record != null) {
            s.append("# timestamp = ").append(record.started()).append('\n');
            if (!record.commandLine().isEmpty()) s.append("# command_line = ").append(oneLine(String.join(" ", record.commandLine()))).append('\n');
            record.sets().forEach((k, v) -> s.append("# set.").append(k).append(" = ").append(v).append('\n'));
            s.append("# program = ").append(oneLine(record.program())).append('\n');
            s.append("# program_sha256 = ").append(record.programSha256()).append('\n');
            for (RunRecord.Input i : record.inputs()) {
                s.append("# ").append(i.role()).append('.').append(oneLine(i.name())).append(".sha256 = ").append(i.sha256()).append('\n');
            }
            s.append("# threads.libtorch_intra_op = ").append(record.threads().libtorchIntraOp()).append('\n');
            s.append("# threads.libtorch_inter_op = ").append(record.threads().libtorchInterOp()).append('\n');
            s.append("# threads.java = ").append(record.threads().java()).append('\n');
        }
        RunReport report = RunReport.of(plan, r);
        s.append("# ess_before_last_resampling = ")
                .append(report.resampled() ? String.format(Locale.ROOT, "%.6g", report.essBeforeLastResampling()) : "none").append('\n');
        s.append("# last_resampling_step = ").append(report.resampled() ? String.valueOf(report.lastResamplingStep()) : "none").append('\n');
        s.append("# unique_ancestors_last_resampling = ")
                .append(report.resampled() ? String.valueOf(report.ancestorsLastResampling()) : "none").append('\n');
        s.append(String.format(Locale.ROOT, "# final_ess = %.6g", report.finalEss())).append('\n');
        s.append("# distinct_samples = ").append(report.distinct()).append('\n');
        report.warnings().forEach(w -> s.append("# warning = ").append(w.code().printed()).append('\n'));
        boolean mcmc = !r.levels().isEmpty() && r.levels().size() == r.stats().size();
        s.append("step,train_step,ess_before,resampled,unique_ancestors,ess,max_weight,log_evidence_increment,seconds")
                .append(mcmc ? ",acceptance,step_size,score_evaluations\n" : "\n");
        for (int i = 0; i < r.stats().size(); i++) {
            StepStats t = r.stats().get(i);
            s.append(String.format(Locale.ROOT, "%d,%d,%.6g,%d,%d,%.6g,%.6g,%.9g,%.6g", t.step(), t.trainStep(),
                    t.essBefore(), t.resampled() ? 1 : 0, t.uniqueAncestors(), t.ess(), t.maxWeight(),
                    t.logEvidenceIncrement(), t.seconds()));
            if (mcmc) {
                dfl.runtime.run.LevelStats l = r.levels().get(i);
                s.append(String.format(Locale.ROOT, ",%.6g,%.6g,%d", l.acceptance(), l.stepSize(), l.scoreEvaluations()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** A value on one header line: line breaks become spaces. */
    private static String oneLine(String v) {
        return v.replaceAll("\\R", " ");
    }
}
