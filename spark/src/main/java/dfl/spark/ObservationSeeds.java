package dfl.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The seed of one observation's run, derived from the batch's seed S and the observation's id alone, so that a result
 * does not depend on how observations are partitioned, ordered or retried: the first 8 bytes of
 * SHA-256("S/id") (UTF-8) read big-endian, with the sign bit cleared. In Python:
 * {@code int.from_bytes(hashlib.sha256(f"{S}/{id}".encode()).digest()[:8], "big") & (2**63 - 1)}.
 * {@code dfl run --seed} with that number repeats the observation's run.
 */
public final class ObservationSeeds {

    private ObservationSeeds() {}

    /** The seed of observation {@code id} in a batch with seed {@code seed}. */
    public static long of(long seed, String id) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest((seed + "/" + id).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
        return v & Long.MAX_VALUE;
    }
}
