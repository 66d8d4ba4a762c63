package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one data-file read on its own daemon thread so that the caller stays in control: the read ends when it is done,
 * when the run is cancelled ({@code cancel} set, or the caller interrupted: {@link CancellationException}), or after
 * {@link #timeoutSeconds()} (E0301 saying so). A read that is given up is interrupted, which closes its file channel
 * and ends a blocked {@code read}; one blocked in opening a FIFO (swapped in after the regular-file check) is released
 * by opening the FIFO's other end. Whatever the read throws reaches the caller as a {@link DflRuntimeException}:
 * running out of memory is {@link Code#E0309}, never an {@link Error}.
 */
final class BoundedRead {

    /** The system property that sets the time limit of one read, in seconds (default {@value #DEFAULT_TIMEOUT_SECONDS}). */
    static final String TIMEOUT_PROPERTY = "dfl.read.timeout.seconds";
    static final double DEFAULT_TIMEOUT_SECONDS = 60;
    private static final long POLL_MILLIS = 20;

    private BoundedRead() {}

    /** The time limit of one read: {@value #TIMEOUT_PROPERTY} if it is a positive number, else the default. */
    static double timeoutSeconds() {
        try {
            double s = Double.parseDouble(System.getProperty(TIMEOUT_PROPERTY, ""));
            return s > 0 ? s : DEFAULT_TIMEOUT_SECONDS;
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
    }

    /** {@code task}'s result, read from {@code path} (named {@code name} in messages); see the class comment. */
    static <T> T call(Path path, String name, Callable<T> task, AtomicBoolean cancel) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread reader = new Thread(future, "dfl-read " + path.getFileName());
        reader.setDaemon(true);
        reader.start();
        double limit = timeoutSeconds();
        long deadline = System.nanoTime() + (long) (limit * 1e9);
        while (true) {
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (cancel != null && cancel.get()) {
                    abandon(reader, path);
                    throw new CancellationException("cancelled while reading '" + name + "'");
                }
                if (System.nanoTime() - deadline > 0) {
                    abandon(reader, path);
                    throw new DflRuntimeException(Code.E0301, String.format(java.util.Locale.ROOT,
                            "reading '%s' did not finish within %.0f s; a data file must be a local regular file "
                                    + "(not a pipe, a device or a stalled network mount)", name, limit));
                }
            } catch (InterruptedException e) {
                abandon(reader, path);
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading '" + name + "'");
            } catch (ExecutionException e) {
                throw failure(e.getCause(), path, name);
            }
        }
    }

    private static RuntimeException failure(Throwable cause, Path path, String name) {
        if (cause instanceof DflRuntimeException d) return d;
        if (cause instanceof CancellationException c) return c;
        if (cause instanceof OutOfMemoryError) {
            long size = -1;
            try {
                size = Files.size(path);
            } catch (IOException ignored) {
                // the size is only for the message
            }
            return new DflRuntimeException(Code.E0309, "not enough memory to read '" + name + "'" + (size >= 0 ? " (" + size
                    + " bytes)" : "") + "; give the JVM more memory (-Xmx) or use a smaller file");
        }
        String why = cause instanceof IOException io ? DataFiles.why(io)
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': " + why);
    }

    /** Stops waiting for {@code reader}: interrupts it (a blocked channel read ends) and releases a blocked FIFO open. */
    private static void abandon(Thread reader, Path path) {
        reader.interrupt();
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) return;
        } catch (IOException e) {
            return;
        }
        // a reader blocked in open() of a FIFO waits for a writer: be that writer for a moment, so that it sees end of file
        Thread release = new Thread(() -> {
            // WRITE alone: no O_CREAT, no O_TRUNC, so a regular file swapped back in meanwhile is left as it is
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
                out.flush();
            } catch (IOException ignored) {
                // nothing more can be done; the reader is a daemon thread
            }
        }, "dfl-read-release");
        release.setDaemon(true);
        release.start();
    }
}
