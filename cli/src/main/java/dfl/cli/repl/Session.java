package dfl.cli.repl;

import dfl.ast.Stmt;
import dfl.api.Dfl;
import dfl.compiler.Checked;
import dfl.compiler.CompileResult;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.grammar.Parse;
import dfl.grammar.ParseResult;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The REPL's model: the statements entered so far, kept as a program that always compiles except for
 * being unfinished (no latent or prior yet). Entering a statement that binds a name already bound, or a
 * second {@code x ~ ...}, {@code compose} or {@code sample}, replaces the earlier one where it stood, so
 * the statements that use it see the new definition; the {@code sample} statement is always kept last.
 * A statement that makes the program wrong is rejected and the session stays as it was.
 */
final class Session {

    /** The name of the session program in diagnostics; also the model name (default output {@code out/repl/}). */
    static final String NAME = "repl";

    /** Errors that only say the program is not finished yet; a session may have them between lines. */
    static final Set<Code> UNFINISHED = Set.of(Code.E0201, Code.E0203, Code.E0215);

    /** One statement of the session: its replacement key (null: never replaced) and its source text. */
    record Entry(String key, String text) {}

    /** What happened to an entered chunk. */
    record Outcome(boolean accepted, SourceFile shown, List<Diagnostic> diagnostics, boolean incomplete) {
        boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    private List<Entry> entries = List.of();
    private final Deque<List<Entry>> undo = new ArrayDeque<>();

    /** The hidden binding an expression typed at the prompt is compiled as. */
    static final String EXPRESSION = "__repl_expression";

    /** What an expression typed at the prompt is: its value (when it compiles), or diagnostics against what was typed. */
    record Evaluated(Optional<Value> value, SourceFile shown, List<Diagnostic> diagnostics) {}

    /**
     * Whether {@code chunk} is an expression rather than statements: it is not a program but parses as one expression
     * (a trailing {@code ;} allowed), e.g. {@code A} or {@code A @ [1, 2]}.
     */
    static boolean isExpression(String chunk) {
        return !Parse.program(new SourceFile("input", chunk)).program().isPresent()
                && Parse.expression(new SourceFile("input", withoutSemicolon(chunk))).expression().isPresent();
    }

    /**
     * Compiles {@code expr} against the session, as a hidden binding placed after every statement (before
     * {@code sample}); the session does not change. Diagnostics of the expression point into what was typed.
     */
    Evaluated evaluate(String expr) {
        String text = withoutSemicolon(expr);
        String prefix = EXPRESSION + " = ";
        List<Entry> with = new ArrayList<>(entries);
        Entry e = new Entry(EXPRESSION, prefix + text + ";");
        with.add(e);
        CompileResult r = compile(with);
        int first = lineRanges(with, List.of(e)).get(0)[0];
        SourceFile input = new SourceFile("input", text);
        List<Diagnostic> mine = new ArrayList<>();
        List<Diagnostic> elsewhere = new ArrayList<>();
        for (Diagnostic d : r.errors()) {
            if (UNFINISHED.contains(d.code())) continue;
            Span sp = d.span();
            if (!sp.isKnown() || sp.startLine() < first) {
                elsewhere.add(d);
                continue;
            }
            int shift = prefix.codePointCount(0, prefix.length());
            Span moved = new Span(sp.startLine() - first + 1, sp.startLine() == first ? Math.max(1, sp.startColumn() - shift) : sp.startColumn(),
                    sp.endLine() - first + 1, sp.endLine() == first ? Math.max(1, sp.endColumn() - shift) : sp.endColumn());
            mine.add(new Diagnostic(d.code(), d.severity(), moved, d.message(), d.hints()));
        }
        if (!elsewhere.isEmpty()) return new Evaluated(Optional.empty(), r.source(), elsewhere);
        if (!mine.isEmpty()) return new Evaluated(Optional.empty(), input, mine);
        return new Evaluated(r.analysis().binding(EXPRESSION).map(Checked.Binding::value), input, List.of());
    }

    private static String withoutSemicolon(String chunk) {
        String t = chunk.strip();
        return t.endsWith(";") ? t.substring(0, t.length() - 1).strip() : t;
    }

    /** Whether the chunk is an unfinished statement that more lines could complete. */
    static boolean incomplete(String chunk) {
        return Parse.program(new SourceFile("input", chunk)).incomplete();
    }

    /**
     * Parses {@code chunk} (one or more statements), applies it to the session and compiles. Syntax errors are
     * reported against the chunk as typed ({@code 'input'}); other diagnostics against the session program.
     */
    Outcome submit(String chunk) {
        SourceFile input = new SourceFile("input", chunk);
        ParseResult parsed = Parse.program(input);
        if (parsed.program().isEmpty()) return new Outcome(false, input, parsed.diagnostics(), parsed.incomplete());
        List<Stmt> stmts = parsed.program().get().statements();
        if (stmts.isEmpty()) return new Outcome(true, input, List.of(), false);
        List<Entry> fresh = new ArrayList<>();
        for (Stmt s : stmts) fresh.add(new Entry(key(s), slice(chunk, s.span())));

        List<Entry> inPlace = apply(entries, fresh, true);
        CompileResult r = compile(inPlace);
        if (problems(r).isEmpty()) return accept(inPlace, r, fresh);
        // a redefinition that uses names bound after the old one cannot stand where the old one stood:
        // then it is added at the end and shadows the old definition from there on
        List<Entry> appended = apply(entries, fresh, false);
        if (!appended.equals(inPlace)) {
            CompileResult r2 = compile(appended);
            if (problems(r2).isEmpty()) return accept(appended, r2, fresh);
        }
        return new Outcome(false, r.source(), problems(r), false);
    }

    private Outcome accept(List<Entry> next, CompileResult r, List<Entry> fresh) {
        if (!next.equals(entries)) {
            undo.push(entries);
            entries = next;
        }
        // warnings about what was just entered; an unused binding is normal while a model is being built
        List<int[]> lines = lineRanges(next, fresh);
        List<Diagnostic> shown = r.warnings().stream()
                .filter(d -> d.code() != Code.W0001)
                .filter(d -> lines.stream().anyMatch(l -> d.span().startLine() >= l[0] && d.span().startLine() <= l[1]))
                .toList();
        return new Outcome(true, r.source(), shown, false);
    }

    /** Errors other than "not finished yet". */
    private static List<Diagnostic> problems(CompileResult r) {
        return r.diagnostics().stream().filter(d -> d.isError() && !UNFINISHED.contains(d.code())).toList();
    }

    /** The session program compiled as it stands (for {@code :plan} and {@code :run}). */
    CompileResult compile() {
        return compile(entries);
    }

    /** The session program's text. */
    SourceFile source() {
        return source(entries);
    }

    /** Whether no statement was entered since the start or the last reset. */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The names bound in the session (for completion), in order. */
    List<String> names() {
        return entries.stream().map(Entry::key).filter(k -> k != null && !k.startsWith(":")).distinct().toList();
    }

    /** The statement text that defines {@code name}, if any (the last one when shadowed). */
    Optional<String> definition(String name) {
        Optional<String> found = Optional.empty();
        for (Entry e : entries) if (name.equals(e.key())) found = Optional.of(e.text());
        return found;
    }

    /** Undoes the last accepted change; false when there is nothing to undo. */
    boolean undo() {
        if (undo.isEmpty()) return false;
        entries = undo.pop();
        return true;
    }

    /** Forgets every statement (undoable). */
    void reset() {
        if (entries.isEmpty()) return;
        undo.push(entries);
        entries = List.of();
    }

    /**
     * The REPL's compile settings: no sample statement needed, names may be bound again, and until a {@code sample x}
     * or {@code x ~ prior} statement names the latent, an undefined name that an observation uses is taken for it, so a
     * model can be entered in any order.
     */
    static Dfl.Builder compiler() {
        return Dfl.builder().optInteractive(true);
    }

    /** Compiles the entries with {@link #compiler()}. */
    static CompileResult compile(List<Entry> entries) {
        return compiler().check(source(entries));
    }

    /** Statements in order, the sample statement last, one per line (or more if it spans lines). */
    static SourceFile source(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : ordered(entries)) sb.append(e.text()).append('\n');
        return new SourceFile(NAME, sb.toString());
    }

    private static List<Entry> ordered(List<Entry> entries) {
        List<Entry> out = new ArrayList<>();
        Entry sample = null;
        for (Entry e : entries) {
            if (":sample".equals(e.key())) sample = e;
            else out.add(e);
        }
        if (sample != null) out.add(sample);
        return out;
    }

    /** 1-based line ranges of the fresh entries in the emitted program. */
    private static List<int[]> lineRanges(List<Entry> entries, List<Entry> fresh) {
        List<int[]> out = new ArrayList<>();
        int line = 1;
        for (Entry e : ordered(entries)) {
            int n = (int) e.text().lines().count();
            if (fresh.stream().anyMatch(f -> f == e)) out.add(new int[] {line, line + Math.max(n, 1) - 1});
            line += Math.max(n, 1);
        }
        return out;
    }

    private static List<Entry> apply(List<Entry> base, List<Entry> fresh, boolean replaceInPlace) {
        List<Entry> out = new ArrayList<>(base);
        for (Entry f : fresh) {
            int at = -1;
            if (f.key() != null) {
                for (int i = out.size() - 1; i >= 0; i--) if (f.key().equals(out.get(i).key())) { at = i; break; }
            }
            boolean structural = f.key() != null && f.key().startsWith(":");
            if (at >= 0 && (replaceInPlace || structural)) out.set(at, f);
            else out.add(f);
        }
        return List.copyOf(out);
    }

    /** Bindings and functions share one namespace; the latent, compose and sample statements are unique. */
    private static String key(Stmt s) {
        if (s instanceof Stmt.Binding b) return b.name().name();
        if (s instanceof Stmt.FunctionDef f) return f.name().name();
        if (s instanceof Stmt.Latent) return ":latent";
        if (s instanceof Stmt.Compose) return ":compose";
        if (s instanceof Stmt.Sample) return ":sample";
        return null;
    }

    /** The text of {@code span} (inclusive, code-point columns) in {@code text}. */
    static String slice(String text, Span span) {
        return new SourceFile("input", text).slice(span);
    }
}
