package dfl.runtime;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dfl.diag.Code;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The libtorch native library behind DJL: which platform this is (named as DJL's {@code pytorch-native-cpu}
 * classifiers are), which build the class path bundles, and a check that the engine loads, so that a platform without
 * a libtorch build fails with {@link Code#E0320} naming the platform and the Maven profile instead of an internal error.
 */
public final class LibTorch {

    /** The platforms with a libtorch build (DJL's classifiers), each selected by the Maven profile {@code native-<platform>}. */
    public static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64");

    /** Set once the engine has loaded. */
    private static volatile boolean loaded;

    private LibTorch() {}

    /** This JVM's platform as DJL names it, e.g. {@code linux-x86_64} or {@code osx-aarch64}. */
    public static String platform() {
        return platform(System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"));
    }

    /** The platform name of an {@code os.name} and {@code os.arch}. */
    static String platform(String osName, String osArch) {
        String n = osName.toLowerCase(Locale.ROOT);
        String os = n.startsWith("win") ? "win" : n.startsWith("mac") || n.startsWith("darwin") ? "osx"
                : n.startsWith("linux") ? "linux" : n.replaceAll("[^a-z0-9]", "");
        String a = osArch.toLowerCase(Locale.ROOT);
        String arch = switch (a) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a.replaceAll("[^a-z0-9_]", "");
        };
        return os + "-" + arch;
    }

    /** The platform of the libtorch build on the class path ({@code native/lib/pytorch.properties}), if any. */
    public static Optional<String> bundledPlatform() {
        return bundled().map(p -> p.getProperty("classifier")).filter(c -> !c.isBlank());
    }

    /** The libtorch version: the one loaded when the engine is up, else the bundled build's, else the build's setting. */
    public static String version() {
        if (loaded) return ai.djl.pytorch.jni.LibUtils.getVersion();
        return bundled().map(p -> p.getProperty("version", "")).map(v -> v.replaceFirst("-.*", "")).filter(v -> !v.isBlank())
                .orElse(dfl.runtime.output.BuildInfo.libtorchVersion());
    }

    /** libtorch's intra-op threads (0 when the engine is not loaded). */
    public static int intraOpThreads() {
        return loaded ? ai.djl.pytorch.jni.JniUtils.getNumThreads() : 0;
    }

    /** libtorch's inter-op threads (0 when the engine is not loaded). */
    public static int interOpThreads() {
        return loaded ? ai.djl.pytorch.jni.JniUtils.getNumInteropThreads() : 0;
    }


    /**
     * Loads the engine (once); a platform without a usable libtorch is {@link DflRuntimeException} {@link Code#E0320}
     * naming the platform, the bundled build and the Maven profile to build with.
     */
    public static void requireLoadable() {
        if (loaded) return;
        try {
            Engine.getEngine("PyTorch");
            loaded = true;
        } catch (EngineException | UnsatisfiedLinkError | IllegalArgumentException e) {
            throw new DflRuntimeException(Code.E0320, unavailable(platform(), bundledPlatform(), String.valueOf(e.getMessage())), e);
        }
    }

    /** The message of {@link #requireLoadable()}'s failure. */
    static String unavailable(String platform, Optional<String> bundled, String cause) {
        StringBuilder s = new StringBuilder("libtorch, the native library DFL samples with, cannot be loaded on this platform (")
                .append(platform).append("): ");
        if (bundled.isEmpty()) s.append("this installation bundles no libtorch build");
        else if (!bundled.get().equals(platform)) s.append("this installation bundles the build for ").append(bundled.get());
        else s.append(cause);
        s.append(". ");
        if (PLATFORMS.contains(platform)) {
            s.append("Build DFL on this machine (Maven selects the profile native-").append(platform)
                    .append(" by itself) or package it for this platform with -Ddfl.native.classifier=").append(platform).append('.');
        } else {
            s.append("DFL has libtorch builds (Maven profiles native-<platform>) only for ").append(String.join(", ", PLATFORMS))
                    .append("; on ").append(platform).append(" point PYTORCH_LIBRARY_PATH at a libtorch ")
                    .append(dfl.runtime.output.BuildInfo.libtorchVersion()).append(" installation.");
        }
        return s.toString();
    }

    private static Optional<Properties> bundled() {
        try (InputStream in = LibTorch.class.getResourceAsStream("/native/lib/pytorch.properties")) {
            if (in == null) return Optional.empty();
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
