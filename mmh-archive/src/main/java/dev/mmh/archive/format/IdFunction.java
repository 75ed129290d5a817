package dev.mmh.archive.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How blob IDs are made from blob bytes (the manifest's ID function). Implementations are thread-safe.
 */
public interface IdFunction {
    /** The ID of {@code b[off, off + len)}. */
    BlobId id(byte[] b, int off, int len);

    default BlobId id(byte[] b) {
        return id(b, 0, b.length);
    }

    /** SHA-256 through the JDK (one digest per calling thread). */
    static IdFunction sha256() {
        return Sha256.INSTANCE;
    }

    /** The JDK's SHA-256, a digest per thread. */
    final class Sha256 implements IdFunction {
        static final Sha256 INSTANCE = new Sha256();
        private static final ThreadLocal<MessageDigest> MD = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        });

        private Sha256() {
        }

        @Override
        public BlobId id(byte[] b, int off, int len) {
            MessageDigest md = MD.get();
            md.update(b, off, len);
            return BlobId.of(md.digest());
        }
    }
}
