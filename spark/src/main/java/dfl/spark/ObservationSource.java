package dfl.spark;

import dfl.runtime.DflRuntimeException;
import dfl.stdlib.runtime.DataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The observations named by {@code --data y=PATH}: a folder (its {@code .npy}, {@code .png} and {@code .csv} files),
 * a glob such as {@code digits/*.png} (matched below the folder before the first wildcard), one such file, or one
 * {@code .npy} whose first axis indexes the observations. Files are listed here and read by the executors with the
 * project's data readers; the rows of a {@code .npy} are read here, once. Ids are the file's path relative to the
 * folder, or the row number for rows of one array; they seed the runs (see {@link ObservationSeeds}).
 */
public final class ObservationSource {

    private ObservationSource() {}

    /** Thrown when PATH names nothing usable; the message is for the user. */
    public static final class NoObservations extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoObservations(String message) {
            super(message);
        }
    }

    /**
     * The observations of {@code spec}, resolved against {@code base} when relative, as rows of
     * {@link BatchSchema#OBSERVATIONS}, in the order of their ids.
     *
     * @throws NoObservations       when the path matches no data file
     * @throws DflRuntimeException  when a single {@code .npy} of observations cannot be read (E0301/E0302)
     */
    public static List<Row> list(String spec, Path base) {
        return list(spec, base, false);
    }

    /**
     * {@link #list(String, Path)}; with {@code numbers} (the binding is a number, such as a classifier's label) one
     * {@code .npy} or {@code .csv} file gives one observation per number in it ({@code [N]} or {@code [N, 1]}, or a
     * column or row of a CSV), with ids 0 to N − 1.
     */
    public static List<Row> list(String spec, Path base, boolean numbers) {
        int wild = firstWildcard(spec);
        if (wild >= 0) return glob(spec, wild, base);
        Path p = base.resolve(spec).normalize();
        if (Files.isDirectory(p)) return files(p, false, path -> true, spec);
        if (!Files.exists(p)) throw new NoObservations("no such file or folder: '" + spec + "'");
        if (numbers && (lower(p).endsWith(".npy") || lower(p).endsWith(".csv"))) return numbers(p, spec);
        if (lower(p).endsWith(".npy")) return rows(p, spec);
        if (isData(p)) return List.of(file(p.getFileName().toString(), 0, spec, p));
        throw new NoObservations("'" + spec + "' is not a folder or a .npy, .png or .csv file");
    }

    private static List<Row> numbers(Path file, String spec) {
        double[] values = DataFiles.read(file);
        if (values.length == 0) throw new NoObservations("'" + spec + "' holds no numbers");
        List<Row> out = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            out.add(RowFactory.create(String.valueOf(i), (long) i, spec, null, Rows.seq(new double[] {values[i]}), null));
        }
        return out;
    }

    private static List<Row> rows(Path npy, String spec) {
        double[][] rows = DataFiles.rows(npy);
        if (rows.length == 0) throw new NoObservations("'" + spec + "' holds no observations (its first axis has length 0)");
        List<Row> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(RowFactory.create(String.valueOf(i), (long) i, spec, null, Rows.seq(rows[i]), null));
        }
        return out;
    }

    private static List<Row> glob(String spec, int wild, Path base) {
        int slash = spec.lastIndexOf('/', wild);
        Path dir = base.resolve(slash < 0 ? "." : spec.substring(0, slash + 1)).normalize();
        String pattern = spec.substring(slash + 1);
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(dir)) throw new NoObservations("no such folder: '" + (slash < 0 ? "." : spec.substring(0, slash)) + "'");
        return files(dir, true, m::matches, spec);
    }

    /** The data files in {@code root} (and below it when {@code recursive}) whose relative path {@code accept}s. */
    private static List<Row> files(Path root, boolean recursive, java.util.function.Predicate<Path> accept, String spec) {
        List<Path> found;
        try (Stream<Path> s = recursive ? Files.walk(root) : Files.list(root)) {
            found = s.filter(Files::isRegularFile).filter(ObservationSource::isData).filter(p -> accept.test(root.relativize(p)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + spec + "': " + e.getMessage(), e);
        }
        if (found.isEmpty()) throw new NoObservations("'" + spec + "' matches no .npy, .png or .csv file");
        List<Row> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            Path f = found.get(i);
            out.add(file(root.relativize(f).toString(), i, f.toString(), f));
        }
        return out;
    }

    private static Row file(String id, long index, String source, Path path) {
        return RowFactory.create(id, index, source, path.toAbsolutePath().toString(), null, null);
    }

    private static boolean isData(Path p) {
        String n = lower(p);
        return n.endsWith(".npy") || n.endsWith(".png") || n.endsWith(".csv");
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static int firstWildcard(String s) {
        for (int i = 0; i < s.length(); i++) if ("*?[{".indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }
}
