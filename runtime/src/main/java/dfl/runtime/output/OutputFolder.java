package dfl.runtime.output;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's output folder, replaced as a unit: the outputs are written into a hidden sibling folder, which is renamed into
 * place only when every file is written; the previous result stays until then, and a failure midway leaves it untouched.
 * Only an absent or empty folder, or one a previous run wrote (a {@code summary.json} and regular files only), is
 * replaced: pointing {@code --out} at a folder of other files is refused before sampling starts.
 */
public final class OutputFolder {

    private OutputFolder() {}

    /**
     * What a previous output looks like, so that it may be replaced: the file that marks it, and the folders it may hold
     * besides regular files ({@code dfl batch} writes a Parquet dataset and grids into folders of their own).
     */
    public record Layout(String marker, java.util.Set<String> folders) {
        /** {@code dfl run}'s outputs: a summary.json and regular files only. */
        public static final Layout RUN = new Layout("summary.json", java.util.Set.of());

        public Layout {
            folders = java.util.Set.copyOf(folders);
        }
    }

    /** The files {@code write} produces inside a folder. */
    public interface Writer {
        List<Path> write(Path folder) throws IOException;
    }

    /**
     * Checks, before a run, that {@code dir} can be written as a unit: its parent exists or can be made and is
     * writable, and {@code dir} is absent, empty or a previous run's output.
     */
    public static void checkTarget(Path dir) throws IOException {
        checkTarget(dir, Layout.RUN);
    }

    /** {@link #checkTarget(Path)} for outputs of another {@code layout}. */
    public static void checkTarget(Path dir, Layout layout) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) throw new IOException("the output folder cannot be the file system's root");
        Files.createDirectories(parent);
        recover(target);
        if (!Files.isWritable(parent)) throw new IOException(parent + " is not writable");
        if (Files.exists(target) && !Files.isDirectory(target)) throw new NotDirectoryException(target + " is a file, not a folder");
        if (Files.isDirectory(target) && !replaceable(target, layout)) {
            throw new DirectoryNotEmptyException(target + " holds files that are not a DFL run's outputs; choose another output folder");
        }
    }

    /** Writes the outputs into a staging folder beside {@code dir}, then swaps it into place; returns the final paths. */
    public static List<Path> replace(Path dir, Writer writer) throws IOException {
        return replace(dir, Layout.RUN, writer);
    }

    /** {@link #replace(Path, Writer)} for outputs of another {@code layout}. */
    public static List<Path> replace(Path dir, Layout layout, Writer writer) throws IOException {
        checkTarget(dir, layout);
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Path staging = createUnique(parent, "." + name + ".new-", "", true);
        List<Path> written;
        try {
            written = writer.write(staging);
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(staging);
            throw e;
        }
        pause("staged");
        Path old = null;
        if (Files.exists(target)) {
            old = parent.resolve("." + name + ".old-" + staging.getFileName().toString().substring(name.length() + 6));
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        pause("swapping");
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the previous result back
            deleteTree(staging);
            throw e;
        }
        if (old != null) deleteTree(old);
        return written.stream().map(p -> target.resolve(staging.relativize(p))).toList();
    }

    /**
     * Creates a new file or folder {@code prefix + random + suffix} in {@code dir} with the permissions the umask gives
     * (unlike {@code Files.createTemp*}, which make them private to the owner).
     */
    static Path createUnique(Path dir, String prefix, String suffix, boolean folder) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                return folder ? Files.createDirectory(p) : Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    /**
     * Finishes what a process killed in the middle of {@link #replace} left: between its two renames the folder is absent
     * and the previous result waits as {@code .NAME.old-*} beside it, which is moved back; staging folders
     * ({@code .NAME.new-*}) of killed runs are removed. So after a kill the folder holds the old result or the new one
     * (once the next run, or this call, has put the old one back).
     */
    public static void recover(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) return;
        String name = target.getFileName().toString();
        List<Path> olds;
        List<Path> news;
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> all = s.toList();
            olds = all.stream().filter(p -> p.getFileName().toString().startsWith("." + name + ".old-")).toList();
            news = all.stream().filter(p -> p.getFileName().toString().startsWith("." + name + ".new-")).toList();
        }
        long minuteAgo = System.currentTimeMillis() - 60_000;
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && olds.size() == 1) {
            Files.move(olds.get(0), target, StandardCopyOption.ATOMIC_MOVE);
        } else if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // killed after the new result was in place: the old one is garbage
            for (Path o : olds) if (Files.getLastModifiedTime(o).toMillis() < minuteAgo) deleteTree(o);
        }
        for (Path n : news) {
            // a staging folder of a run that is still writing is young; only those a minute old are from killed runs
            if (Files.getLastModifiedTime(n).toMillis() < minuteAgo) deleteTree(n);
        }
    }

    /** Test hook for the kill test: with {@code -Ddfl.output.pause=POINT}, stops at that point of {@link #replace} for a minute. */
    private static void pause(String point) {
        if (!point.equals(System.getProperty("dfl.output.pause"))) return;
        System.err.println("dfl.output.pause: " + point);
        System.err.flush();
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Absent, empty, or a previous output: its marker file, and nothing but regular files and the layout's folders. */
    private static boolean replaceable(Path dir, Layout layout) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.toList();
            if (entries.isEmpty()) return true;
            return Files.isRegularFile(dir.resolve(layout.marker()))
                    && entries.stream().allMatch(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            || (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                                    && layout.folders().contains(p.getFileName().toString())));
        }
    }

    /** Deletes {@code root} and everything below it (links are deleted, not followed). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
