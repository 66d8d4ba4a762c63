package dfl.stdlib.runtime;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The containment check of {@link StdlibProvider.Builder#optDataRoot}: a file is read only if its real path (every
 * symbolic link followed, {@code ..} resolved) lies inside the real path of the root, only if it is a regular
 * file (a FIFO, device or folder would block or never end), and only if it has no other hard link (a hard link makes a
 * file from outside the root appear inside it, e.g. from an unpacked archive). Every data file, confined or not, is
 * then opened by {@link #openRegular}: by its real path, without following a link in its last component, and checked
 * again after opening, so a link or another file swapped in after the check is refused rather than read.
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
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': " + DataFiles.why(e));
        }
        if (!real.startsWith(realRoot)) {
            throw denied(name, root, "it resolves through a symbolic link to " + real + ", outside the data root");
        }
        requireRegular(real, name);
        int links = hardLinks(real);
        if (links > 1) {
            throw denied(name, root, "it has " + links + " hard links, and a hard link can make a file from outside the data "
                    + "root appear inside it; copy the file instead");
        }
        return real;
    }

    /** The number of hard links of {@code file}, or 1 where the file system does not say. */
    private static int hardLinks(Path file) {
        try {
            Object n = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Integer i ? i : 1;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return 1;
        }
    }

    /**
     * Opens {@code path} for reading as a regular file: its real path is resolved, checked to be a regular file, and opened
     * without following a symbolic link in the last component; after opening, the file at that path must still be the
     * same one (same file key), so that a swap between the check and the open is refused (E0301), not read.
     * {@code confined}: {@code path} is the real path {@link #confine} returned, which must still be real (no link may
     * have appeared in a folder on the way) before and after opening.
     */
    static FileChannel openRegular(Path path, String name, boolean confined) throws IOException {
        Path real = realPath(path, name);
        if (confined && !real.equals(path)) throw changed(name);
        BasicFileAttributes before = requireRegular(real, name);
        FileChannel ch;
        try {
            ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            // gone, or ELOOP: the last component became a symbolic link after the check
            throw changed(name);
        }
        BasicFileAttributes after;
        try {
            after = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (confined && !real.toRealPath().equals(path)) after = null;
        } catch (IOException e) {
            after = null;
        }
        if (after == null || !after.isRegularFile() || !Objects.equals(before.fileKey(), after.fileKey())) {
            ch.close();
            throw changed(name);
        }
        return ch;
    }

    private static Path realPath(Path path, String name) throws IOException {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': no such file");
        }
    }

    private static DflRuntimeException changed(String name) {
        return new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': it was replaced while it was "
                + "being opened (a link or another file swapped in after the check); nothing was read");
    }

    /** E0301 unless {@code path} (links followed) is a regular file: never open a FIFO, a device or a folder. */
    static BasicFileAttributes requireRegular(Path path, String name) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': no such file");
        } catch (IOException e) {
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': " + DataFiles.why(e));
        }
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a folder" : "not a regular file (a FIFO, socket or device)";
            throw new DflRuntimeException(Code.E0301, "cannot read data file '" + name + "': it is " + kind);
        }
        return a;
    }

    private static DflRuntimeException denied(String name, Path root, String why) {
        return new DflRuntimeException(Code.E0306, "reading '" + name + "' is denied: " + why
                + "; data files must lie inside " + root);
    }
}
