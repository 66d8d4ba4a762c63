package dfl.cli.repl;

import dfl.api.DflModel;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.cli.plot.RunPlots;
import dfl.compiler.AnalysisPrinter;
import dfl.compiler.Checked;
import dfl.compiler.CompileResult;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.diag.Suggest;
import dfl.plan.PlanPrinter;
import dfl.plan.SamplerPlan;
import dfl.runtime.output.RunOutputs;
import dfl.runtime.run.StepListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The read-eval-print loop of {@code dfl repl}: statements build up a {@link Session}; lines starting with
 * {@code :} are commands. An unfinished statement (an open bracket, no {@code ;} yet) continues on the next
 * line; an empty line ends it early. Nothing the user types ends the session except {@code :quit} and Ctrl-D.
 */
public final class Repl {

    /** The commands with their one-line help, in the order {@code :help} lists them. */
    static final Map<String, String> COMMANDS = commands();

    private static Map<String, String> commands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(":help", "[NAME]  this list, or the documentation of a built-in function or a command");
        m.put(":load", "FILE  add the statements of a .dfl file (its sample statement replaces the session's)");
        m.put(":list", "print the session's program, numbered as in diagnostics");
        m.put(":show", "NAME  the value, kind and shape of a name, and its definition; for the latent after :run, a summary of its samples");
        m.put(":plan", "compile the session and print the sampler plan");
        m.put(":run", "[--particles K] [--steps T] [--seed N] [--out DIR] [--plots] [--data NAME=FILE]  sample and write the outputs");
        m.put(":save", "FILE  write the session's program to a .dfl file");
        m.put(":undo", "take back the last statement, :load or :reset");
        m.put(":reset", "forget every statement");
        m.put(":quit", "leave (also Ctrl-D)");
        return m;
    }

    private final LineInput in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Path cwd;
    private final Session session = new Session();
    private final AtomicReference<SamplerRun> running = new AtomicReference<>();
    private Path dataDir;
    /** Data files bound at every :run ({@code dfl repl --data}). */
    private final Map<String, Path> sessionData = new LinkedHashMap<>();
    /** The latent and result of the last :run, for {@code :show}. */
    private record LastRun(String latent, Result result) {}
    private LastRun lastRun;
    private boolean hadErrors;
    private boolean quit;

    /**
     * @param cwd the folder relative paths ({@code :load}, {@code --out}, data files) resolve against
     */
    public Repl(LineInput in, PrintWriter out, PrintWriter err, Path cwd) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.cwd = cwd.toAbsolutePath();
        this.dataDir = this.cwd;
    }

    /** Binds data files at every {@code :run} of the session ({@code dfl repl --data NAME=FILE}). */
    public void bindData(Map<String, Path> data) {
        sessionData.putAll(data);
    }

    /** The session's names, for completion. */
    List<String> names() {
        return session.names();
    }

    /**
     * Reads and evaluates until {@code :quit} or the end of input.
     *
     * @return 0, or 65 when input was piped and some statement or command failed (so scripts can tell)
     */
    public int loop() {
        if (in.interactive()) out.println("DFL " + RunOutputs.DFL_VERSION + " — statements end with ';'. :help lists the commands, Ctrl-D leaves.");
        StringBuilder pending = new StringBuilder();
        while (!quit) {
            String line;
            try {
                line = in.readLine(pending.length() == 0 ? "dfl> " : "...> ");
            } catch (LineInput.Interrupted e) {
                pending.setLength(0);
                continue;
            }
            if (line == null) {
                if (pending.length() > 0) evaluate(pending.toString());
                break;
            }
            if (pending.length() == 0) {
                String t = line.strip();
                if (t.isEmpty()) continue;
                if (t.startsWith(":")) {
                    command(t);
                    out.flush();
                    err.flush();
                    continue;
                }
            } else if (line.isBlank()) {
                // an empty line gives up on an unfinished statement and shows why it does not parse
                evaluate(pending.toString());
                pending.setLength(0);
                continue;
            }
            pending.append(line).append('\n');
            if (Session.isExpression(pending.toString())) {
                evaluateExpression(pending.toString());
                pending.setLength(0);
                continue;
            }
            if (Session.incomplete(pending.toString())) continue;
            evaluate(pending.toString());
            pending.setLength(0);
        }
        out.flush();
        err.flush();
        return !in.interactive() && hadErrors ? 65 : 0;
    }

    /** Enters statements; prints their diagnostics. Returns whether they were accepted. */
    boolean evaluate(String chunk) {
        Session.Outcome o = session.submit(chunk);
        if (!o.diagnostics().isEmpty()) {
            err.println(DiagnosticRenderer.renderAll(o.shown(), o.diagnostics()));
        }
        if (!o.accepted()) {
            hadErrors = true;
            if (o.hasErrors()) err.println("(not added: " + DiagnosticRenderer.summary(o.diagnostics()) + ")");
        }
        out.flush();
        err.flush();
        return o.accepted();
    }

    /** Prints the value, kind and shape of an expression typed at the prompt (the session is not changed). */
    void evaluateExpression(String chunk) {
        String name = chunk.strip().replaceFirst(";$", "").strip();
        if (session.names().contains(name) || (lastRun != null && lastRun.latent().equals(name))) {
            show(name); // a bound name (or the latent after a run) is shown as :show shows it
            return;
        }
        Session.Evaluated e = session.evaluate(chunk);
        if (!e.diagnostics().isEmpty()) {
            hadErrors = true;
            err.println(DiagnosticRenderer.renderAll(e.shown(), e.diagnostics()));
        } else if (e.value().isEmpty() || e.value().get() instanceof Value.Error) {
            fail("'" + e.shown().text() + "' has no value");
        } else {
            describe(e.shown().text(), e.value().get());
        }
        out.flush();
        err.flush();
    }

    /** {@code label: kind} and, where known before a run, {@code value: ...}. */
    private void describe(String label, Value v) {
        out.println(label + ": " + AnalysisPrinter.kind(v));
        String value = AnalysisPrinter.value(v);
        if (v instanceof Value.Tensor t && t.shape() != null && !t.dependsOnLatent()
                && !(t.expr() instanceof dfl.plan.TensorExpr.Const c && c.values().size() <= 8)) {
            try {
                value = Values.format(Session.compiler().optWorkingDir(cwd).optModelDir(dataDir).evaluate(t), t.shape().toArray());
            } catch (DflRunException e) {
                value = "cannot be computed: " + e.diagnostic().message() + " [" + e.code().printed() + "]";
            }
        }
        if (value != null) out.println("  value: " + value.replace(Session.EXPRESSION, label));
    }

    /** Runs one {@code :command} line. */
    void command(String line) {
        String[] parts = line.strip().split("\\s+", 2);
        String name = parts[0];
        String rest = parts.length > 1 ? parts[1].strip() : "";
        try {
            switch (name) {
                case ":help", ":h", ":?" -> help(rest);
                case ":quit", ":q", ":exit" -> quit = true;
                case ":load" -> load(rest);
                case ":list" -> out.print(session.source().text());
                case ":save" -> save(rest);
                case ":show" -> show(rest);
                case ":plan" -> plan();
                case ":run" -> run(rest);
                case ":undo" -> {
                    if (!session.undo()) fail("nothing to undo");
                }
                case ":reset" -> {
                    session.reset();
                    out.println("session cleared (:undo brings it back)");
                }
                default -> fail("unknown command '" + name + "'. "
                        + Suggest.didYouMean(name, COMMANDS.keySet()).orElse("Type :help for the list."));
            }
        } catch (RuntimeException e) {
            // a bug in a command must not end the session
            fail("internal error in " + name + ": " + e + " (this is a bug in DFL)");
        }
    }

    private void fail(String message) {
        hadErrors = true;
        err.println("dfl: " + message);
    }

    private void help(String name) {
        if (!name.isEmpty()) {
            helpOn(name);
            return;
        }
        out.println("Type DFL statements (they end with ';'); each one is checked at once and added to the session.");
        out.println("Redefining a name, or entering another 'x ~', 'compose' or 'sample', replaces the earlier one.");
        for (Entry<String, String> e : COMMANDS.entrySet()) {
            out.printf(Locale.ROOT, "  %-7s %s%n", e.getKey(), e.getValue());
        }
        out.println("Typing an expression (A, A @ [1, 2]) prints its value, kind and shape. :help NAME documents a built-in.");
        out.println("Tab completes built-ins, names, sampler arguments and commands. Ctrl-C stops a run, or clears the line.");
    }

    /** The documentation of one built-in function (from the standard library's own signatures) or command. */
    private void helpOn(String name) {
        String command = name.startsWith(":") ? name : ":" + name;
        Optional<dfl.compiler.builtin.Builtin> b = dfl.stdlib.Stdlib.registry().lookup(name);
        if (b.isPresent()) {
            out.println(b.get().signature().display(b.get().name()));
            out.println("  " + b.get().summary());
            for (dfl.compiler.builtin.Param p : b.get().signature().params()) {
                out.printf(Locale.ROOT, "  %-10s %s%s%n", p.name(), p.expects(), p.required() ? "" : " (optional)");
            }
            if (b.get().signature().variadic()) out.println("  ...        any number of positional arguments");
        } else if (COMMANDS.containsKey(command)) {
            out.println(command + " " + COMMANDS.get(command));
        } else {
            List<String> known = new java.util.ArrayList<>(COMMANDS.keySet());
            dfl.stdlib.Stdlib.registry().all().forEach(x -> known.add(x.name()));
            fail("no built-in function or command is named '" + name + "'. "
                    + Suggest.didYouMean(name, known).orElse("The built-ins are listed by dfl models."));
        }
    }

    /** Writes the session's program to {@code file} (replacing it), as :list prints it. */
    private void save(String file) {
        if (file.isEmpty()) {
            fail(":save needs a file, e.g. :save model.dfl");
            return;
        }
        if (session.isEmpty()) {
            fail("the session is empty: there is nothing to save");
            return;
        }
        Path p = cwd.resolve(file);
        try {
            if (p.getParent() != null) Files.createDirectories(p.getParent());
            dfl.runtime.output.AtomicFiles.writeString(p, session.source().text());
        } catch (IOException e) {
            fail("cannot write '" + file + "': " + e.getMessage());
            return;
        }
        out.println("saved to " + file + " (:load " + file + " reads it back)");
    }

    private void load(String file) {
        if (file.isEmpty()) {
            fail(":load needs a file, e.g. :load examples/toy/posterior2d.dfl");
            return;
        }
        Path p = cwd.resolve(file);
        String text;
        try {
            byte[] bytes = Files.readAllBytes(p);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            fail("no such file: '" + file + "'");
            return;
        } catch (CharacterCodingException e) {
            fail("'" + file + "' is not UTF-8 text");
            return;
        } catch (IOException e) {
            fail("cannot read '" + file + "': " + dfl.stdlib.runtime.DataFiles.why(e));
            return;
        }
        if (evaluate(text)) {
            dataDir = p.toAbsolutePath().getParent();
            out.println("loaded " + file);
        }
    }

    private void show(String name) {
        if (name.isEmpty()) {
            fail(":show needs a name, e.g. :show prior");
            return;
        }
        Checked analysis = session.compile().analysis();
        Optional<Value> v = analysis.binding(name).map(Checked.Binding::value)
                .or(() -> analysis.latent().filter(l -> l.name().equals(name)).flatMap(Checked.Latent::shape).map(AnalysisPrinter::latent))
                .filter(x -> !(x instanceof Value.Error));
        if (v.isEmpty()) {
            fail("'" + name + "' is not bound in the session. " + Suggest.didYouMean(name, session.names())
                    .orElse(session.names().isEmpty() ? "Nothing is bound yet." : "Bound: " + String.join(", ", session.names()) + "."));
            return;
        }
        describe(name, v.get());
        session.definition(name).ifPresent(d -> out.println("  defined by: " + d));
        if (lastRun != null && lastRun.latent().equals(name)) showSamples(lastRun.result());
    }

    /** The summary of the last run's samples of the latent (dfl summary's table). */
    private void showSamples(Result r) {
        int[] shape = r.shape();
        List<dfl.runtime.output.WeightedSummary.Row> rows = dfl.runtime.output.WeightedSummary.rows(lastRun.latent(), shape, r.samples(),
                r.weights(), dfl.runtime.output.WeightedSummary.byStatistic(shape));
        String before = r.essBeforeLastResampling().isPresent()
                ? String.format(Locale.ROOT, "; %.1f before the last resampling, %s", r.essBeforeLastResampling().getAsDouble(),
                        dfl.runtime.output.RunReport.ancestors(r.uniqueAncestorsLastResampling().getAsInt()))
                : "";
        out.printf(Locale.ROOT, "  samples of the last :run: %s, %d samples, ESS %.1f (Kish%s), %d distinct%n", r.sampler(), r.size(),
                dfl.runtime.output.WeightedSummary.ess(r.weights()), before, r.distinctSamples());
        for (String line : dfl.cli.SummaryTable.text(rows).split("\n")) out.println("  " + line);
    }

    /** Compiles the session for :plan and :run; prints the diagnostics; empty when there is no plan. */
    private Optional<CompileResult> compiled() {
        if (session.isEmpty()) {
            fail("the session is empty: enter statements first, or :load a file");
            return Optional.empty();
        }
        CompileResult r = session.compile();
        List<Diagnostic> ds = r.diagnostics().stream().filter(d -> d.isError() || d.code() != dfl.diag.Code.W0001).toList();
        if (!ds.isEmpty()) err.println(DiagnosticRenderer.renderAll(r.source(), ds));
        if (r.plan().isEmpty()) {
            hadErrors = true;
            return Optional.empty();
        }
        return Optional.of(r);
    }

    private void plan() {
        compiled().flatMap(CompileResult::plan).ifPresent(p -> out.print(PlanPrinter.print(p)));
    }

    private void run(String args) {
        dfl.cli.SamplingOptions a = new dfl.cli.SamplingOptions();
        try {
            new CommandLine(a).parseArgs(args.isEmpty() ? new String[0] : args.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            fail(e.getMessage() + ". Usage: :run " + COMMANDS.get(":run").split("  ")[0]);
            return;
        }
        if (a.invalidSizes() != null) {
            fail(a.invalidSizes());
            return;
        }
        Optional<CompileResult> compiled = compiled();
        if (compiled.isEmpty()) return;
        DflModel model;
        try {
            model = a.bind(Session.compiler().optWorkingDir(cwd).optModelDir(dataDir).model(compiled.get()), cwd, sessionData);
        } catch (dfl.cli.SamplingOptions.DataBindingException e) {
            hadErrors = true;
            err.println(DiagnosticRenderer.renderAll(session.source(), e.diagnostics()));
            return;
        }
        SamplerPlan plan = model.plan();
        Path dir = cwd.resolve(a.out != null ? a.out : Path.of(plan.outDir().orElse("out/" + plan.modelName())));
        try {
            dfl.runtime.output.OutputFolder.checkTarget(dir); // before sampling, not after
        } catch (IOException e) {
            fail("cannot write the outputs to " + dir + ": " + e.getMessage());
            return;
        }
        StepListener listener = in.interactive() ? new StepProgress(out, plan.sampler().name()) : StepListener.NONE;
        Result result;
        try (SamplerRun run = a.sampler(model).optListener(listener)
                .optCommandLine(args.isEmpty() ? List.of("dfl", "repl", ":run") : List.of("dfl", "repl", ":run " + args)).build();
                AutoCloseable ctrlC = in.interactive() ? in.onInterrupt(run::cancel) : () -> {}) {
            running.set(run);
            result = run.run();
            result.writeTo(dir);
            lastRun = new LastRun(plan.latent().name(), result);
            if (a.plots) RunPlots.write(dir, result.runResult());
        } catch (DflRunException e) {
            hadErrors = true;
            err.println(e.rendered());
            return;
        } catch (CancellationException e) {
            if (listener instanceof StepProgress sp) sp.finish();
            err.println("run cancelled; nothing was written, the session is kept");
            return;
        } catch (IOException e) {
            fail("cannot write the outputs to " + dir + ": " + e.getMessage());
            return;
        } catch (Exception e) {
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e);
        } finally {
            running.set(null);
        }
        if (listener instanceof StepProgress sp) sp.finish();
        out.println(result.summary() + " → " + dir);
        if (!result.warnings().isEmpty()) err.println(DiagnosticRenderer.renderAll(session.source(), result.warnings()));
    }

    /** Cancels the run in progress, if any (Ctrl-C; tests). Returns whether one was running. */
    boolean cancelRun() {
        SamplerRun run = running.get();
        if (run == null) return false;
        run.cancel();
        return true;
    }
}
