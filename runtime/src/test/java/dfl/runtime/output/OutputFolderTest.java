package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder is replaced as a unit (issue 15, item 7; issue 14's stale ess.png). */
class OutputFolderTest {

    private static List<Path> writeSummary(Path folder, String text) throws IOException {
        Path p = folder.resolve("summary.json");
        Files.writeString(p, text);
        return List.of(p);
    }

    @Test
    void aRerunReplacesTheWholeFolderAndLeavesNoStagingBehind(@TempDir Path root) throws IOException {
        Path out = root.resolve("run");
        OutputFolder.replace(out, f -> {
            Files.writeString(f.resolve("ess.png"), "old plot");
            return writeSummary(f, "seed 1");
        });
        List<Path> written = OutputFolder.replace(out, f -> writeSummary(f, "seed 2"));
        assertEquals(List.of(out.toAbsolutePath().resolve("summary.json")), written);
        assertEquals("seed 2", Files.readString(out.resolve("summary.json")));
        assertFalse(Files.exists(out.resolve("ess.png")), "the previous run's plot must not survive a rerun");
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(out.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFailureMidwayKeepsThePreviousResult(@TempDir Path root) throws IOException {
        Path out = root.resolve("run");
        OutputFolder.replace(out, f -> writeSummary(f, "seed 1"));
        assertThrows(IOException.class, () -> OutputFolder.replace(out, f -> {
            writeSummary(f, "seed 2");
            throw new IOException("disk full");
        }));
        assertEquals("seed 1", Files.readString(out.resolve("summary.json")));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(1, s.count(), "the staging folder is removed");
        }
    }

    @Test
    void aFolderOfOtherFilesIsRefusedBeforeAnythingIsWritten(@TempDir Path root) throws IOException {
        Path mine = root.resolve("thesis");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("chapter1.tex"), "keep me");
        assertThrows(DirectoryNotEmptyException.class, () -> OutputFolder.checkTarget(mine));
        assertThrows(DirectoryNotEmptyException.class, () -> OutputFolder.replace(mine, f -> writeSummary(f, "x")));
        assertEquals("keep me", Files.readString(mine.resolve("chapter1.tex")));
        Path file = root.resolve("a-file");
        Files.writeString(file, "x");
        assertThrows(IOException.class, () -> OutputFolder.checkTarget(file));
        OutputFolder.checkTarget(root.resolve("new/deeper")); // absent folders are fine
    }
}
