package dfl.cli.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The REPL's history file, {@code ~/.dfl/history} unless given: its folder is created readable by the
 * owner only; a history path that is a symbolic link or not a regular file is refused (history then
 * stays in memory), so the REPL never writes through a link planted in its place.
 */
final class HistoryFile {

    private HistoryFile() {}

    static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".dfl", "history");
    }

    /** The usable history path, or empty with the reason written to {@code warn}. */
    static Optional<Path> prepare(Path file, java.io.PrintWriter warn) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(dir);
                }
            }
            if (Files.isSymbolicLink(file) || (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
                warn.println("dfl: not using history file " + file + ": it is a link or not a regular file");
                return Optional.empty();
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                }
            }
            return Optional.of(file);
        } catch (IOException | SecurityException e) {
            warn.println("dfl: history is not kept: cannot use " + file + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }
}
