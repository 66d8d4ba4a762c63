package dfl.source;

import java.util.List;

/**
 * The text of one DFL program and the name it is reported under (a path, or {@code <repl>}).
 */
public record SourceFile(String name, String text) {

    /** The source split into lines, without their terminators. */
    public List<String> lines() {
        return text.lines().toList();
    }

    /** Line {@code n} (1-based) of the text, or the empty string beyond the end. */
    public String line(int n) {
        List<String> lines = lines();
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
    }

    /** The text a known span covers (columns count code points, both ends inclusive), lines joined with '\n'. */
    public String slice(Span span) {
        List<String> lines = lines();
        StringBuilder sb = new StringBuilder();
        for (int l = span.startLine(); l <= span.endLine(); l++) {
            String line = lines.get(l - 1);
            int from = l == span.startLine() ? line.offsetByCodePoints(0, span.startColumn() - 1) : 0;
            int to = l == span.endLine() ? line.offsetByCodePoints(0, span.endColumn()) : line.length();
            if (l > span.startLine()) sb.append('\n');
            sb.append(line, from, to);
        }
        return sb.toString();
    }
}
