package dfl.source;

/**
 * A region of a source file: 1-based lines and columns, both ends inclusive
 * (the end column is the column of the region's last character).
 */
public record Span(int startLine, int startColumn, int endLine, int endColumn) {

    /** The span of nodes that do not come from source text (synthesised or spans stripped for comparison). */
    public static final Span NONE = new Span(0, 0, 0, 0);

    /** Whether this span points into the source. */
    public boolean isKnown() {
        return startLine > 0;
    }

    /** The smallest span covering both this and {@code other}; unknown spans are ignored. */
    public Span to(Span other) {
        if (!isKnown()) return other;
        if (!other.isKnown()) return this;
        boolean thisStartsFirst = startLine < other.startLine
                || (startLine == other.startLine && startColumn <= other.startColumn);
        boolean thisEndsLast = endLine > other.endLine
                || (endLine == other.endLine && endColumn >= other.endColumn);
        return new Span(
                thisStartsFirst ? startLine : other.startLine,
                thisStartsFirst ? startColumn : other.startColumn,
                thisEndsLast ? endLine : other.endLine,
                thisEndsLast ? endColumn : other.endColumn);
    }

    /** A one-character span. */
    public static Span at(int line, int column) {
        return new Span(line, column, line, column);
    }

    @Override
    public String toString() {
        return startLine + ":" + startColumn + "-" + endLine + ":" + endColumn;
    }
}
