package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import java.io.PrintWriter;
import java.util.List;

/** Prints diagnostics the one way they are rendered, errors and warnings alike, to stderr. */
final class Reporter {

    private Reporter() {}

    static void print(CompileResult result, PrintWriter err) {
        List<Diagnostic> ds = result.diagnostics();
        if (ds.isEmpty()) return;
        printText(DiagnosticRenderer.renderAll(result.source(), ds), err);
    }

    /** Diagnostics of a run (a failure, or warnings such as W0005), rendered like any other against the model's source. */
    static void print(SourceFile source, List<Diagnostic> ds, PrintWriter err) {
        if (ds.isEmpty()) return;
        printText(DiagnosticRenderer.renderAll(source, ds), err);
    }

    private static void printText(String text, PrintWriter err) {
        err.print(text);
        if (!text.endsWith("\n")) err.println();
    }
}
