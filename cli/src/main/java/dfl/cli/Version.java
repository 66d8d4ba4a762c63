package dfl.cli;

import dfl.runtime.LibTorch;
import dfl.runtime.output.BuildInfo;
import picocli.CommandLine;

/** What {@code dfl --version} prints: the version, the commit it was built from, libtorch, DJL, Java and the platform. */
public final class Version implements CommandLine.IVersionProvider {

    public static final String VERSION = BuildInfo.version();

    @Override
    public String[] getVersion() {
        return new String[] {"dfl " + VERSION, "commit " + BuildInfo.commit(),
                "libtorch " + LibTorch.version() + " (" + LibTorch.bundledPlatform().orElse("no native build bundled") + "), DJL "
                        + BuildInfo.djlVersion(),
                "Java " + System.getProperty("java.version") + " on " + LibTorch.platform()};
    }
}
