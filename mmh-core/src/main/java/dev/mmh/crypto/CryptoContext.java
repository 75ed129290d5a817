package dev.mmh.crypto;

import dev.mmh.AuthenticationFailedException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256, HMAC-SHA-256 and two AEADs (ChaCha20-Poly1305 of RFC 8439, AES-256-GCM), and X25519 and random bytes
 * for age's key wrapping (static: {@link #x25519}, {@link #randomBytes}), through the system's OpenSSL
 * libcrypto ({@code libmmhcrypto.so}, where it was built and loads), else through the JDK's {@link MessageDigest},
 * {@link Mac} and {@link Cipher}: the same bytes either way. The native path exists because the {@code mmh} launcher
 * runs the JVM with C1 only, where the JDK's SHA-256 has no SHA-NI intrinsic and runs at 63-80 MB/s, against ~1.8 GB/s
 * for OpenSSL, and its AEADs are slower still.
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

    /** Bytes of an AEAD key. */
    public static final int AEAD_KEY_LENGTH = 32;
    /** Bytes of an AEAD nonce. */
    public static final int AEAD_NONCE_LENGTH = 12;
    /** Bytes of an AEAD tag: a sealed message is this much longer than its plaintext. */
    public static final int AEAD_TAG_LENGTH = 16;
    /** The most bytes of associated data one message may have. */
    public static final int MAX_AAD = 1 << 16;

    /** The AEADs, each with its 32-byte key, 12-byte nonce and 16-byte tag. */
    public enum Aead {
        /** ChaCha20-Poly1305 (RFC 8439), the AEAD of age. */
        CHACHA20_POLY1305(NativeCrypto.AEAD_CHACHA20_POLY1305, "ChaCha20-Poly1305", "ChaCha20"),
        /** AES-256 in Galois/counter mode (NIST SP 800-38D), 96-bit nonce. */
        AES_256_GCM(NativeCrypto.AEAD_AES_256_GCM, "AES/GCM/NoPadding", "AES");

        final int id;
        final String jdkName;
        final String jdkKey;

        Aead(int id, String jdkName, String jdkKey) {
            this.id = id;
            this.jdkName = jdkName;
            this.jdkKey = jdkKey;
        }
    }

    private static final int NONE = 0;

    /** The native context, or null for the JDK path. */
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private MessageDigest sha;
    private Mac mac;
    private byte[] macKey;
    /** The JDK's ciphers, by {@link Aead#ordinal()}, made at their first use. */
    private final Cipher[] ciphers = new Cipher[Aead.values().length];
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

    /**
     * X25519 (RFC 7748) of the 32-byte {@code scalar} and u-coordinate {@code u} (its top bit ignored) through
     * OpenSSL, into {@code out} (32 bytes). False where OpenSSL is not in use, and for an all-zero result (a {@code u}
     * of small order), which OpenSSL refuses: the caller then computes it otherwise. Thread-safe.
     */
    public static boolean x25519(byte[] scalar, byte[] u, byte[] out) {
        if (scalar.length != 32 || u.length != 32 || out.length != 32) {
            throw new IllegalArgumentException("X25519 takes and gives 32 bytes");
        }
        return NativeCrypto.AVAILABLE && NativeCrypto.x25519(scalar, u, out) == 0;
    }

    /**
     * Fills {@code b} with random bytes from OpenSSL's CSPRNG (its DRBG, seeded by the kernel). False, {@code b}
     * untouched, where OpenSSL is not in use: the caller then takes a {@link java.security.SecureRandom}'s (whose
     * first use costs 20-50 ms of provider set-up at start-up). Thread-safe.
     */
    public static boolean randomBytes(byte[] b) {
        if (!NativeCrypto.AVAILABLE) {
            return false;
        }
        int rc = NativeCrypto.random(b);
        if (rc != 0) {
            throw new IllegalStateException("OpenSSL's random bytes: " + NativeCrypto.describe(rc));
        }
        return true;
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

    /**
     * Encrypts and authenticates {@code in[off, off+len)} with associated data {@code aad[aadOff, aadOff+aadLen)}
     * (may be null when {@code aadLen} is 0; at most {@link #MAX_AAD} bytes): writes the ciphertext and then the
     * 16-byte tag to {@code out[outOff, outOff+len+16)}. {@code out} may be {@code in} at the same offset (in place)
     * or at a range that does not overlap. The caller must never seal two messages under one key with one nonce.
     *
     * @return the bytes written, {@code len + 16}
     */
    public synchronized int seal(Aead alg, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] in,
            int off, int len, byte[] out, int outOff) {
        checkAead(key, nonce, aad, aadOff, aadLen);
        Objects.checkFromIndexSize(off, len, in.length);
        if (len > Integer.MAX_VALUE - AEAD_TAG_LENGTH) {
            throw new IllegalArgumentException("AEAD message of " + len + " bytes");
        }
        Objects.checkFromIndexSize(outOff, len + AEAD_TAG_LENGTH, out.length);
        checkOverlap(in, off, out, outOff, len);
        try {
            return aead(alg, true, key, nonce, aad, aadOff, aadLen, in, off, len, out, outOff);
        } catch (AuthenticationFailedException e) {
            throw new IllegalStateException("sealing cannot fail authentication", e);
        }
    }

    /**
     * Checks and decrypts {@code in[off, off+len)}, ciphertext then its 16-byte tag, with associated data as
     * {@link #seal} took it: writes the plaintext to {@code out[outOff, outOff+len-16)}, which may be {@code in} at
     * the same offset or a range apart. When the tag does not match, nothing of the plaintext is given: the output
     * range is zeroed (native path) or left untouched (JDK path).
     *
     * @return the bytes written, {@code len - 16}
     * @throws AuthenticationFailedException the key, nonce, associated data, ciphertext or tag is not the sealed one
     */
    public synchronized int open(Aead alg, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen, byte[] in,
            int off, int len, byte[] out, int outOff) throws AuthenticationFailedException {
        checkAead(key, nonce, aad, aadOff, aadLen);
        Objects.checkFromIndexSize(off, len, in.length);
        if (len < AEAD_TAG_LENGTH) {
            throw new IllegalArgumentException("AEAD message of " + len + " bytes, shorter than its tag");
        }
        Objects.checkFromIndexSize(outOff, len - AEAD_TAG_LENGTH, out.length);
        checkOverlap(in, off, out, outOff, len - AEAD_TAG_LENGTH);
        return aead(alg, false, key, nonce, aad, aadOff, aadLen, in, off, len, out, outOff);
    }

    /**
     * {@link #seal(Aead, byte[], byte[], byte[], int, int, byte[], int, int, byte[], int)} of the remaining bytes of
     * {@code in} into {@code out} at its position, both advanced past what was read and written. Direct buffers on a
     * native context are read and written in place by OpenSSL (no copy); other buffers take the JDK's or the array
     * path. {@code in} and {@code out} must not overlap.
     *
     * @return the bytes written, {@code in.remaining() + 16}
     */
    public synchronized int seal(Aead alg, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen,
            java.nio.ByteBuffer in, java.nio.ByteBuffer out) {
        try {
            return buffers(alg, true, key, nonce, aad, aadOff, aadLen, in, out);
        } catch (AuthenticationFailedException e) {
            throw new IllegalStateException("sealing cannot fail authentication", e);
        }
    }

    /**
     * {@link #open(Aead, byte[], byte[], byte[], int, int, byte[], int, int, byte[], int)} of the remaining bytes of
     * {@code in} (ciphertext and tag) into {@code out} at its position, as {@link #seal(Aead, byte[], byte[], byte[],
     * int, int, java.nio.ByteBuffer, java.nio.ByteBuffer)} takes buffers. On an authentication failure no position
     * moves and no plaintext is left in {@code out}.
     *
     * @return the bytes written, {@code in.remaining() - 16}
     */
    public synchronized int open(Aead alg, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen,
            java.nio.ByteBuffer in, java.nio.ByteBuffer out) throws AuthenticationFailedException {
        return buffers(alg, false, key, nonce, aad, aadOff, aadLen, in, out);
    }

    /**
     * Writes the nonce of chunk {@code counter} of a STREAM (the construction of age's payload, c2sp.org/age) to
     * {@code out[0, 12)}: an 11-byte big-endian counter, then 1 for the last chunk and 0 for the others.
     */
    public static void streamNonce(long counter, boolean last, byte[] out) {
        if (counter < 0) {
            throw new IllegalArgumentException("chunk counter " + counter);
        }
        out[0] = out[1] = out[2] = 0;
        for (int i = 0; i < 8; i++) {
            out[3 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        out[11] = (byte) (last ? 1 : 0);
    }

    /**
     * Seals or opens a run of consecutive STREAM chunks with ChaCha20-Poly1305 under {@code key}, in one native call
     * where this context is native and both buffers are direct (else chunk by chunk, with the same bytes). The run is
     * the remaining bytes of {@code in}: plaintext cut into chunks of {@code chunk} bytes (the last one shorter, or
     * one empty chunk for no bytes) when sealing; sealed chunks of {@code chunk + 16} bytes (the last one shorter, at
     * least 16) when opening. Chunk {@code i} of the run has the nonce of {@link #streamNonce} for counter
     * {@code firstCounter + i}, with the last-chunk flag only on the run's last chunk and only when
     * {@code lastFinal}. The results go to {@code out} at its position one after the other (each chunk's ciphertext
     * and tag, or its plaintext).
     *
     * @return the chunks done: all of the run's, or, when opening, the index of the first that does not authenticate;
     *     {@code in} advances past the chunks done and {@code out} past what they wrote (nothing of the failed one)
     * @throws java.nio.BufferOverflowException {@code out} has no room for the whole run's output
     */
    public synchronized int streamChunks(boolean seal, byte[] key, int chunk, long firstCounter, boolean lastFinal,
            java.nio.ByteBuffer in, java.nio.ByteBuffer out) {
        checkAead(key, new byte[AEAD_NONCE_LENGTH], null, 0, 0);
        if (chunk < 1 || chunk > Integer.MAX_VALUE - AEAD_TAG_LENGTH || firstCounter < 0) {
            throw new IllegalArgumentException("chunk of " + chunk + " bytes, counter " + firstCounter);
        }
        int len = in.remaining();
        long step = seal ? chunk : (long) chunk + AEAD_TAG_LENGTH;
        long chunks = len == 0 ? 1 : (len + step - 1) / step;
        long last = len - (chunks - 1) * step;
        if (!seal && last < AEAD_TAG_LENGTH) {
            throw new IllegalArgumentException("a sealed chunk of " + last + " bytes, shorter than its tag");
        }
        if (firstCounter > Long.MAX_VALUE - chunks) {
            throw new IllegalArgumentException("chunk counter past 2^63");
        }
        long outLen = seal ? len + chunks * AEAD_TAG_LENGTH : len - chunks * AEAD_TAG_LENGTH;
        if (out.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        if (out.remaining() < outLen) {
            throw new java.nio.BufferOverflowException();
        }
        long h = address();
        if (active != NONE) {
            throw new IllegalStateException("a message is in progress");
        }
        if (h != 0 && in.isDirect() && out.isDirect()) {
            int n = NativeCrypto.streamDirect(h, seal, key, in, in.position(), len, out, out.position(), chunk,
                    firstCounter, lastFinal);
            Reference.reachabilityFence(this);
            if (n < 0) {
                throw new IllegalStateException("OpenSSL: " + NativeCrypto.describe(n));
            }
            boolean all = n == chunks;
            in.position(all ? in.limit() : in.position() + (int) (n * step));
            out.position(out.position() + (int) (all ? outLen : (long) n * chunk));
            return n;
        }
        byte[] nonce = new byte[AEAD_NONCE_LENGTH];
        int end = in.limit();
        try {
            for (int i = 0; i < chunks; i++) {
                boolean lastOne = i == chunks - 1;
                streamNonce(firstCounter + i, lastFinal && lastOne, nonce);
                in.limit(lastOne ? end : in.position() + (int) step);
                try {
                    buffers(Aead.CHACHA20_POLY1305, seal, key, nonce, null, 0, 0, in, out);
                } catch (AuthenticationFailedException e) {
                    if (seal) {
                        throw new IllegalStateException("sealing cannot fail authentication", e);
                    }
                    return i;
                }
            }
        } finally {
            in.limit(end);
        }
        return (int) chunks;
    }

    private int buffers(Aead alg, boolean encrypt, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen,
            java.nio.ByteBuffer in, java.nio.ByteBuffer out) throws AuthenticationFailedException {
        checkAead(key, nonce, aad, aadOff, aadLen);
        int len = in.remaining();
        if (encrypt ? len > Integer.MAX_VALUE - AEAD_TAG_LENGTH : len < AEAD_TAG_LENGTH) {
            throw new IllegalArgumentException("AEAD message of " + len + " bytes");
        }
        int outLen = encrypt ? len + AEAD_TAG_LENGTH : len - AEAD_TAG_LENGTH;
        if (out.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        if (out.remaining() < outLen) {
            throw new java.nio.BufferOverflowException();
        }
        long h = address();
        if (active != NONE) {
            throw new IllegalStateException("a message is in progress");
        }
        int n;
        if (h != 0 && in.isDirect() && out.isDirect()) {
            n = NativeCrypto.aeadDirect(h, alg.id, encrypt, key, nonce, aad, aadOff, aadLen, in, in.position(), len,
                    out, out.position());
            Reference.reachabilityFence(this);
            if (n == NativeCrypto.E_AUTH) {
                throw new AuthenticationFailedException("authentication failed");
            }
            if (n < 0) {
                throw new IllegalStateException("OpenSSL: " + NativeCrypto.describe(n));
            }
        } else if (in.hasArray() && out.hasArray()) {
            n = aead(alg, encrypt, key, nonce, aad, aadOff, aadLen, in.array(), in.arrayOffset() + in.position(), len,
                    out.array(), out.arrayOffset() + out.position());
        } else {
            byte[] a = new byte[len];
            in.duplicate().get(a);
            byte[] b = new byte[outLen];
            n = aead(alg, encrypt, key, nonce, aad, aadOff, aadLen, a, 0, len, b, 0);
            out.duplicate().put(b, 0, n);
        }
        in.position(in.position() + len);
        out.position(out.position() + n);
        return n;
    }

    private int aead(Aead alg, boolean encrypt, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen,
            byte[] in, int off, int len, byte[] out, int outOff) throws AuthenticationFailedException {
        long h = address();
        if (active != NONE) {
            throw new IllegalStateException("a message is in progress");
        }
        if (h == 0) {
            return aeadJdk(alg, encrypt, key, nonce, aad, aadOff, aadLen, in, off, len, out, outOff);
        }
        int rc = NativeCrypto.aead(h, alg.id, encrypt, key, nonce, aad, aadOff, aadLen, in, off, len, out, outOff);
        Reference.reachabilityFence(this);
        if (rc == NativeCrypto.E_AUTH) {
            throw new AuthenticationFailedException("authentication failed");
        }
        if (rc < 0) {
            throw new IllegalStateException("OpenSSL: " + NativeCrypto.describe(rc));
        }
        return rc;
    }

    private int aeadJdk(Aead alg, boolean encrypt, byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen,
            byte[] in, int off, int len, byte[] out, int outOff) throws AuthenticationFailedException {
        try {
            Cipher c = ciphers[alg.ordinal()];
            if (c == null) {
                c = ciphers[alg.ordinal()] = Cipher.getInstance(alg.jdkName);
            }
            java.security.spec.AlgorithmParameterSpec p = alg == Aead.AES_256_GCM
                    ? new GCMParameterSpec(AEAD_TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
            SecretKeySpec k = new SecretKeySpec(key, alg.jdkKey);
            int mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
            try {
                c.init(mode, k, p);
            } catch (java.security.InvalidKeyException | java.security.InvalidAlgorithmParameterException e) {
                // the JDK refuses the key and nonce of the cipher's previous message even to open it: a fresh one
                c = ciphers[alg.ordinal()] = Cipher.getInstance(alg.jdkName);
                c.init(mode, k, p);
            }
            if (aadLen > 0) {
                c.updateAAD(aad, aadOff, aadLen);
            }
            if (in == out) {
                // the JDK's ciphers do not all promise in-place work: give them a copy
                in = Arrays.copyOfRange(in, off, off + len);
                off = 0;
            }
            return c.doFinal(in, off, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw new AuthenticationFailedException("authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's " + alg.jdkName + " failed: " + e.getMessage(), e);
        }
    }

    private static void checkAead(byte[] key, byte[] nonce, byte[] aad, int aadOff, int aadLen) {
        if (key.length != AEAD_KEY_LENGTH || nonce.length != AEAD_NONCE_LENGTH) {
            throw new IllegalArgumentException("AEAD key of " + key.length + " bytes, nonce of " + nonce.length
                    + " (32 and 12)");
        }
        if (aadLen > MAX_AAD) {
            throw new IllegalArgumentException("associated data of " + aadLen + " bytes (at most " + MAX_AAD + ")");
        }
        if (aad == null) {
            if (aadLen != 0) {
                throw new IllegalArgumentException("no associated data array for " + aadLen + " bytes");
            }
        } else {
            Objects.checkFromIndexSize(aadOff, aadLen, aad.length);
        }
    }

    private static void checkOverlap(byte[] in, int off, byte[] out, int outOff, int len) {
        if (in == out && off != outOff && off < outOff + len + AEAD_TAG_LENGTH && outOff < off + len
                + AEAD_TAG_LENGTH) {
            throw new IllegalArgumentException("input and output overlap at different offsets");
        }
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
