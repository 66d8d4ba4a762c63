package dfl.runtime.output;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The product version, written into {@code dfl/runtime/version.properties} by the build (Maven resource filtering). */
final class BuildVersion {

    private BuildVersion() {}

    /** The version, or {@code "unknown"} when the classes were not built by Maven. */
    static String get() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("/dfl/runtime/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
