package dfl.spark;

import dfl.api.DflModel;
import dfl.api.Networks;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an executor JVM keeps between tasks: each program compiled once, and one pool of loaded networks that every
 * task of the JVM borrows from, so the networks are loaded once per task slot, not once per observation or per task.
 */
final class ExecutorState {

    private static final Map<BatchProgram, DflModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger COMPILES = new AtomicInteger();
    private static final Networks NETWORKS = new Networks();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NETWORKS::close, "dfl-networks-close"));
    }

    private ExecutorState() {}

    /** The compiled program (compiled on first use in this JVM). */
    static DflModel model(BatchProgram program) {
        return MODELS.computeIfAbsent(program, p -> {
            COMPILES.incrementAndGet();
            return p.compile();
        });
    }

    /** The JVM's network pool. */
    static Networks networks() {
        return NETWORKS;
    }

    /** Programs compiled in this JVM so far. */
    static int compiles() {
        return COMPILES.get();
    }
}
