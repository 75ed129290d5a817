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
 * {@link #main}, run from the mmh-core folder, with the pure-Java coders; those of format 01 as it was when the
 * native one was written, those of format 03 when it was added). Their inputs are regenerated here from seeds. A
 * changed golden byte is a format change.
 */
final class NumericGolden {
    private NumericGolden() {
    }

    /** A golden case: its input, its format (0, 1 or 3) and the layout it was coded with. */
    record Case(byte[] input, int format, int[] layout) {
    }

    static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("f32.01", new Case(float32(30_001, 11), 1, RansModel.LAYOUTS[0]));
        m.put("bf16.01", new Case(bfloat16(20_001, 12), 1, RansModel.LAYOUTS[1]));
        m.put("f16.01", new Case(float16(20_000, 13), 1, RansModel.LAYOUTS[2]));
        m.put("s16.01", new Case(samples16(20_000, 14), 1, RansModel.LAYOUTS[3]));
        m.put("u8.01", new Case(samples16(10_003, 15), 1, RansModel.LAYOUTS[4]));
        m.put("s16.00", new Case(samples16(20_000, 14), 0, new int[] {2, 0, 0x7C}));
        // format 03, added with it: 40,003 bytes leave a partial group and a tail
        m.put("f32.03", new Case(float32(40_003, 16), 3, new int[] {4, 1, 0, 1}));
        m.put("bf16.03", new Case(bfloat16(30_001, 17), 3, new int[] {2, 1, 0, 1}));
        m.put("f16.03", new Case(float16(30_000, 18), 3, new int[] {2, 1, 3, 3}));
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

    /** Codes a case as its golden was made, in C where the case's format has a C coder and allowNative. */
    static byte[] encode(Case c, boolean allowNative) {
        byte[] in = c.input();
        byte[] out = new byte[2 * in.length + 4096];
        int n;
        switch (c.format()) {
            case 1: n = new RansModel(allowNative).encode(in, 0, in.length, c.layout(), out, 0, out.length); break;
            case 3: n = new LanesModel(allowNative).encode(in, 0, in.length, c.layout(), out, 0, out.length); break;
            default: n = new AdaptiveModel().encode(in, 0, in.length, c.layout(), out, 0, out.length); break;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("src/test/resources/golden/numeric");
        Files.createDirectories(dir);
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Files.write(dir.resolve(e.getKey()), encode(e.getValue(), false));
        }
    }
}
