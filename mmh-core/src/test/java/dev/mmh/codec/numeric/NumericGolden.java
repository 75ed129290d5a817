package dev.mmh.codec.numeric;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Golden blocks of the numeric codec's formats, committed under src/test/resources/golden/numeric (made by
 * {@link #main}, run from the mmh-core folder, with the pure-Java coder of format 01 as it was when the native one
 * was written). Their inputs are regenerated here from seeds. A changed golden byte is a format change.
 */
final class NumericGolden {
    private NumericGolden() {
    }

    /** A golden case: its input, and the format-01 layout it was coded with (null: format 00, layout below). */
    record Case(byte[] input, int[] ransLayout, int[] adaptiveLayout) {
    }

    static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("f32.01", new Case(float32(30_001, 11), RansModel.LAYOUTS[0], null));
        m.put("bf16.01", new Case(bfloat16(20_001, 12), RansModel.LAYOUTS[1], null));
        m.put("f16.01", new Case(float16(20_000, 13), RansModel.LAYOUTS[2], null));
        m.put("s16.01", new Case(samples16(20_000, 14), RansModel.LAYOUTS[3], null));
        m.put("u8.01", new Case(samples16(10_003, 15), RansModel.LAYOUTS[4], null));
        m.put("s16.00", new Case(samples16(20_000, 14), null, new int[] {2, 0, 0x7C}));
        return m;
    }

    /** Gaussian weights of two scales (0.02 and 0.5), little-endian float32, then a tail of odd bytes. */
    static byte[] float32(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i + 3 < n; i += 4) {
            int v = Float.floatToIntBits((float) (r.nextGaussian() * (i % 8000 < 4000 ? 0.02 : 0.5)));
            put(b, i, v, 4);
        }
        for (int i = n & ~3; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** The float32 weights' top halves (bfloat16 by truncation). */
    static byte[] bfloat16(int n, long seed) {
        byte[] f = float32(2 * n + 4, seed);
        byte[] b = new byte[n];
        for (int i = 0; i + 1 < n; i += 2) {
            b[i] = f[2 * i + 2];
            b[i + 1] = f[2 * i + 3];
        }
        if ((n & 1) != 0) {
            b[n - 1] = f[0];
        }
        return b;
    }

    /** Gaussian weights as IEEE half floats (normal range, mantissa truncated). */
    static byte[] float16(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i + 1 < n; i += 2) {
            int v = Float.floatToIntBits((float) (r.nextGaussian() * 0.05));
            int exp = ((v >>> 23) & 0xFF) - 127 + 15;
            int h = (v >>> 16) & 0x8000;
            if (exp > 0) {
                h |= exp << 10 | (v >>> 13) & 0x3FF;
            }
            put(b, i, h, 2);
        }
        return b;
    }

    /** A slow sine with noise, 16-bit little-endian samples. */
    static byte[] samples16(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i + 1 < n; i += 2) {
            put(b, i, (int) (3000 * Math.sin(i / 300.0)) + r.nextInt(64), 2);
        }
        if ((n & 1) != 0) {
            b[n - 1] = 7;
        }
        return b;
    }

    private static void put(byte[] b, int at, int v, int bytes) {
        for (int k = 0; k < bytes; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = NumericGolden.class.getResourceAsStream("/golden/numeric/" + name)) {
            if (in == null) {
                throw new IOException("golden file missing: " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Codes a case as its golden was made. */
    static byte[] encode(Case c, RansModel rans) {
        byte[] out = new byte[2 * c.input().length + 4096];
        int n = c.ransLayout() != null
                ? rans.encode(c.input(), 0, c.input().length, c.ransLayout(), out, 0, out.length)
                : new AdaptiveModel().encode(c.input(), 0, c.input().length, c.adaptiveLayout(), out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/golden/numeric");
        Files.createDirectories(dir);
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Files.write(dir.resolve(e.getKey()), encode(e.getValue(), new RansModel(false)));
        }
    }
}
