package dev.mmh.crypto.age;

import dev.mmh.LimitExceededException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * age's passphrase recipient: the file key wrapped under scrypt(N = 2^logN, r = 8, p = 1) of the passphrase, salted
 * with {@code age-encryption.org/v1/scrypt} and 16 random bytes; the work factor is stored in the stanza. It must be
 * the only stanza of its file. Holds a copy of the passphrase (UTF-8); immutable; thread-safe.
 */
public final class ScryptRecipient implements Recipient {
    public static final String TYPE = "scrypt";
    static final String LABEL = "age-encryption.org/v1/scrypt";
    static final int SALT_SIZE = 16;
    /** The smallest work factor {@link #measured} chooses: age's default, about 1 s on a modern machine in Go. */
    public static final int MIN_LOG_N = 18;
    /** The largest work factor written and, by default, read: age's reading limit (4 GiB of memory). */
    public static final int MAX_LOG_N = 22;

    private final byte[] passphrase;
    private final int logN;

    /**
     * @param passphrase the passphrase's bytes (UTF-8), not empty
     * @param logN the base-2 logarithm of scrypt's N, 1 to {@link #MAX_LOG_N}
     */
    public ScryptRecipient(byte[] passphrase, int logN) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("empty passphrase");
        }
        if (logN < 1 || logN > MAX_LOG_N) {
            throw new IllegalArgumentException("scrypt work factor " + logN + " (1 to " + MAX_LOG_N + ")");
        }
        this.passphrase = passphrase.clone();
        this.logN = logN;
    }

    /**
     * A recipient whose work factor is the largest whose derivation takes at most {@code targetMillis} on this
     * machine (measured now, at a small factor, and scaled: scrypt's time is linear in N), within
     * {@link #MIN_LOG_N}..{@link #MAX_LOG_N} and what the heap can hold.
     */
    public static ScryptRecipient measured(byte[] passphrase, long targetMillis) {
        int probe = 14;
        byte[] s = Wrap.concat(Wrap.ascii(LABEL), new byte[SALT_SIZE]);
        SCrypt.generate(new byte[] {1}, s, 1 << probe, 8, 1, 32); // warm-up: class loading, first compilation
        long t0 = System.nanoTime();
        SCrypt.generate(new byte[] {1}, s, 1 << probe, 8, 1, 32);
        double millis = Math.max(0.01, (System.nanoTime() - t0) / 1e6);
        int logN = MIN_LOG_N;
        while (logN < MAX_LOG_N && millis * (1L << (logN + 1 - probe)) <= targetMillis
                && memory(logN + 1) <= Runtime.getRuntime().maxMemory() / 2) {
            logN++;
        }
        return new ScryptRecipient(passphrase, logN);
    }

    /** The work factor written into stanzas. */
    public int logN() {
        return logN;
    }

    @Override
    public boolean mustBeAlone() {
        return true;
    }

    @Override
    public List<Stanza> wrap(byte[] fileKey) {
        byte[] salt = Wrap.random(SALT_SIZE);
        byte[] key;
        try {
            key = derive(passphrase, salt, logN);
        } catch (LimitExceededException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return List.of(new Stanza(TYPE, List.of(B64.encode(salt), Integer.toString(logN)),
                Wrap.seal(key, null, fileKey)));
    }

    /** Bytes of memory scrypt needs at work factor {@code logN} (r = 8). */
    static long memory(int logN) {
        return 128L * 8 << logN;
    }

    /** The 32-byte wrap key. */
    static byte[] derive(byte[] passphrase, byte[] salt, int logN) throws LimitExceededException {
        if (memory(logN) > Runtime.getRuntime().maxMemory() * 3 / 4) {
            throw new LimitExceededException("scrypt work factor " + logN + " (memory)", memory(logN),
                    Runtime.getRuntime().maxMemory() * 3 / 4);
        }
        byte[] s = Wrap.concat(Wrap.ascii(LABEL), salt);
        return SCrypt.generate(passphrase, s, 1 << logN, 8, 1, 32);
    }

    @Override
    public String toString() {
        return "scrypt passphrase recipient, work factor " + logN;
    }

    /** Erases the passphrase copy (for callers that want it gone before the object is collected). */
    void destroy() {
        Arrays.fill(passphrase, (byte) 0);
    }
}
