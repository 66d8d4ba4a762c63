package dfl.cli;

import dfl.source.SourceFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a model file for a command; a missing or unreadable file is a usage error, not a stack trace. */
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

    static SourceFile read(Path path) throws UnreadableSource {
        try {
            Path real = resolve(path);
            if (Files.isDirectory(real)) throw new UnreadableSource("'" + path + "' is a folder, not a .dfl file");
            byte[] bytes = Files.readAllBytes(real);
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(path.toString(), text);
        } catch (NoSuchFileException e) {
            throw new UnreadableSource("no such file: '" + path + "'");
        } catch (CharacterCodingException e) {
            throw new UnreadableSource("'" + path + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new UnreadableSource("cannot read '" + path + "': " + dfl.stdlib.runtime.DataFiles.why(e));
        }
    }
}
