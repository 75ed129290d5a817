package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The frozen format: {@code golden-v1.mmhr} is the sidecar of {@link #input()} at 5%, written by format version
 * 1. A change to its bytes is a format change (new version and a docs/RECOVERY-FORMAT.md entry). To re-freeze
 * after such a change: {@code mvn -pl mmh-core test -Dtest=GoldenSectionTest -Dmmh.freezeGolden=DIR} writes the
 * file into DIR.
 */
class GoldenSectionTest {
    private static final String GOLDEN = "golden-v1.mmhr";

    /** 3000 bytes of a fixed pattern. */
    static byte[] input() {
        byte[] b = new byte[3000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 % 251 ^ i >>> 7);
        }
        return b;
    }

    private static byte[] encode() throws IOException {
        MemoryChannel out = new MemoryChannel();
        RecoveryEncoder.encode(new MemoryChannel(input()), input().length,
                RecoveryOptions.of(0.05).withThreads(1).withSidecar(true), out, 0);
        return out.toByteArray();
    }

    private static byte[] golden() throws IOException {
        String freeze = System.getProperty("mmh.freezeGolden");
        if (freeze != null) {
            Files.write(Path.of(freeze, GOLDEN), encode());
        }
        try (InputStream in = GoldenSectionTest.class.getResourceAsStream(GOLDEN)) {
            return in.readAllBytes();
        }
    }

    @Test
    void encoderStillWritesTheFrozenBytes() throws IOException {
        assertArrayEquals(golden(), encode());
    }

    @Test
    void frozenHeaderFieldsSitWhereTheDocumentSays() throws IOException {
        byte[] g = golden();
        ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = {(byte) 0x89, 'M', 'M', 'H', 'R', 'E', 'C', '\n'};
        for (int copy = 0; copy < 2; copy++) {
            int at = copy == 0 ? 0 : g.length - 128;
            assertArrayEquals(magic, java.util.Arrays.copyOfRange(g, at, at + 8));
            assertEquals(1, b.getShort(at + 8));
            assertEquals(copy, g[at + 10]);
            assertEquals(1, g[at + 11], "sidecar flag");
            assertEquals(1, g[at + 12], "code");
            int m = g[at + 13];
            int k = b.getShort(at + 14);
            int s = b.getInt(at + 16);
            int chunk = b.getInt(at + 20);
            assertEquals(3000, b.getLong(at + 24));
            long d = b.getLong(at + 32);
            assertEquals((3000 + s - 1) / s, d);
            long gw = b.getLong(at + 40);
            assertEquals(0, b.getLong(at + 48), "section offset");
            assertEquals(g.length, b.getLong(at + 56), "section length");
            long tableLen = (d + m * gw + chunk - 1) / chunk * (4L * chunk + 4);
            assertEquals(256 + 2 * tableLen + m * gw * s, g.length);
            assertEquals(k, (d + gw - 1) / gw);
            CRC32C crc = new CRC32C();
            crc.update(g, at, 124);
            assertEquals((int) crc.getValue(), b.getInt(at + 124));
            assertEquals(documentedDigest(input(), s), b.getLong(at + 64), "digest");
            // table copy 0, entry 0: CRC32C of data shard 0
            CRC32C shard0 = new CRC32C();
            shard0.update(input(), 0, s);
            assertEquals((int) shard0.getValue(), b.getInt(128));
        }
    }

    @Test
    void frozenParityAndTableFollowTheDocumentedCode() throws IOException {
        byte[] g = golden();
        ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
        int m = g[13];
        int k = b.getShort(14);
        int s = b.getInt(16);
        int chunk = b.getInt(20);
        long d = b.getLong(32);
        int words = (int) b.getLong(40);
        long tableLen = (d + (long) m * words + chunk - 1) / chunk * (4L * chunk + 4);
        int parityAt = (int) (128 + tableLen);
        byte[] in = input();
        int[] alphaPow = new int[255];
        for (int e = 0, v = 1; e < 255; e++) {
            alphaPow[e] = v;
            v = v << 1 ^ ((v & 0x80) != 0 ? 0x11D : 0);
        }
        for (int w = 0; w < words; w++) {
            for (int t = 0; t < s; t++) {
                for (int r = 0; r < m; r++) {
                    int e = -(m / 2) + r;
                    int sum = 0;
                    for (int j = 0; j < k + m; j++) {
                        int c;
                        if (j < k) {
                            long pos = ((long) w + (long) j * words) * s + t;
                            c = pos < in.length ? in[(int) pos] & 0xFF : 0;
                        } else {
                            c = g[parityAt + ((j - k) * words + w) * s + t] & 0xFF;
                        }
                        sum ^= ReedSolomonTestSupport.mul(c, alphaPow[Math.floorMod(e * j, 255)]);
                    }
                    assertEquals(0, sum, "check " + e + " of code word " + w + " at offset " + t);
                }
            }
        }
        CRC32C chunk0 = new CRC32C();
        chunk0.update(g, 128, 4 * chunk);
        chunk0.update(new byte[4]);
        assertEquals((int) chunk0.getValue(), b.getInt(128 + 4 * chunk), "table chunk 0 CRC");
    }

    /** The digest exactly as docs/RECOVERY-FORMAT.md defines it. */
    private static long documentedDigest(byte[] data, int s) {
        long h = mix(data.length ^ ((long) s << 40));
        for (int i = 0; (long) i * s < data.length; i++) {
            int len = Math.min(s, data.length - i * s);
            CRC32C c = new CRC32C();
            c.update(data, i * s, len);
            java.util.zip.CRC32 z = new java.util.zip.CRC32();
            z.update(data, i * s, len);
            h = mix(h ^ (c.getValue() << 32 | z.getValue())) + i;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z ^= z >>> 30;
        z *= 0xBF58476D1CE4E5B9L;
        z ^= z >>> 27;
        z *= 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void frozenSectionStillVerifiesAndRepairsItsInput() throws IOException {
        MemoryChannel sec = new MemoryChannel(golden());
        RecoveryData rd = RecoveryData.read(sec, 0);
        assertEquals(DamageReport.Status.CLEAN, Repairer.scan(new MemoryChannel(input()), sec, rd, 1).status());
        byte[] damaged = input();
        damaged[0] ^= 0x40;
        damaged[2999] ^= 0x01;
        MemoryChannel data = new MemoryChannel(damaged);
        DamageReport r = Repairer.scan(data, sec, rd, 1);
        MemoryChannel out = new MemoryChannel();
        Repairer.repair(data, sec, rd, r, out, 1);
        assertArrayEquals(input(), out.toByteArray());
    }
}
