package dfl.diag;

import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;

/**
 * The one place diagnostics become text, used by every module:
 * <pre>
 * Error[DFL-E0107] in 'm.dfl', line 3, column 17 to column 26:
 *    2 | prior = diffusion("mnist");
 *    3 | observe y ~ Normal(G(x), prior);
 *      |                 ^^^^^^^^^^
 * The message.
 * Did you mean 'σ'?
 * </pre>
 * The line before the span (if any) and the span's lines are shown with a right-aligned line
 * number gutter; the caret line underlines the span (for a span over several lines, from its start
 * to the end of its first line). Columns in spans count Unicode code points; when drawing, tabs
 * expand to the next multiple of {@value #TAB_WIDTH}, combining marks and format characters take no
 * width and East Asian wide characters take two, in the source line and the caret line alike,
 * so the caret stays under the right character. A diagnostic without a position prints the
 * header, message and hints only.
 */
public final class DiagnosticRenderer {
    private DiagnosticRenderer() {}

    /** Tab stops used when drawing source lines. */
    public static final int TAB_WIDTH = 4;

    /** Spans longer than this many lines show their first lines and an ellipsis. */
    private static final int MAX_SPAN_LINES = 4;

    /** Source lines wider than this many cells are shown as a window around the span. */
    static final int MAX_WIDTH = 120;

    /** One diagnostic, without a trailing newline. */
    public static String render(SourceFile src, Diagnostic d) {
        return render(src, d, src.lines());
    }

    /** Several diagnostics in the order given, separated by a blank line; no trailing newline. */
    public static String renderAll(SourceFile src, List<Diagnostic> diagnostics) {
        List<String> lines = src.lines();
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            if (sb.length() > 0) sb.append("\n\n");
            sb.append(render(src, d, lines));
        }
        return sb.toString();
    }

    /** A count such as {@code 2 errors, 1 warning}, {@code 1 error} or {@code no errors}. */
    public static String summary(List<Diagnostic> diagnostics) {
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        long warnings = diagnostics.size() - errors;
        if (errors == 0 && warnings == 0) return "no errors";
        String e = errors + (errors == 1 ? " error" : " errors");
        String w = warnings + (warnings == 1 ? " warning" : " warnings");
        if (warnings == 0) return e;
        if (errors == 0) return w;
        return e + ", " + w;
    }

    /** The first line of a rendered diagnostic, e.g. {@code Error[DFL-E0003] in 'm.dfl', line 2, column 5:}. */
    public static String header(SourceFile src, Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.severity().label()).append('[').append(d.code().printed()).append("] in '").append(src.name()).append('\'');
        Span s = d.span();
        if (s.isKnown()) {
            sb.append(", line ").append(s.startLine()).append(", column ").append(s.startColumn());
            if (s.endLine() != s.startLine()) {
                sb.append(" to line ").append(s.endLine()).append(", column ").append(s.endColumn());
            } else if (s.endColumn() != s.startColumn()) {
                sb.append(" to column ").append(s.endColumn());
            }
        }
        return sb.append(':').toString();
    }

    private static String render(SourceFile src, Diagnostic d, List<String> lines) {
        StringBuilder sb = new StringBuilder(header(src, d));
        Span s = d.span();
        if (s.isKnown() && s.startLine() <= lines.size() + 1) {
            int first = Math.max(1, s.startLine() - 1);
            int last = Math.min(Math.max(s.endLine(), s.startLine()), Math.min(lines.size(), s.startLine() + MAX_SPAN_LINES - 1));
            last = Math.max(last, s.startLine());
            int width = Math.max(4, String.valueOf(last).length());
            String blankGutter = " ".repeat(width) + " |";
            for (int n = first; n <= last; n++) {
                String text = n <= lines.size() ? lines.get(n - 1) : "";
                int startCol = n == s.startLine() ? s.startColumn() : 1;
                int endCol = n == s.startLine() && s.endLine() == s.startLine() ? s.endColumn() : Integer.MAX_VALUE;
                String[] shown = lineAndCarets(text, startCol, endCol);
                sb.append('\n').append(pad(n, width)).append(" |");
                if (!shown[0].isEmpty()) sb.append(' ').append(shown[0]);
                if (n == s.startLine()) sb.append('\n').append(blankGutter).append(' ').append(shown[1]);
            }
            if (s.endLine() > last && last < lines.size()) sb.append('\n').append(" ".repeat(width)).append(" | ...");
        }
        sb.append('\n').append(d.message());
        for (String h : d.hints()) sb.append('\n').append(h);
        return sb.toString();
    }

    private static String pad(int n, int width) {
        String s = String.valueOf(n);
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    /**
     * A source line as displayed and the caret line under it. Columns are 1-based code points,
     * {@code endCol} inclusive ({@link Integer#MAX_VALUE}: to the end of the line); a span past the end
     * of the line gets one caret there. Lines wider than {@value #MAX_WIDTH} cells are cut to a window
     * around the span, with "..." marking what was cut.
     */
    static String[] lineAndCarets(String line, int startCol, int endCol) {
        int[] cps = line.codePoints().toArray();
        String[] cell = new String[cps.length];
        int[] at = new int[cps.length + 1];
        int x = 0;
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            at[i] = x;
            if (cp == '\t') {
                int w = TAB_WIDTH - x % TAB_WIDTH;
                cell[i] = " ".repeat(w);
                x += w;
            } else if (Character.isISOControl(cp)) {
                cell[i] = "\uFFFD";   // never send raw control characters to the terminal
                x += 1;
            } else {
                cell[i] = new String(Character.toChars(cp));
                x += width(cp);
            }
        }
        at[cps.length] = x;
        int caretStart;
        int caretEnd;
        if (startCol >= 1 && startCol <= cps.length) {
            caretStart = at[startCol - 1];
            caretEnd = at[Math.min(cps.length, Math.max(startCol, endCol))];
        } else {
            caretStart = x + Math.max(0, startCol - cps.length - 1);
            caretEnd = caretStart + 1;
        }
        if (caretEnd <= caretStart) caretEnd = caretStart + 1;
        int from = 0;
        int to = Integer.MAX_VALUE;
        if (Math.max(x, caretEnd) > MAX_WIDTH) {
            from = Math.max(0, caretStart - MAX_WIDTH / 3);
            to = from + MAX_WIDTH;
        }
        StringBuilder shown = new StringBuilder(from > 0 ? "..." : "");
        for (int i = 0; i < cps.length; i++) {
            if (at[i] >= from && at[i + 1] <= to) shown.append(cell[i]);
        }
        if (x > to) shown.append("...");
        int shift = (from > 0 ? 3 : 0) - from;
        int cs = caretStart + shift;
        int ce = Math.min(caretEnd, to) + shift;
        String carets = " ".repeat(cs) + "^".repeat(Math.max(1, ce - cs));
        return new String[] {shown.toString().stripTrailing(), carets};
    }

    /** Display width of a code point in a terminal. */
    static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) return 0;
        if (Character.isISOControl(cp)) return 1;   // drawn as U+FFFD
        if (isWide(cp)) return 2;
        return 1;
    }

    private static boolean isWide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF)
                || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF)
                || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
                || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
