package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The containment check of {@link StdlibProvider.Builder#optDataRoot}: a file is read only if its real path (every
 * symbolic link followed, {@code ..} resolved) lies inside the real path of the root, and only if it is a regular
 * file (a FIFO, device or folder would block or never end). The file is then opened by its real path, so a link
 * swapped in after the check points nowhere new.
 */
final class DataRoot {

    private DataRoot() {}

    /** The real path of {@code file} (relative paths against {@code root}); E0306 outside the root, E0301 if unreadable. */
    static Path confine(Path root, Path file, String name) {
        Path lexical = (file.isAbsolute() ? file : root.resolve(file)).toAbsolutePath().normalize();
        if (!lexical.startsWith(root)) throw denied(name, root, "it lies outside the data root");
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read '" + name + "': the data root " + root + " does not exist");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': " + e.getMessage());
        }
        if (!real.startsWith(realRoot)) {
            throw denied(name, root, "it resolves through a symbolic link to " + real + ", outside the data root");
        }
        requireRegular(real, name);
        return real;
    }

    /** E0301 unless {@code path} (links followed) is a regular file: never open a FIFO, a device or a folder. */
    static void requireRegular(Path path, String name) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': " + e.getMessage());
        }
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a folder" : "not a regular file (a FIFO, socket or device)";
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': it is " + kind);
        }
    }

    private static DflRuntimeException denied(String name, Path root, String why) {
        return new DflRuntimeException(Code.E0306, "reading '" + name + "' is denied: " + why
                + "; data files must lie inside " + root);
    }
}
