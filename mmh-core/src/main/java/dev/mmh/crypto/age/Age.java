package dev.mmh.crypto.age;

import dev.mmh.crypto.CryptoContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Encrypts and decrypts age v1 files (c2sp.org/age), binary or armored: the library behind {@code mmh encrypt} and
 * {@code mmh decrypt}, interoperable with {@code age} and {@code rage}. The payload's chunks are sealed and opened on
 * {@code threads} worker threads ({@link AgeStream}); the bytes do not depend on the thread count, but they do on the
 * randomness every encryption draws (file key, stanza secrets, payload nonce): two encryptions of one input differ.
 *
 * <p>Streams are the caller's: neither method closes them. Thread-safe (no shared state).
 */
public final class Age {
    private Age() {
    }

    /**
     * Encrypts {@code in} to {@code out} for every one of {@code recipients}.
     *
     * @param armor write ASCII armor instead of binary
     * @throws IllegalArgumentException no recipient, a passphrase recipient together with another, or post-quantum
     *     and classic recipients together
     */
    public static void encrypt(InputStream in, OutputStream out, List<? extends Recipient> recipients, boolean armor,
            int threads) throws IOException {
        encrypt(Channels.newChannel(in), Channels.newChannel(out), recipients, armor, threads);
        out.flush();
    }

    /**
     * {@link #encrypt(InputStream, OutputStream, List, boolean, int)} between channels: with a file or pipe channel
     * on both sides (and OpenSSL) the payload is read, sealed and written without a copy in Java.
     */
    public static void encrypt(ReadableByteChannel in, WritableByteChannel out, List<? extends Recipient> recipients,
            boolean armor, int threads) throws IOException {
        byte[][] wrapped = wrapNewFileKey(recipients);
        byte[] fileKey = wrapped[0];
        byte[] header = wrapped[1];
        byte[] nonce = Wrap.random(AgeStream.NONCE_SIZE);
        byte[] key = AgeStream.payloadKey(fileKey, nonce);
        java.util.Arrays.fill(fileKey, (byte) 0);
        Armor.Writer a = armor ? Armor.writer(Channels.newOutputStream(out)) : null;
        WritableByteChannel o = a != null ? Channels.newChannel(a) : out;
        writeFully(o, ByteBuffer.wrap(header));
        writeFully(o, ByteBuffer.wrap(nonce));
        AgeStream.encrypt(key, in, o, threads);
        java.util.Arrays.fill(key, (byte) 0);
        if (a != null) {
            a.finish();
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /**
     * Decrypts the age file {@code in} (binary or armored, told apart by its first bytes) to {@code out} with the
     * first of {@code identities} that opens a stanza. Every chunk is authenticated before it is written; when one
     * fails, the chunks before it have been written and the exception is thrown: a caller that must not release
     * unauthenticated-as-a-whole output writes to a temporary file and keeps it only on success.
     *
     * @return the type of the stanza that opened the file ({@code X25519}, {@code scrypt}, {@code mlkem768x25519})
     * @throws dev.mmh.NotMmhFormatException not an age file
     * @throws AgeArmorException bad armor
     * @throws AgeHeaderException a malformed header, or a malformed stanza of an identity's type
     * @throws AgeAuthException no identity matches, the header's MAC does not match, or the payload is altered,
     *     truncated or extended
     */
    public static String decrypt(InputStream in, OutputStream out, List<? extends Identity> identities, int threads)
            throws IOException {
        String s = decrypt(Channels.newChannel(in), Channels.newChannel(out), identities, threads);
        out.flush();
        return s;
    }

    /** {@link #decrypt(InputStream, OutputStream, List, int)} between channels, as {@link #encrypt} takes them. */
    public static String decrypt(ReadableByteChannel in, WritableByteChannel out, List<? extends Identity> identities,
            int threads) throws IOException {
        long start = -1;
        if (in instanceof FileChannel f) {
            try {
                start = f.position();
            } catch (IOException e) {
                // a pipe (stdin of cat x.age | mmh decrypt) has no position: read on as from any channel
            }
        }
        ByteBuffer first = ByteBuffer.allocate(1 << 16);
        while (first.hasRemaining() && in.read(first) >= 0) {
            // the file's start: armor or binary, and most likely the whole header
        }
        first.flip();
        ByteArrayInputStream head = new ByteArrayInputStream(first.array(), 0, first.limit());
        InputStream rest = new SequenceInputStream(head, Channels.newInputStream(in));
        boolean armored = Armor.isArmor(first.array(), Math.min(first.limit(), 1024));
        InputStream src = armored ? new BufferedInputStream(Armor.reader(rest), 1 << 16) : rest;
        AgeHeader h = AgeHeader.read(src);
        byte[] fileKey = fileKey(h, identities);
        byte[] nonce = src.readNBytes(AgeStream.NONCE_SIZE);
        if (nonce.length != AgeStream.NONCE_SIZE) {
            throw new AgeHeaderException("the file ends before the payload nonce", h.length());
        }
        byte[] key = AgeStream.payloadKey(fileKey, nonce);
        java.util.Arrays.fill(fileKey, (byte) 0);
        ReadableByteChannel payload;
        if (armored) {
            payload = Channels.newChannel(src);
        } else if (start >= 0) {
            // a file: the payload read (or mapped) from its own offset
            FileChannel f = (FileChannel) in;
            f.position(start + h.length() + AgeStream.NONCE_SIZE);
            payload = f;
        } else {
            // what is left of the first read, then the channel itself
            ByteBuffer left = ByteBuffer.wrap(first.array(), first.limit() - head.available(), head.available());
            payload = new ReadableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    if (!left.hasRemaining()) {
                        return in.read(dst);
                    }
                    int k = Math.min(left.remaining(), dst.remaining());
                    ByteBuffer part = left.duplicate();
                    part.limit(part.position() + k);
                    dst.put(part);
                    left.position(left.position() + k);
                    return k;
                }

                @Override
                public boolean isOpen() {
                    return in.isOpen();
                }

                @Override
                public void close() {
                    // the caller's
                }
            };
        }
        AgeStream.decrypt(key, payload, out, threads, h.length() + AgeStream.NONCE_SIZE);
        java.util.Arrays.fill(key, (byte) 0);
        return h.opened;
    }

    /**
     * A new random 16-byte file key and an age header that wraps it for every one of {@code recipients} (their rules
     * as in {@link #encrypt}): what an encrypted archive's {@code E} section holds. The caller owns and wipes the key.
     *
     * @return {@code {fileKey, headerBytes}}
     */
    public static byte[][] wrapNewFileKey(List<? extends Recipient> recipients) {
        check(recipients);
        byte[] fileKey = Wrap.random(Wrap.FILE_KEY_SIZE);
        List<Stanza> stanzas = new java.util.ArrayList<>();
        for (Recipient r : recipients) {
            stanzas.addAll(r.wrap(fileKey));
        }
        return new byte[][] {fileKey, AgeHeader.write(stanzas, fileKey)};
    }

    /**
     * The file key an age header ({@code header}, exactly the header's bytes) wraps, opened by the first of {@code
     * identities} that matches a stanza, with the header's MAC checked.
     *
     * @throws AgeHeaderException a malformed header
     * @throws AgeAuthException no identity matches, or the MAC does not
     */
    public static byte[] unwrapFileKey(byte[] header, List<? extends Identity> identities) throws IOException {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(header);
        AgeHeader h = AgeHeader.read(in);
        if (in.available() != 0) {
            throw new AgeHeaderException("bytes after the age header", h.length());
        }
        return fileKey(h, identities);
    }

    /** The types of the stanzas of an age header ({@code X25519}, {@code scrypt}, ...), each once, in order. */
    public static List<String> stanzaTypes(byte[] header) throws IOException {
        Set<String> types = new LinkedHashSet<>();
        for (Stanza s : AgeHeader.read(new java.io.ByteArrayInputStream(header)).stanzas()) {
            types.add(s.type());
        }
        return List.copyOf(types);
    }

    /** How many stanzas an age header has. */
    public static int stanzaCount(byte[] header) throws IOException {
        return AgeHeader.read(new java.io.ByteArrayInputStream(header)).stanzas().size();
    }

    private static void check(List<? extends Recipient> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipient");
        }
        if (recipients.size() > 1 && recipients.stream().anyMatch(Recipient::mustBeAlone)) {
            throw new IllegalArgumentException("a passphrase cannot be combined with other recipients");
        }
        if (recipients.stream().map(Recipient::postQuantum).distinct().count() > 1) {
            throw new IllegalArgumentException("post-quantum recipients cannot be mixed with classic ones (age's rule:"
                    + " the classic one would be the file's weak link)");
        }
    }

    private static byte[] fileKey(AgeHeader h, List<? extends Identity> identities) throws IOException {
        List<Stanza> stanzas = h.stanzas();
        Set<String> types = new LinkedHashSet<>();
        for (Stanza s : stanzas) {
            types.add(s.type());
        }
        if (types.contains(ScryptRecipient.TYPE) && stanzas.size() > 1) {
            throw new AgeHeaderException("an scrypt stanza must be the only one in its header", -1);
        }
        for (Identity id : identities) {
            byte[] fileKey = id.unwrap(stanzas);
            if (fileKey != null) {
                if (!h.macMatches(fileKey)) {
                    throw new AgeAuthException(AgeAuthException.Kind.HEADER_MAC,
                            "age header: its MAC does not match (the header was altered)");
                }
                h.opened = id instanceof ScryptIdentity ? ScryptRecipient.TYPE : id instanceof HybridIdentity
                        ? HybridRecipient.TYPE : X25519Recipient.TYPE;
                return fileKey;
            }
        }
        boolean passphrase = types.contains(ScryptRecipient.TYPE)
                && identities.stream().anyMatch(i -> i instanceof ScryptIdentity);
        throw new AgeAuthException(AgeAuthException.Kind.NO_MATCH, passphrase ? "wrong passphrase"
                : "no identity matches a recipient of this file (its stanzas: " + String.join(", ", types) + ")");
    }

    /** Whether the AEAD of the payload runs on OpenSSL ({@code libmmhcrypto.so}) here, else on the JDK. */
    public static boolean nativeAead() {
        try (CryptoContext c = CryptoContext.open()) {
            return c.isNative();
        }
    }
}
