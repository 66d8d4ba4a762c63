package dfl.cli;

/**
 * DJL must never phone home: these properties are read when the engine starts, so they are set
 * before any DJL class is touched, whatever the launcher did.
 */
public final class Offline {

    private Offline() {}

    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }
}
