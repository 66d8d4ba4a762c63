package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.diag.Code;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 15, item 5: checking a program of at most 10 KB takes at most 2 s and allocates at most 512 MB, whatever the
 * program: random mixtures of the known ways to make a small program expensive (functions that call the previous one
 * several times, bindings that double, literals of literals, broadcasts of constants, huge built-in sizes) and of
 * ordinary statements. Memory is measured as the bytes the checking thread allocated
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), which bounds its peak from above.
 */
class CheckBudgetProperties {

    private static final Compiler COMPILER = Compiler.builder().setBuiltins(Stdlib.registry()).build();
    private static final int MAX_SOURCE = 10 * 1024;
    private static final double MAX_SECONDS = 2.0;
    private static final long MAX_BYTES = 512L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final String PRIOR = "prior = diffusion(gmm(means = [[0, 0]], std = 1));\n";
    private static final String SAMPLE = "sample x with tds(particles = 4, steps = 3);\n";

    /** Checks {@code text} and returns the result, failing when it took more than the time or memory budget. */
    private static CompileResult checkedWithinBudget(String text) {
        assertTrue(text.length() <= MAX_SOURCE, "generator made " + text.length() + " characters");
        long thread = Thread.currentThread().getId();
        long bytes0 = THREADS.getThreadAllocatedBytes(thread);
        long t0 = System.nanoTime();
        CompileResult r = COMPILER.compile(new SourceFile("budget.dfl", text));
        double seconds = (System.nanoTime() - t0) * 1e-9;
        long bytes = THREADS.getThreadAllocatedBytes(thread) - bytes0;
        String head = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        assertTrue(seconds <= MAX_SECONDS, String.format("check took %.2f s (limit %.1f s) for:%n%s", seconds, MAX_SECONDS, head));
        assertTrue(bytes <= MAX_BYTES, String.format("check allocated %,d bytes (limit %,d) for:%n%s", bytes, MAX_BYTES, head));
        assertEquals(r.hasErrors(), r.plan().isEmpty());
        return r;
    }

    @Property(tries = 150)
    void anyProgramOfTenKilobytesIsCheckedWithinTwoSecondsAndHalfAGigabyte(@ForAll("programs") String text) {
        checkedWithinBudget(text);
    }

    /** The reproducers: 25 and 40 levels of doubling functions took 17.6 s / 4.5 GB and more than 240 s. */
    @Example
    void doublingFunctionsAreStoppedWithTheLimitNamed() {
        for (int levels : new int[] {25, 40}) {
            CompileResult r = checkedWithinBudget(PRIOR + doubling(levels, 2) + "observe [1, 1] ~ Normal(F" + levels + "(x), 1);\n" + SAMPLE);
            assertEquals(List.of(Code.E0117), r.diagnostics().stream().map(d -> d.code()).filter(c -> c.name().startsWith("E")).toList());
            String m = r.diagnostics().get(0).message();
            assertTrue(m.contains("the limit is 200,000") || m.contains("the limit is 10,000 operations"), m);
        }
    }

    /** Negative control: an ordinary program well inside every budget still compiles to a plan. */
    @Example
    void ordinaryProgramsStillCompile() {
        String ok = PRIOR + doubling(8, 2) + "A = [[1, 0], [0, 1]] + [[0.5], [0.5]] * [[1, 1]];\nobserve [1, 1] ~ Normal(A @ F8(x), 1);\n" + SAMPLE;
        CompileResult r = checkedWithinBudget(ok);
        assertTrue(r.plan().isPresent(), r.diagnostics().toString());
    }

    @Provide
    Arbitrary<String> programs() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(1, 60), Arbitraries.integers().between(2, 4))
                        .as(CheckBudgetProperties::doublingUse),
                Arbitraries.integers().between(1, 60).map(CheckBudgetProperties::doublingBindings),
                Combinators.combine(Arbitraries.integers().between(1, 1500), Arbitraries.integers().between(1, 1500),
                        Arbitraries.integers().between(1, 60)).as(CheckBudgetProperties::literalOfLiterals),
                Arbitraries.integers().between(1, 2500).map(CheckBudgetProperties::broadcast),
                Arbitraries.integers().between(1, 2500).map(CheckBudgetProperties::matmul),
                Arbitraries.of("r = ring(1e9, 1);\n", "r = ring(10000, 1);\n", "m = mask(\"random\", 100000, 100000);\n",
                        "m = mask(\"left-half\", 4096, 4096);\n", "d = load(\"y.npy\", shape = [1e5, 1e5]);\n",
                        "g = diffusion(gmm(means = ring(10000, 2), std = 0.1));\n", "b = blur(mask(\"center\", 4096, 4096), 1e4);\n",
                        "q = diffusion(gmm(means = [[" + String.join(", ", Collections.nCopies(1500, "0")) + "]], std = 1));\n",
                        "z = 1e308 * 1e308;\n", "w = [1, 2] ^ 1e9;\n", "observe [1, 1] ~ Normal(x * x * x, 1e-300);\n"));
        return piece.list().ofMinSize(1).ofMaxSize(6).map(CheckBudgetProperties::program);
    }

    private static String program(List<String> pieces) {
        StringBuilder sb = new StringBuilder(PRIOR);
        for (String p : pieces) {
            if (sb.length() + p.length() + SAMPLE.length() > MAX_SOURCE) break;
            sb.append(p);
        }
        return sb.append(SAMPLE).toString();
    }

    /** {@code F1(a) = F0(a) + F0(a); ...}: each level calls the previous one {@code fan} times. */
    private static String doubling(int levels, int fan) {
        StringBuilder sb = new StringBuilder("F0(a) = a;\n");
        for (int i = 1; i <= levels; i++) {
            sb.append('F').append(i).append("(a) = ").append(String.join(" + ", Collections.nCopies(fan, "F" + (i - 1) + "(a)"))).append(";\n");
        }
        return sb.toString();
    }

    private static String doublingUse(int levels, int fan) {
        return doubling(levels, fan).replace("F", "H" + levels + "F") + "observe [1, 1] ~ Normal(H" + levels + "F" + levels + "(x), 1);\n";
    }

    /** {@code a1 = a0 + a0; a2 = a1 + a1; ...}: a tree of 2^n operations in n bindings. */
    private static String doublingBindings(int n) {
        StringBuilder sb = new StringBuilder("b0 = x;\n");
        for (int i = 1; i <= n; i++) sb.append("b").append(i).append(" = b").append(i - 1).append(" * b").append(i - 1).append(";\n");
        return sb.append("observe [1, 1] ~ Normal(b").append(n).append(", 1);\n").toString();
    }

    /** {@code u = [0, ...]; v = [u, u, ...]; w = [v, v, ...]}: a product of literal sizes. */
    private static String literalOfLiterals(int a, int b, int c) {
        return "u = [" + String.join(", ", Collections.nCopies(Math.min(a, 1500), "0")) + "];\n"
                + "v = [" + String.join(", ", Collections.nCopies(Math.min(b, 1000), "u")) + "];\n"
                + "w = [" + String.join(", ", Collections.nCopies(c, "v")) + "];\n";
    }

    /** {@code [[0], [1], ...] + [1, 1, ...]}: an n × n constant from 2n numbers. */
    private static String broadcast(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add("[" + i + "]");
        return "c = [" + String.join(", ", rows) + "] + [" + String.join(", ", Collections.nCopies(n, "1")) + "];\n";
    }

    /** An outer product by matrix multiplication: [n, 1] @ [1, n]. */
    private static String matmul(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add("[" + (i % 10) + "]");
        return "o = [" + String.join(", ", rows) + "] @ [[" + String.join(", ", Collections.nCopies(n, "2")) + "]];\n";
    }
}
