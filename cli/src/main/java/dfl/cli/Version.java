package dfl.cli;

import picocli.CommandLine;

/** The version printed by {@code dfl --version} and recorded in summary.json. */
public final class Version implements CommandLine.IVersionProvider {

    public static final String VERSION = dfl.runtime.output.RunOutputs.DFL_VERSION;

    @Override
    public String[] getVersion() {
        return new String[] {"dfl " + VERSION};
    }
}
