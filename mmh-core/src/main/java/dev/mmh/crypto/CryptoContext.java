package dev.mmh.crypto;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA-256 through the system's OpenSSL libcrypto ({@code libmmhcrypto.so}, where it was built and
 * loads), else through the JDK's {@link MessageDigest} and {@link Mac}: the same bytes either way. The native path
 * exists because the {@code mmh} launcher runs the JVM with C1 only, where the JDK's SHA-256 has no SHA-NI intrinsic
 * and runs at 63-80 MB/s, against ~1.8 GB/s for OpenSSL.
 *
 * <p>A context is for one thread at a time: make one per worker thread and reuse it (it keeps OpenSSL's algorithm
 * objects, so a small message costs no lookup). Its methods are synchronized only so that a stray call racing
 * {@link #close} fails with an exception instead of touching freed memory. One message is in progress at a time:
 * either a one-shot call ({@link #sha256}, {@link #hmacSha256}) or {@link #beginSha256} / {@link #beginHmacSha256},
 * {@link #update}..., {@link #end}. Input arrays are only read, during the call; the native path pins at most
 * 1 MiB of an array at a time, so a long message never holds up the garbage collector for long.
 *
 * <p>Errors: bad ranges and keys throw {@link IndexOutOfBoundsException} and {@link IllegalArgumentException},
 * calls out of order or after {@link #close} {@link IllegalStateException}, as does a failure inside OpenSSL
 * (which does not happen short of native memory running out). A failed message is abandoned; the context stays
 * usable.
 */
public final class CryptoContext implements AutoCloseable {
    /** Bytes of a SHA-256 or HMAC-SHA-256 value. */
    public static final int DIGEST_LENGTH = 32;
    /** The longest HMAC key accepted, bytes (a key longer than SHA-256's 64-byte block is hashed first: RFC 2104). */
    public static final int MAX_HMAC_KEY = 1024;

    private static final int NONE = 0;

    /** The native context, or null for the JDK path. */
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private MessageDigest sha;
    private Mac mac;
    private byte[] macKey;
    /** The algorithm of the message in progress ({@code NativeCrypto.ALG_*}), or NONE. */
    private int active = NONE;
    private boolean closed;

    private CryptoContext(long address) {
        handle = address != 0 ? new Handle(address) : null;
        cleanable = handle != null ? Cleanup.CLEANER.register(this, handle) : null;
    }

    /** A context on OpenSSL where {@code libmmhcrypto.so} loaded, else on the JDK. */
    public static CryptoContext open() {
        if (NativeCrypto.AVAILABLE) {
            long h = NativeCrypto.open();
            if (h == 0) {
                throw new IllegalStateException("OpenSSL context: out of native memory, or OpenSSL has no SHA-256");
            }
            return new CryptoContext(h);
        }
        return new CryptoContext(0);
    }

    /** A context on the JDK's providers, whatever is loaded (tests compare both paths). */
    public static CryptoContext openJdk() {
        return new CryptoContext(0);
    }

    /** Null when {@link #open} uses OpenSSL, else why not. */
    public static String nativeLoadError() {
        return NativeCrypto.loadError();
    }

    /** OpenSSL's version text (e.g. {@code OpenSSL 3.0.19 27 Jan 2026}) when it is in use, else null. */
    public static String opensslVersion() {
        return NativeCrypto.OPENSSL_VERSION;
    }

    /** Whether this context runs on OpenSSL. */
    public boolean isNative() {
        return handle != null;
    }

    /** Writes SHA-256 of {@code in[off, off+len)} to {@code out[outOff, outOff+32)}. */
    public synchronized void sha256(byte[] in, int off, int len, byte[] out, int outOff) {
        oneShot(NativeCrypto.ALG_SHA256, null, in, off, len, out, outOff);
    }

    /** SHA-256 of {@code in[off, off+len)}, a new array. */
    public byte[] sha256(byte[] in, int off, int len) {
        byte[] out = new byte[DIGEST_LENGTH];
        sha256(in, off, len, out, 0);
        return out;
    }

    /** Writes HMAC-SHA-256 (RFC 2104) under {@code key} (1 to 1024 bytes) of {@code in[off, off+len)} to {@code out}.
     */
    public synchronized void hmacSha256(byte[] key, byte[] in, int off, int len, byte[] out, int outOff) {
        oneShot(NativeCrypto.ALG_HMAC_SHA256, checkKey(key), in, off, len, out, outOff);
    }

    /** HMAC-SHA-256 under {@code key} of {@code in[off, off+len)}, a new array. */
    public byte[] hmacSha256(byte[] key, byte[] in, int off, int len) {
        byte[] out = new byte[DIGEST_LENGTH];
        hmacSha256(key, in, off, len, out, 0);
        return out;
    }

    /** Starts a SHA-256 message; {@link #update} adds to it and {@link #end} gives its value. */
    public synchronized void beginSha256() {
        begin(NativeCrypto.ALG_SHA256, null);
    }

    /** Starts an HMAC-SHA-256 message under {@code key} (1 to 1024 bytes, read now). */
    public synchronized void beginHmacSha256(byte[] key) {
        begin(NativeCrypto.ALG_HMAC_SHA256, checkKey(key));
    }

    /** Adds {@code in[off, off+len)} to the message in progress. */
    public synchronized void update(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (active == NONE) {
            throw new IllegalStateException("no message in progress");
        }
        long h = address();
        if (h == 0) {
            if (active == NativeCrypto.ALG_SHA256) {
                sha.update(in, off, len);
            } else {
                mac.update(in, off, len);
            }
            return;
        }
        try {
            updateNative(h, in, off, len);
        } catch (RuntimeException e) {
            active = NONE;
            throw e;
        }
    }

    /** Ends the message in progress, writing its 32-byte value to {@code out[outOff, outOff+32)}. */
    public synchronized void end(byte[] out, int outOff) {
        Objects.checkFromIndexSize(outOff, DIGEST_LENGTH, out.length);
        if (active == NONE) {
            throw new IllegalStateException("no message in progress");
        }
        int alg = active;
        active = NONE;
        long h = address();
        if (h == 0) {
            finishJdk(alg, out, outOff);
            return;
        }
        check(NativeCrypto.end(h, out, outOff));
        Reference.reachabilityFence(this);
    }

    /** Frees the native context (at once; a Cleaner would free a leaked one later). Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        active = NONE;
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    private void oneShot(int alg, byte[] key, byte[] in, int off, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, in.length);
        Objects.checkFromIndexSize(outOff, DIGEST_LENGTH, out.length);
        long h = address();
        if (h != 0 && len <= NativeCrypto.SLICE) {
            if (active != NONE) {
                throw new IllegalStateException("a message is in progress");
            }
            check(NativeCrypto.digest(h, alg, key, in, off, len, out, outOff));
            Reference.reachabilityFence(this);
            return;
        }
        begin(alg, key);
        update(in, off, len);
        end(out, outOff);
    }

    private void begin(int alg, byte[] key) {
        if (active != NONE) {
            throw new IllegalStateException("a message is in progress");
        }
        long h = address();
        if (h == 0) {
            beginJdk(alg, key);
        } else {
            check(NativeCrypto.begin(h, alg, key));
            Reference.reachabilityFence(this);
        }
        active = alg;
    }

    private void updateNative(long h, byte[] in, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, NativeCrypto.SLICE);
            check(NativeCrypto.update(h, in, off, n));
            off += n;
            len -= n;
        }
        Reference.reachabilityFence(this);
    }

    private void beginJdk(int alg, byte[] key) {
        try {
            if (alg == NativeCrypto.ALG_SHA256) {
                if (sha == null) {
                    sha = MessageDigest.getInstance("SHA-256");
                }
                sha.reset();
            } else {
                if (mac == null) {
                    mac = Mac.getInstance("HmacSHA256");
                }
                // init computes the key's inner and outer pads: not again for the same key
                if (!Arrays.equals(key, macKey)) {
                    mac.init(new SecretKeySpec(key, "HmacSHA256"));
                    macKey = key.clone();
                } else {
                    mac.reset();
                }
            }
        } catch (GeneralSecurityException e) {
            String name = alg == NativeCrypto.ALG_SHA256 ? "SHA-256" : "HMAC-SHA-256";
            throw new IllegalStateException("the JDK has no " + name, e);
        }
    }

    private void finishJdk(int alg, byte[] out, int outOff) {
        try {
            if (alg == NativeCrypto.ALG_SHA256) {
                sha.digest(out, outOff, DIGEST_LENGTH);
            } else {
                mac.doFinal(out, outOff);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("digest failed", e);
        }
    }

    /** The native context's address, 0 on the JDK path; throws once closed. */
    private long address() {
        if (closed) {
            throw new IllegalStateException("crypto context is closed");
        }
        return handle == null ? 0 : handle.address;
    }

    private void check(int rc) {
        if (rc != 0) {
            active = NONE;
            throw new IllegalStateException("OpenSSL: " + NativeCrypto.describe(rc));
        }
    }

    private static byte[] checkKey(byte[] key) {
        if (key.length < 1 || key.length > MAX_HMAC_KEY) {
            throw new IllegalArgumentException("HMAC key of " + key.length + " bytes (1 to " + MAX_HMAC_KEY + ")");
        }
        return key;
    }

    /** The Cleaner thread, started with the first native context. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** The native context's address; run once, by close() or the Cleaner. Holds no reference to its context. */
    private static final class Handle implements Runnable {
        volatile long address;

        Handle(long address) {
            this.address = address;
        }

        @Override
        public void run() {
            long a = address;
            address = 0;
            if (a != 0) {
                NativeCrypto.close(a);
            }
        }
    }
}
