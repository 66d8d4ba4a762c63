package dfl.compiler;

import dfl.compiler.builtin.BuiltinRegistry;
import dfl.compiler.check.Lowering;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;
import dfl.grammar.Parse;
import dfl.grammar.ParseResult;
import dfl.plan.SamplerPlan;
import dfl.source.SourceFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DFL compiler: parse → resolve → typecheck → composition rules → lower to a
 * {@link SamplerPlan}. Pure: it reads no files and runs no user code, so untrusted source can be
 * compiled safely. Build one with {@link #builder()}.
 */
public final class Compiler {

    private final BuiltinRegistry builtins;
    private final Map<String, Value> overrides;
    private final boolean requireSample;
    private final boolean allowRedefinition;
    private final boolean inferLatent;

    private Compiler(Builder b) {
        this.builtins = b.builtins;
        this.overrides = Map.copyOf(b.overrides);
        this.requireSample = b.requireSample;
        this.allowRedefinition = b.allowRedefinition;
        this.inferLatent = b.inferLatent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses, checks and lowers a source file: {@code lower(check(source))}. */
    public CompileResult compile(SourceFile source) {
        return lower(check(source));
    }

    /** Parses and checks a source file: the analysis, with every diagnostic of parsing and checking; never throws on a user mistake. */
    public Checked check(SourceFile source) {
        ParseResult parsed = Parse.program(source);
        String name = modelName(source.name());
        if (parsed.program().isEmpty() || parsed.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            return Checked.unparsed(source, name, parsed.program(), parsed.diagnostics());
        }
        return Lowering.check(source, parsed.program().get(), name, options(), parsed.diagnostics());
    }

    /** Lowers a checked program to its plan (present only when neither stage reported an error); diagnostics in reading order. */
    public CompileResult lower(Checked checked) {
        List<Diagnostic> diagnostics = new ArrayList<>(checked.diagnostics());
        Optional<SamplerPlan> plan = Optional.empty();
        if (checked.parsed()) {
            Lowering.Lowered lowered = Lowering.lower(checked);
            diagnostics.addAll(lowered.diagnostics());
            plan = lowered.plan();
            // reading order: by position, so a file's problems read top to bottom
            diagnostics.sort(Comparator.comparingInt((Diagnostic d) -> d.span().startLine()).thenComparingInt(d -> d.span().startColumn()));
        }
        return new CompileResult(checked, plan, diagnostics);
    }

    private Lowering.Options options() {
        return new Lowering.Options(builtins, overrides, requireSample, allowRedefinition, inferLatent);
    }

    /** The model's name: the file name without folders and extension. */
    public static String modelName(String sourceName) {
        String n = sourceName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Builder: {@code set*} for required settings, {@code opt*} for optional ones. */
    public static final class Builder {
        private BuiltinRegistry builtins;
        private final Map<String, Value> overrides = new LinkedHashMap<>();
        private boolean requireSample = true;
        private boolean allowRedefinition;
        private boolean inferLatent;

        /** Required: the built-ins names resolve against (normally {@code Stdlib.registry()}). */
        public Builder setBuiltins(BuiltinRegistry registry) {
            this.builtins = registry;
            return this;
        }

        /** Replaces the value of a top-level binding ({@code --set name=value}, or data bound from Java). */
        public Builder optOverride(String name, Value value) {
            overrides.put(name, value);
            return this;
        }

        /** Whether a program without {@code sample} is an error (default true; the REPL plans without one). */
        public Builder optRequireSample(boolean require) {
            this.requireSample = require;
            return this;
        }

        /** Whether a name may be bound again (the REPL replaces earlier definitions). */
        public Builder optAllowRedefinition(boolean allow) {
            this.allowRedefinition = allow;
            return this;
        }

        /**
         * Whether, when no {@code sample x} or {@code x ~ prior} names the latent, an undefined name that an observation
         * uses is taken for it (the REPL, where a model may be entered in any order; default false).
         */
        public Builder optInferLatent(boolean infer) {
            this.inferLatent = infer;
            return this;
        }

        public Compiler build() {
            if (builtins == null) throw new IllegalStateException("setBuiltins(...) is required");
            return new Compiler(this);
        }
    }
}
