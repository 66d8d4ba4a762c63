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
}
