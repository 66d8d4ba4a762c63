package dfl.runtime.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What the build recorded about itself, read from {@code dfl/runtime/version.properties} (Maven resource filtering): the
 * project version, the DFL commit (git-commit-id at build time; from a source archive made by {@code git archive},
 * {@code archive-commit.txt}, which git fills in through {@code export-subst}), and the libtorch and DJL versions the
 * build was made with. Unknown values read {@code "unknown"}.
 */
public final class BuildInfo {

    private static final Properties BUILD = load();

    private BuildInfo() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return value("version");
    }

    /**
     * The full commit hash the classes were built from, with {@code -dirty} appended when the work tree had uncommitted
     * changes; {@code "unknown"} when the build saw neither a git repository nor a {@code git archive} export.
     */
    public static String commit() {
        return commit(value("commit"), value("dirty"), archiveCommit());
    }

    /** The commit from the build's values: git's (plus {@code -dirty}), else the archive's, else unknown. */
    static String commit(String git, String dirty, String archive) {
        if (!git.equals("unknown") && !git.isBlank()) return git + ("true".equals(dirty) ? "-dirty" : "");
        if (archive.matches("[0-9a-f]{40}")) return archive;
        return "unknown";
    }

    /** The libtorch version the build bundles, e.g. {@code 2.7.1}. */
    public static String libtorchVersion() {
        return value("libtorch");
    }

    /** The DJL version the build uses. */
    public static String djlVersion() {
        return value("djl");
    }

    private static String value(String key) {
        String v = BUILD.getProperty(key, "unknown").strip();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    private static String archiveCommit() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dfl/runtime/archive-commit.txt")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dfl/runtime/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no build information: every value reads "unknown"
        }
        return p;
    }
}
