package dfl.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dfl.compiler.CompileResult;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints diagnostics to stderr the one way a command's settings ask for: as {@link DiagnosticRenderer} renders them
 * (colored with {@code --color}), or with {@code --message-format json} one JSON object per diagnostic and line, with
 * the human summary lines ("2 errors") left out so that stderr is JSON only.
 */
final class Reporter {

    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String RESET = "\u001b[0m";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final PrintWriter err;
    private final boolean color;
    private final boolean json;

    Reporter(PrintWriter err, boolean color, boolean json) {
        this.err = err;
        this.color = color;
        this.json = json;
    }

    /** The reporter of a command: its stderr and the root command's {@code --color} and {@code --message-format}. */
    static Reporter of(CommandSpec spec) {
        Main main = (Main) spec.root().userObject();
        return new Reporter(spec.commandLine().getErr(), main.colorEnabled(), main.jsonMessages());
    }

    /** Whether output may be colored ({@code --color}, {@code NO_COLOR}). */
    boolean color() {
        return color;
    }

    /** Whether diagnostics are JSON. */
    boolean json() {
        return json;
    }

    /** Every diagnostic of a compile, errors and warnings alike. */
    void print(CompileResult result) {
        print(result.source(), result.diagnostics());
    }

    /** Diagnostics rendered against {@code source}. */
    void print(SourceFile source, List<Diagnostic> ds) {
        if (ds.isEmpty()) return;
        if (json) {
            for (Diagnostic d : ds) err.println(GSON.toJson(toJson(source, d)));
        } else {
            String text = DiagnosticRenderer.renderAll(source, ds);
            err.print(color ? paint(text) : text);
            if (!text.endsWith("\n")) err.println();
        }
        err.flush();
    }

    /** The count line ("1 error, 2 warnings"), in human format only. */
    void summary(List<Diagnostic> ds) {
        if (!json) err.println(DiagnosticRenderer.summary(ds));
    }

    /** One diagnostic as the JSON object {@code --message-format json} prints. */
    static JsonObject toJson(SourceFile source, Diagnostic d) {
        JsonObject o = new JsonObject();
        o.addProperty("code", d.code().printed());
        o.addProperty("severity", d.isError() ? "error" : "warning");
        o.addProperty("title", d.code().title());
        o.addProperty("file", source.name());
        Span s = d.span();
        o.add("line", s.isKnown() ? GSON.toJsonTree(s.startLine()) : null);
        o.add("column", s.isKnown() ? GSON.toJsonTree(s.startColumn()) : null);
        o.add("end_line", s.isKnown() ? GSON.toJsonTree(s.endLine()) : null);
        o.add("end_column", s.isKnown() ? GSON.toJsonTree(s.endColumn()) : null);
        o.addProperty("message", d.message());
        JsonArray hints = new JsonArray();
        d.hints().forEach(hints::add);
        o.add("hints", hints);
        o.addProperty("rendered", DiagnosticRenderer.render(source, d));
        return o;
    }

    /** Headers red (errors) or yellow (warnings), and the caret line under the source in the same color. */
    static String paint(String rendered) {
        StringBuilder out = new StringBuilder();
        String current = RED;
        for (String line : rendered.split("\n", -1)) {
            if (out.length() > 0) out.append('\n');
            if (line.startsWith("Error[")) {
                current = RED;
                out.append(RED).append(line).append(RESET);
            } else if (line.startsWith("Warning[")) {
                current = YELLOW;
                out.append(YELLOW).append(line).append(RESET);
            } else if (line.matches(" +\\| +[\\^~]+.*")) {
                int bar = line.indexOf('|') + 1;
                out.append(line, 0, bar).append(current).append(line.substring(bar)).append(RESET);
            } else {
                out.append(line);
            }
        }
        return out.toString();
    }
}
