package dfl.cli;

import dfl.grammar.Parse;
import dfl.grammar.SourceFormat;
import dfl.runtime.output.AtomicFiles;
import dfl.source.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dfl fmt FILE...}: the programs in canonical form with their comments kept ({@link SourceFormat}). Prints the
 * result; {@code --check} lists the files that are not formatted (exit 1 if any), {@code --write} rewrites them.
 */
@Command(name = "fmt", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Format models canonically, keeping comments: print the result, or --check / --write the files. '-' reads standard input.")
final class FmtCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .dfl files; - for standard input")
    List<Path> files;

    static final class Mode {
        @Option(names = "--check", description = "print the files that are not formatted and exit 1 if there is one; change nothing")
        boolean check;

        @Option(names = "--write", description = "rewrite the files that are not formatted (each atomically) and print their names")
        boolean write;
    }

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (mode.write && files.stream().anyMatch(Sources::isStdin)) {
            err.println("dfl: --write cannot rewrite standard input ('-')");
            return ExitCodes.USAGE;
        }
        int code = ExitCodes.OK;
        for (Path f : files) {
            int c = format(f);
            if (c == ExitCodes.USAGE || code == ExitCodes.USAGE) code = ExitCodes.USAGE;
            else code = Math.max(code, c);
        }
        return code;
    }

    private int format(Path file) {
        var out = spec.commandLine().getOut();
        SourceFile src;
        try {
            src = Sources.read(file);
        } catch (Sources.UnreadableSource e) {
            spec.commandLine().getErr().println("dfl: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Optional<String> formatted = SourceFormat.format(src);
        if (formatted.isEmpty()) {
            Reporter reporter = Reporter.of(spec);
            var diagnostics = Parse.program(src).diagnostics();
            reporter.print(src, diagnostics);
            reporter.summary(diagnostics);
            return ExitCodes.MODEL_ERROR;
        }
        boolean changed = !formatted.get().equals(src.text());
        if (mode.check) {
            if (changed) out.println(src.name());
            return changed ? ExitCodes.NOT_FORMATTED : ExitCodes.OK;
        }
        if (mode.write) {
            if (!changed) return ExitCodes.OK;
            try {
                write(Sources.resolve(file).toRealPath(), formatted.get());
            } catch (IOException e) {
                spec.commandLine().getErr().println("dfl: cannot write " + file + ": " + e.getMessage());
                return ExitCodes.IO_ERROR;
            }
            out.println(src.name());
            return ExitCodes.OK;
        }
        out.print(formatted.get());
        return ExitCodes.OK;
    }

    /** Replaces the file atomically (through a link, the file it points to), keeping its permissions. */
    private static void write(Path file, String text) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = null;
        try {
            mode = java.nio.file.Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the new file gets the folder's default permissions
        }
        AtomicFiles.writeString(file, text);
        if (mode != null) java.nio.file.Files.setPosixFilePermissions(file, mode);
    }
}
