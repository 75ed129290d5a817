package dev.mmh.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.io.NativeLibraries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Known answers (FIPS 180-4's examples for SHA-256, RFC 4231's test cases for HMAC-SHA-256) on both paths, OpenSSL
 * and the JDK, and the two paths against each other on long and sliced inputs.
 */
class CryptoContextTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Both paths where the native one was built (it must then load), else the JDK's alone. */
    static List<CryptoContext> contexts() {
        List<CryptoContext> l = new ArrayList<>();
        l.add(CryptoContext.openJdk());
        if (CryptoContext.class.getResource(NativeLibraries.CRYPTO) != null) {
            assertNull(CryptoContext.nativeLoadError(), "libmmhcrypto.so was built but is not in use");
            CryptoContext n = CryptoContext.open();
            assertTrue(n.isNative());
            l.add(n);
        }
        return l;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(int b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void sha256KnownAnswersOfFips180() {
        String[][] vectors = {
            {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
            {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
            {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
            {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
                + "nopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        };
        for (CryptoContext c : contexts()) {
            try (c) {
                for (String[] v : vectors) {
                    byte[] in = ascii(v[0]);
                    assertEquals(v[1], HEX.formatHex(c.sha256(in, 0, in.length)), c.isNative() + " " + v[0]);
                }
                // one million 'a', one-shot and fed in 1,000 pieces
                byte[] a = repeat('a', 1_000_000);
                String million = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
                assertEquals(million, HEX.formatHex(c.sha256(a, 0, a.length)));
                c.beginSha256();
                for (int i = 0; i < 1000; i++) {
                    c.update(a, i * 1000, 1000);
                }
                byte[] out = new byte[40];
                c.end(out, 8);
                assertEquals(million, HEX.formatHex(out, 8, 40));
            }
        }
    }

    @Test
    void hmacSha256KnownAnswersOfRfc4231() {
        byte[] big = repeat(0xaa, 131);
        Object[][] cases = {
            {repeat(0x0b, 20), ascii("Hi There"),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
            {ascii("Jefe"), ascii("what do ya want for nothing?"),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
            {repeat(0xaa, 20), repeat(0xdd, 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
            {HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
            {repeat(0x0c, 20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
            {big, ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
            {big, ascii("This is a test using a larger than block-size key and a larger than block-size data. The key "
                + "needs to be hashed before being used by the HMAC algorithm."),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
        };
        for (CryptoContext c : contexts()) {
            try (c) {
                for (int i = 0; i < cases.length; i++) {
                    byte[] key = (byte[]) cases[i][0];
                    byte[] data = (byte[]) cases[i][1];
                    String want = (String) cases[i][2];
                    String got = HEX.formatHex(c.hmacSha256(key, data, 0, data.length));
                    assertEquals(want, got.substring(0, want.length()), c.isNative() + " case " + (i + 1));
                    // incremental, in two pieces, gives the same
                    c.beginHmacSha256(key);
                    c.update(data, 0, data.length / 2);
                    c.update(data, data.length / 2, data.length - data.length / 2);
                    byte[] out = new byte[32];
                    c.end(out, 0);
                    assertEquals(got, HEX.formatHex(out));
                }
            }
        }
    }

    @Test
    void nativeAndJdkAgreeOnLongAndOddlySlicedInputs() {
        List<CryptoContext> cs = contexts();
        SplittableRandom r = new SplittableRandom(7);
        byte[] data = new byte[(3 << 20) + 12_345]; // longer than the 1 MiB the native path pins at once
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) r.nextInt(256);
        }
        byte[] key = Arrays.copyOf(data, 77);
        for (int[] range : new int[][] {{0, data.length}, {5, (1 << 20) + 1}, {3, 1 << 20}, {100, 0}}) {
            List<String> sha = new ArrayList<>();
            List<String> mac = new ArrayList<>();
            for (CryptoContext c : cs) {
                sha.add(HEX.formatHex(c.sha256(data, range[0], range[1])));
                mac.add(HEX.formatHex(c.hmacSha256(key, data, range[0], range[1])));
                c.beginSha256();
                int at = range[0];
                int end = range[0] + range[1];
                while (at < end) {
                    int n = Math.min(end - at, r.nextInt(3) == 0 ? r.nextInt(3 << 20) : r.nextInt(100));
                    c.update(data, at, n);
                    at += n;
                }
                byte[] out = new byte[32];
                c.end(out, 0);
                assertEquals(sha.get(sha.size() - 1), HEX.formatHex(out), "sliced");
            }
            assertEquals(1, sha.stream().distinct().count(), "SHA-256 differs between paths: " + sha);
            assertEquals(1, mac.stream().distinct().count(), "HMAC differs between paths: " + mac);
        }
        cs.forEach(CryptoContext::close);
    }

    @Test
    void differentKeysGiveDifferentMacsAndTheSameKeyTheSame() {
        byte[] data = ascii("chunk bytes");
        for (CryptoContext c : contexts()) {
            try (c) {
                byte[] k1 = repeat(1, 32);
                byte[] k2 = repeat(2, 32);
                byte[] a = c.hmacSha256(k1, data, 0, data.length);
                byte[] b = c.hmacSha256(k2, data, 0, data.length);
                byte[] again = c.hmacSha256(k1, data, 0, data.length);
                assertFalse(Arrays.equals(a, b));
                assertArrayEquals(a, again);
                k1[0] = 9; // the context must not keep a reference to the caller's key
                assertFalse(Arrays.equals(a, c.hmacSha256(k1, data, 0, data.length)));
            }
        }
    }

    @Test
    void refusesBadArgumentsAndCallsOutOfOrder() {
        byte[] data = new byte[100];
        byte[] out = new byte[32];
        for (CryptoContext c : contexts()) {
            assertThrows(IndexOutOfBoundsException.class, () -> c.sha256(data, 90, 11, out, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> c.sha256(data, -1, 1, out, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> c.sha256(data, 0, 10, out, 1));
            assertThrows(IllegalArgumentException.class, () -> c.hmacSha256(new byte[0], data, 0, 1, out, 0));
            assertThrows(IllegalArgumentException.class, () -> c.hmacSha256(new byte[1025], data, 0, 1, out, 0));
            assertThrows(IllegalStateException.class, () -> c.update(data, 0, 1));
            assertThrows(IllegalStateException.class, () -> c.end(out, 0));
            c.beginSha256();
            assertThrows(IllegalStateException.class, c::beginSha256);
            assertThrows(IllegalStateException.class, () -> c.sha256(data, 0, 1, out, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> c.update(data, 50, 51));
            c.update(data, 0, 100);
            c.end(out, 0);
            assertArrayEquals(c.sha256(data, 0, 100), out, "the message survived the refused calls");
            c.close();
            c.close();
            assertThrows(IllegalStateException.class, () -> c.sha256(data, 0, 1, out, 0));
            assertThrows(IllegalStateException.class, c::beginSha256);
        }
    }
}
