package dev.mmh.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmh.AuthenticationFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The AEADs of {@link CryptoContext} on both paths (OpenSSL where it was built, the JDK always): RFC 8439's
 * ChaCha20-Poly1305 vector and the GCM specification's AES-256 test case 16, each path against the other on random
 * messages of many lengths (more than one 1 MiB pinning slice too), in place, and every kind of tampering refused.
 */
class AeadTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void chacha20Poly1305MatchesRfc8439() throws Exception {
        byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = HEX.parseHex("070000004041424344454647");
        byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        String sealed = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da9272"
                + "8b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3"
                + "ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";
        knownAnswer(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, aad, plain, sealed);
    }

    @Test
    void aes256GcmMatchesTestCase16() throws Exception {
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plain = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        String sealed = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10568288"
                + "38c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b";
        knownAnswer(CryptoContext.Aead.AES_256_GCM, key, nonce, aad, plain, sealed);
    }

    private static void knownAnswer(CryptoContext.Aead alg, byte[] key, byte[] nonce, byte[] aad, byte[] plain,
            String sealed) throws Exception {
        for (CryptoContext c : CryptoContextTest.contexts()) {
            try (c) {
                byte[] out = new byte[plain.length + 16 + 3];
                assertEquals(plain.length + 16, c.seal(alg, key, nonce, aad, 0, aad.length, plain, 0, plain.length,
                        out, 3));
                assertEquals(sealed, HEX.formatHex(out, 3, out.length), alg + " native=" + c.isNative());
                byte[] back = new byte[plain.length];
                c.open(alg, key, nonce, aad, 0, aad.length, out, 3, plain.length + 16, back, 0);
                assertArrayEquals(plain, back);
                // every single-bit change of ciphertext, tag, aad, nonce or key is refused
                for (int i = 3; i < out.length; i += 7) {
                    out[i] ^= 0x10;
                    final byte[] o = out;
                    assertThrows(AuthenticationFailedException.class, () -> c.open(alg, key, nonce, aad, 0,
                            aad.length, o, 3, plain.length + 16, back, 0), "flip at " + i);
                    out[i] ^= 0x10;
                }
                byte[] badAad = aad.clone();
                badAad[0] ^= 1;
                assertThrows(AuthenticationFailedException.class, () -> c.open(alg, key, nonce, badAad, 0,
                        badAad.length, out, 3, plain.length + 16, back, 0));
                byte[] badNonce = nonce.clone();
                badNonce[11] ^= 1;
                assertThrows(AuthenticationFailedException.class, () -> c.open(alg, key, badNonce, aad, 0,
                        aad.length, out, 3, plain.length + 16, back, 0));
                byte[] badKey = key.clone();
                badKey[31] ^= 1;
                assertThrows(AuthenticationFailedException.class, () -> c.open(alg, badKey, nonce, aad, 0,
                        aad.length, out, 3, plain.length + 16, back, 0));
            }
        }
    }

    @Test
    void bothPathsGiveTheSameBytesAtEveryLength() throws Exception {
        SplittableRandom r = new SplittableRandom(8439);
        int[] lengths = {0, 1, 15, 16, 17, 63, 64, 65, 1000, 65536, 65537, (1 << 20) - 1, (1 << 20) + 17, 3 << 20};
        var all = CryptoContextTest.contexts();
        for (CryptoContext.Aead alg : CryptoContext.Aead.values()) {
            for (int len : lengths) {
                byte[] key = bytes(r, 32);
                byte[] nonce = bytes(r, 12);
                byte[] aad = bytes(r, len % 40);
                byte[] plain = bytes(r, len);
                byte[] first = null;
                for (CryptoContext c : all) {
                    byte[] out = new byte[len + 16];
                    c.seal(alg, key, nonce, aad, 0, aad.length, plain, 0, len, out, 0);
                    if (first == null) {
                        first = out;
                    } else {
                        assertArrayEquals(first, out, alg + " " + len);
                    }
                    // in place: the sealed message opened over itself
                    byte[] buf = out.clone();
                    assertEquals(len, c.open(alg, key, nonce, aad, 0, aad.length, buf, 0, len + 16, buf, 0));
                    assertArrayEquals(plain, Arrays.copyOf(buf, len));
                    // a flipped byte of a long message: nothing of the plaintext is given
                    if (len > 0) {
                        byte[] bad = out.clone();
                        bad[r.nextInt(len)] ^= 1;
                        byte[] dst = new byte[len];
                        Arrays.fill(dst, (byte) 0x55);
                        assertThrows(AuthenticationFailedException.class, () -> c.open(alg, key, nonce, aad, 0,
                                aad.length, bad, 0, len + 16, dst, 0));
                        for (byte b : dst) {
                            if (b != 0 && b != 0x55) {
                                throw new AssertionError("plaintext left in the output after a failed open");
                            }
                        }
                    }
                }
            }
        }
        all.forEach(CryptoContext::close);
    }

    @Test
    void directBuffersGiveTheArraysBytes() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        for (CryptoContext c : CryptoContextTest.contexts()) {
            try (c) {
                for (int len : new int[] {0, 1, 65536, 65552, 1 << 21}) {
                    byte[] key = bytes(r, 32);
                    byte[] nonce = bytes(r, 12);
                    byte[] plain = bytes(r, len);
                    byte[] expect = new byte[len + 16];
                    c.seal(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, null, 0, 0, plain, 0, len, expect, 0);
                    java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(len + 5);
                    in.position(5);
                    in.put(plain).position(5);
                    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(len + 40);
                    out.position(7);
                    assertEquals(len + 16, c.seal(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, null, 0, 0, in,
                            out));
                    assertEquals(len + 5, in.position());
                    assertEquals(len + 23, out.position());
                    byte[] got = new byte[len + 16];
                    out.flip().position(7);
                    out.duplicate().get(got);
                    assertArrayEquals(expect, got, "native=" + c.isNative() + " " + len);
                    java.nio.ByteBuffer back = java.nio.ByteBuffer.allocateDirect(len);
                    c.open(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, null, 0, 0, out, back);
                    byte[] p = new byte[len];
                    back.flip().get(p);
                    assertArrayEquals(plain, p);
                    java.nio.ByteBuffer bad = java.nio.ByteBuffer.allocateDirect(len + 16);
                    bad.put(expect).flip();
                    bad.put(len / 2, (byte) (bad.get(len / 2) ^ 1));
                    java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(len);
                    assertThrows(AuthenticationFailedException.class, () -> c.open(CryptoContext.Aead
                            .CHACHA20_POLY1305, key, nonce, null, 0, 0, bad, dst));
                    assertEquals(0, bad.position());
                    assertEquals(0, dst.position());
                }
            }
        }
    }

    /** The run of chunks {@link CryptoContext#streamChunks} must give: each chunk sealed alone with its nonce. */
    private static byte[] sealedOneByOne(byte[] key, byte[] plain, int chunk, long first, boolean lastFinal) {
        int chunks = Math.max(1, (plain.length + chunk - 1) / chunk);
        byte[] out = new byte[plain.length + 16 * chunks];
        byte[] nonce = new byte[12];
        try (CryptoContext c = CryptoContext.openJdk()) {
            for (int i = 0; i < chunks; i++) {
                int off = i * chunk;
                int len = Math.min(chunk, plain.length - off);
                CryptoContext.streamNonce(first + i, lastFinal && i == chunks - 1, nonce);
                c.seal(CryptoContext.Aead.CHACHA20_POLY1305, key, nonce, null, 0, 0, plain, off, len, out,
                        off + 16 * i);
            }
        }
        return out;
    }

    private static java.nio.ByteBuffer direct(byte[] b, int at) {
        java.nio.ByteBuffer d = java.nio.ByteBuffer.allocateDirect(at + b.length + 64);
        d.position(at);
        d.put(b).flip().position(at);
        return d;
    }

    @Test
    void runsOfStreamChunksAreTheChunksSealedOneByOne() throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        int chunk = 1000;
        byte[] key = bytes(r, 32);
        for (CryptoContext c : CryptoContextTest.contexts()) {
            try (c) {
                for (int len : new int[] {0, 1, 999, 1000, 1001, 5000, 5017}) {
                    for (boolean lastFinal : new boolean[] {false, true}) {
                        String what = "native=" + c.isNative() + " " + len + " " + lastFinal;
                        byte[] plain = bytes(r, len);
                        long first = len == 5017 ? (1L << 40) - 2 : 3; // the counter carries across a byte
                        byte[] expect = sealedOneByOne(key, plain, chunk, first, lastFinal);
                        int chunks = Math.max(1, (len + chunk - 1) / chunk);
                        java.nio.ByteBuffer in = direct(plain, 5);
                        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(expect.length + 9);
                        out.position(9);
                        assertEquals(chunks, c.streamChunks(true, key, chunk, first, lastFinal, in, out), what);
                        assertEquals(5 + len, in.position());
                        assertEquals(9 + expect.length, out.position());
                        byte[] got = new byte[expect.length];
                        out.flip().position(9);
                        out.get(got);
                        assertArrayEquals(expect, got, what);
                        // heap buffers take the chunk-by-chunk path: the same bytes
                        java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate(expect.length);
                        c.streamChunks(true, key, chunk, first, lastFinal, java.nio.ByteBuffer.wrap(plain), heap);
                        assertArrayEquals(expect, heap.array(), what + " heap");

                        java.nio.ByteBuffer sealed = direct(expect, 3);
                        java.nio.ByteBuffer back = java.nio.ByteBuffer.allocateDirect(len + 2);
                        back.position(2);
                        assertEquals(chunks, c.streamChunks(false, key, chunk, first, lastFinal, sealed, back), what);
                        assertEquals(3 + expect.length, sealed.position());
                        assertEquals(2 + len, back.position());
                        byte[] p = new byte[len];
                        back.flip().position(2);
                        back.get(p);
                        assertArrayEquals(plain, p, what);
                        // the wrong last-chunk flag: the run stops at the last chunk, having opened those before it
                        sealed = direct(expect, 0);
                        back = java.nio.ByteBuffer.allocateDirect(len);
                        assertEquals(chunks - 1, c.streamChunks(false, key, chunk, first, !lastFinal, sealed, back),
                                what);
                        assertEquals((chunks - 1) * (chunk + 16), sealed.position(), what);
                        assertEquals((chunks - 1) * chunk, back.position(), what);
                    }
                }
                // a flipped byte in chunk 3 of 6: chunks 0-2 opened, the run stops there and gives nothing of chunk 3
                byte[] plain = bytes(r, 5500);
                byte[] sealed = sealedOneByOne(key, plain, chunk, 0, true);
                sealed[3 * (chunk + 16) + 500] ^= 0x40;
                java.nio.ByteBuffer back = java.nio.ByteBuffer.allocateDirect(plain.length);
                java.nio.ByteBuffer in = direct(sealed, 0);
                assertEquals(3, c.streamChunks(false, key, chunk, 0, true, in, back));
                assertEquals(3 * (chunk + 16), in.position());
                assertEquals(3 * chunk, back.position());
                byte[] p = new byte[3 * chunk];
                back.flip().get(p);
                assertArrayEquals(Arrays.copyOf(plain, 3 * chunk), p);
                java.nio.ByteBuffer small = java.nio.ByteBuffer.allocateDirect(plain.length - 1);
                assertThrows(java.nio.BufferOverflowException.class, () -> c.streamChunks(false, key, chunk, 0, true,
                        direct(sealed, 0), small));
            }
        }
    }

    @Test
    void refusesBadArguments() {
        try (CryptoContext c = CryptoContext.open()) {
            byte[] k = new byte[32];
            byte[] n = new byte[12];
            byte[] b = new byte[64];
            var alg = CryptoContext.Aead.CHACHA20_POLY1305;
            assertThrows(IllegalArgumentException.class, () -> c.seal(alg, new byte[16], n, null, 0, 0, b, 0, 8, b,
                    32));
            assertThrows(IllegalArgumentException.class, () -> c.seal(alg, k, new byte[8], null, 0, 0, b, 0, 8, b, 32));
            assertThrows(IndexOutOfBoundsException.class, () -> c.seal(alg, k, n, null, 0, 0, b, 0, 60, b, 0));
            assertThrows(IllegalArgumentException.class, () -> c.seal(alg, k, n, null, 0, 0, b, 0, 8, b, 4));
            assertThrows(IllegalArgumentException.class, () -> c.open(alg, k, n, null, 0, 0, b, 0, 15, b, 32));
            assertThrows(IllegalArgumentException.class, () -> c.seal(alg, k, n, null, 0, 3, b, 0, 8, b, 32));
        }
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
