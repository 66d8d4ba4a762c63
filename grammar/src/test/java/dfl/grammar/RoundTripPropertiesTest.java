package dfl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Expr;
import dfl.ast.Printer;
import dfl.ast.Program;
import dfl.ast.Spans;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Printing then parsing gives back the same tree (spans aside), for generated trees of every kind. */
class RoundTripPropertiesTest {

    @Property(tries = 1000, seed = "20261122")
    void printThenParseGivesTheSameProgram(@ForAll("programs") Program program) {
        String text = Printer.print(program);
        SourceFile src = new SourceFile("printed.dfl", text);
        ParseResult r = Parse.program(src);
        assertTrue(r.diagnostics().isEmpty(), () -> text + "\n" + DiagnosticRenderer.renderAll(src, r.diagnostics()));
        assertEquals(program, Spans.strip(r.program().orElseThrow()), text);
        assertEquals(text, Printer.print(r.program().orElseThrow()), "printing is idempotent");
    }

    @Property(tries = 1000, seed = "20261123")
    void printThenParseGivesTheSameExpression(@ForAll("expressions") Expr e) {
        String text = Printer.print(e);
        ExpressionResult r = Parse.expression(new SourceFile("e", text));
        assertTrue(r.diagnostics().isEmpty(), () -> text + " " + r.diagnostics());
        assertEquals(e, Spans.strip(r.expression().orElseThrow()), text);
    }

    @Provide
    Arbitrary<Program> programs() {
        return AstArbitraries.programs();
    }

    @Provide
    Arbitrary<Expr> expressions() {
        return AstArbitraries.exprs(5);
    }
}
