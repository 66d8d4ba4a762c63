package dfl.grammar;

import dfl.ast.Program;
import dfl.diag.Diagnostic;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of parsing a program.
 *
 * @param program     the syntax tree, present exactly when there are no errors
 * @param diagnostics lexical and syntax errors in source order of discovery (empty on success)
 * @param incomplete  true when every error is caused by the input ending early (an unclosed
 *                    bracket, a missing {@code ;} at the end, an unterminated comment or a string
 *                    running into the end of the input): more input could still make it valid.
 *                    The REPL uses this to keep reading lines.
 */
public record ParseResult(Optional<Program> program, List<Diagnostic> diagnostics, boolean incomplete) {

    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether any diagnostic is an error. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
