package dfl.cli;

import dfl.source.SourceFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a model file for a command; a missing or unreadable file is a usage error, not a stack trace. The path
 * {@code -} is standard input (named {@code <stdin>} in diagnostics).
 */
final class Sources {

    /** The folder relative paths resolve against; null for the process's working directory. */
    static volatile Path base;

    private Sources() {}

    /** A user-given path resolved against {@link #base}. */
    static Path resolve(Path p) {
        return base == null || p.isAbsolute() ? p : base.resolve(p);
    }

    /** Thrown for an input the user named that cannot be read. */
    static final class UnreadableSource extends Exception {
        UnreadableSource(String message) {
            super(message);
        }
    }

    /** The name of standard input in diagnostics. */
    static final String STDIN = "<stdin>";

    /** Whether {@code path} names standard input. */
    static boolean isStdin(Path path) {
        return path.toString().equals("-");
    }

    static SourceFile read(Path path) throws UnreadableSource {
        try {
            byte[] bytes;
            if (isStdin(path)) {
                bytes = System.in.readAllBytes();
            } else {
                Path real = resolve(path);
                if (Files.isDirectory(real)) throw new UnreadableSource("'" + path + "' is a folder, not a .dfl file");
                bytes = Files.readAllBytes(real);
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(isStdin(path) ? STDIN : path.toString(), text);
        } catch (NoSuchFileException e) {
            throw new UnreadableSource("no such file: '" + path + "'");
        } catch (CharacterCodingException e) {
            throw new UnreadableSource("'" + path + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new UnreadableSource("cannot read '" + path + "': " + dfl.stdlib.runtime.DataFiles.why(e));
        }
    }
}
