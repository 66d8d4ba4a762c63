package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @Test
    void createsAPrivateFolderAndFile(@TempDir Path home) throws Exception {
        Path file = home.resolve(".dfl/history");
        Optional<Path> p = HistoryFile.prepare(file, new PrintWriter(new StringWriter()));
        assertEquals(Optional.of(file), p);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesALinkInPlaceOfTheHistory(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".dfl"));
        Path target = home.resolve("elsewhere");
        Files.writeString(target, "keep me");
        Files.createSymbolicLink(home.resolve(".dfl/history"), target);
        StringWriter warn = new StringWriter();
        assertEquals(Optional.empty(), HistoryFile.prepare(home.resolve(".dfl/history"), new PrintWriter(warn, true)));
        assertTrue(warn.toString().contains("is a link"), warn.toString());
        assertEquals("keep me", Files.readString(target));
    }
}
