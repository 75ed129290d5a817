package dev.mmh.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Seeded inputs of the kinds the analysis tells apart, so that {@link ReaderFuzzTest} gets archives whose blocks
 * use every codec and every transform: text, float32 weights, 16-bit samples, x86-like code, fixed-size records, a
 * repeating pattern and random bytes.
 */
final class FuzzInputs {
    private FuzzInputs() {
    }

    /** Words from a small vocabulary: text for the LZ codecs and bwt. */
    static byte[] text(int n, long seed) {
        return dev.mmh.testing.TestData.text(n, seed);
    }

    static byte[] random(int n, long seed) {
        return dev.mmh.testing.TestData.random(n, seed);
    }

    /** Little-endian float32 drawn like the weights of a trained layer (normal, sigma 0.02). */
    static byte[] floats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 4) {
            b.putFloat((float) (gaussian(r) * 0.02));
        }
        return b.array();
    }

    /** A random walk of little-endian 16-bit samples with small steps, like audio or an image row. */
    static byte[] samples16(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        int v = 2000;
        while (b.remaining() >= 2) {
            v = Math.max(-30000, Math.min(30000, v + r.nextInt(-40, 41)));
            b.putShort((short) v);
        }
        return b.array();
    }

    /**
     * Bytes from a skewed alphabet with a near call (E8 + 32-bit displacement) every few bytes to one of a few dozen
     * fixed targets, as compiled code has: what the x86 transform turns into repeated absolute addresses.
     */
    static byte[] x86(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] ops = {(byte) 0x48, (byte) 0x89, (byte) 0x8b, (byte) 0x83, (byte) 0xc7, (byte) 0x45, 0x24, 0x10,
            (byte) 0xf8, 0x00, 0x01, (byte) 0xff, (byte) 0xc3, 0x74, 0x75, (byte) 0x85, (byte) 0xc0, 0x5d};
        int[] targets = new int[40];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = r.nextInt(0, Math.max(1, n));
        }
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            if (i + 5 <= n && r.nextInt(12) == 0) {
                int rel = targets[r.nextInt(targets.length)] - (i + 5);
                b[i] = (byte) 0xe8;
                b[i + 1] = (byte) rel;
                b[i + 2] = (byte) (rel >> 8);
                b[i + 3] = (byte) (rel >> 16);
                b[i + 4] = (byte) (rel >> 24);
                i += 5;
            } else {
                b[i++] = ops[r.nextInt(ops.length)];
            }
        }
        return b;
    }

    /**
     * Records of 24 bytes: a counter, a slowly growing time stamp, a type from a few, a constant tag and four random
     * bytes. Not periodic (the counter and the random bytes differ in every record), but bytes repeat at distance 24.
     */
    static byte[] records(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        long time = 1_700_000_000_000L;
        for (int i = 0; b.remaining() >= 24; i++) {
            time += r.nextInt(1, 50);
            b.putInt(i).putLong(time).putShort((short) (0x8000 | r.nextInt(4))).putShort((short) 0xbeef)
                    .putInt(0xcafe0000 | r.nextInt(3)).putInt(r.nextInt());
        }
        return b.array();
    }

    /** A random 37-byte pattern repeated: what the periodic transform is for. */
    static byte[] periodic(int n, long seed) {
        byte[] unit = random(37, seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = unit[i % unit.length];
        }
        return b;
    }

    /** Blocks of {@code blockSize} bytes, one of each kind given, in order. */
    static byte[] mixed(int blockSize, long seed, String... kinds) {
        byte[] out = new byte[blockSize * kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            byte[] b = of(kinds[k], blockSize, seed + k);
            System.arraycopy(b, 0, out, k * blockSize, blockSize);
        }
        return out;
    }

    static byte[] of(String kind, int n, long seed) {
        return switch (kind) {
            case "text" -> text(n, seed);
            case "random" -> random(n, seed);
            case "floats" -> floats(n, seed);
            case "samples16" -> samples16(n, seed);
            case "x86" -> x86(n, seed);
            case "records" -> records(n, seed);
            case "periodic" -> periodic(n, seed);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
