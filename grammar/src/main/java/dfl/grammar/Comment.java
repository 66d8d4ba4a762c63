package dfl.grammar;

import dfl.source.Span;

/**
 * A comment in a source ({@code // ...} to the end of the line, or {@code /* ... *}{@code /}), with its span: the parser
 * skips comments, {@link Parse#comments} finds them for {@code dfl fmt}.
 */
public record Comment(Span span, String text) {}
