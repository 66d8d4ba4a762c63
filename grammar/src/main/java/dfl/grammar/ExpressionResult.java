package dfl.grammar;

import dfl.ast.Expr;
import dfl.diag.Diagnostic;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of parsing a single expression (see {@link Parse#expression}).
 *
 * @param expression  the expression, present exactly when there are no errors
 * @param diagnostics lexical and syntax errors (empty on success)
 * @param incomplete  true when every error is caused by the input ending early
 */
public record ExpressionResult(Optional<Expr> expression, List<Diagnostic> diagnostics, boolean incomplete) {

    public ExpressionResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** Whether any diagnostic is an error. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
