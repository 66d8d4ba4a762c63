package dfl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Platform names as DJL's classifiers, and the E0320 message for a platform without libtorch (issue 14). */
class LibTorchTest {

    @Test
    void platformsAreNamedLikeTheClassifiers() {
        assertEquals("linux-x86_64", LibTorch.platform("Linux", "amd64"));
        assertEquals("linux-aarch64", LibTorch.platform("Linux", "aarch64"));
        assertEquals("osx-aarch64", LibTorch.platform("Mac OS X", "aarch64"));
        assertEquals("osx-x86_64", LibTorch.platform("Mac OS X", "x86_64"));
        assertEquals("win-x86_64", LibTorch.platform("Windows 11", "amd64"));
        assertEquals("freebsd-riscv64", LibTorch.platform("FreeBSD", "riscv64"));
        assertTrue(LibTorch.PLATFORMS.contains(LibTorch.platform()), "this machine is one of the four: " + LibTorch.platform());
    }

    /** This build bundles the build machine's libtorch and it loads. */
    @Test
    void theBundledBuildIsThisPlatformsAndLoads() {
        assertEquals(Optional.of(LibTorch.platform()), LibTorch.bundledPlatform());
        LibTorch.requireLoadable();
        assertTrue(LibTorch.intraOpThreads() >= 1);
        assertTrue(LibTorch.interOpThreads() >= 1);
    }

    @Test
    void theMessageNamesThePlatformTheBundleAndTheProfile() {
        String wrongBundle = LibTorch.unavailable("osx-aarch64", Optional.of("linux-x86_64"), "no such file");
        assertTrue(wrongBundle.contains("(osx-aarch64)") && wrongBundle.contains("bundles the build for linux-x86_64")
                && wrongBundle.contains("profile native-osx-aarch64") && wrongBundle.contains("-Ddfl.native.classifier=osx-aarch64"), wrongBundle);
        String none = LibTorch.unavailable("osx-x86_64", Optional.empty(), "x");
        assertTrue(none.contains("bundles no libtorch build") && none.contains("only for linux-x86_64, linux-aarch64, osx-aarch64, win-x86_64")
                && none.contains("PYTORCH_LIBRARY_PATH"), none);
        for (String m : new String[] {wrongBundle, none}) assertFalse(m.toLowerCase().contains("bug"), m);
    }
}
