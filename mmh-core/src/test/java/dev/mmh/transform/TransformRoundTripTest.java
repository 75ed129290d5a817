package dev.mmh.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every transform with a spread of parameters over random, adversarial and corpus inputs of awkward lengths. */
class TransformRoundTripTest {
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 9, 15, 17, 31, 255, 1000, 4097, 65537, 100_003};

    record Case(Transform t, int param) {
        @Override
        public String toString() {
            return t.name() + "/0x" + Integer.toHexString(param);
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case(new IdentityTransform(), 0));
        for (int p : new int[] {1, 2, 3, 251, 4096, 65536}) {
            c.add(new Case(new PeriodicTransform(), p));
        }
        for (int w : new int[] {1, 2, 4}) {
            for (int s : new int[] {w, 2 * w, 12 * w}) {
                c.add(new Case(new DeltaTransform(), DeltaTransform.param(w, s, false)));
                c.add(new Case(new DeltaTransform(), DeltaTransform.param(w, s, true)));
            }
        }
        c.add(new Case(new DeltaTransform(), DeltaTransform.param(1, 65536, false)));
        for (int s : new int[] {2, 4, 8}) {
            c.add(new Case(new BytePlanesTransform(), BytePlanesTransform.param(s, false)));
            c.add(new Case(new BytePlanesTransform(), BytePlanesTransform.param(s, true)));
        }
        c.add(new Case(new X86Transform(), 0));
        return c;
    }

    static List<byte[]> inputs(int n) {
        Random r = new Random(n);
        List<byte[]> in = new ArrayList<>();
        in.add(TestData.random(n, n));
        in.add(new byte[n]);
        byte[] ff = new byte[n];
        Arrays.fill(ff, (byte) 0xFF);
        in.add(ff);
        // adversarial for x86: every byte an E8/E9 and operands at the edge of the converted range
        byte[] calls = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(6);
            calls[i] = (byte) (k == 0 ? 0xE8 : k == 1 ? 0xE9 : k == 2 ? 0x00 : k == 3 ? 0xFF : r.nextInt(256));
        }
        in.add(calls);
        // nearly periodic with a few corrupted bytes and a phase break
        byte[] per = new byte[n];
        int period = 1 + r.nextInt(300);
        byte[] pat = TestData.random(n + 1, period);
        for (int i = 0; i < n; i++) {
            per[i] = pat[(i < n / 2 ? i : i + 7) % period];
        }
        for (int k = 0; k < 3 && n > 0; k++) {
            per[r.nextInt(n)] ^= 0x55;
        }
        in.add(per);
        // smooth 16-bit samples
        byte[] wave = new byte[n];
        for (int i = 0; i + 1 < n; i += 2) {
            int v = (int) (3000 * Math.sin(i / 50.0)) + r.nextInt(9);
            wave[i] = (byte) v;
            wave[i + 1] = (byte) (v >> 8);
        }
        in.add(wave);
        return in;
    }

    static void roundTrip(Case c, byte[] raw, int off, int len) throws CorruptDataException {
        int cap = (int) c.t.maxEncodedLength(len, c.param);
        byte[] enc = new byte[cap + 3];
        int m = c.t.encode(raw, off, len, c.param, enc, 3);
        assertTrue(m <= cap, c + ": " + m + " > bound " + cap);
        byte[] dec = new byte[len + 5];
        c.t.decode(enc, 3, m, c.param, dec, 5, len);
        assertArrayEquals(Arrays.copyOfRange(raw, off, off + len), Arrays.copyOfRange(dec, 5, 5 + len), c.toString());
    }

    @Test
    void roundTripsGeneratedInputsOfAwkwardLengths() throws Exception {
        for (Case c : cases()) {
            for (int n : LENGTHS) {
                for (byte[] in : inputs(n)) {
                    roundTrip(c, in, 0, n);
                }
            }
        }
    }

    @Test
    void roundTripsCorpusBlocksEndingMidRecord() throws Exception {
        String[][] files = {{"silesia", "ooffice"}, {"silesia", "x-ray"}, {"silesia", "dickens"},
            {"weights", "human_posenet.bin"}, {"weights", "human_faceres.bin"}, {"mixed", "house.jpg"}};
        for (String[] f : files) {
            byte[] data = TestData.corpusFile(f[0], f[1], 300_000);
            for (Case c : cases()) {
                // odd offsets and lengths so elements and records are cut in the middle
                roundTrip(c, data, 3, data.length - 10);
            }
        }
    }

    @Test
    void sizePreservingTransformsRejectWrongLengthsAndParams() {
        byte[] b = new byte[64];
        byte[] out = new byte[64];
        for (Case c : cases()) {
            if (c.t instanceof PeriodicTransform) {
                continue;
            }
            assertThrows(CorruptDataException.class, () -> c.t.decode(b, 0, 63, c.param, out, 0, 64), c.toString());
        }
        assertThrows(CorruptDataException.class, () -> new DeltaTransform().decode(b, 0, 64, 0, out, 0, 64));
        assertThrows(CorruptDataException.class, () -> new DeltaTransform().decode(b, 0, 64, 3 | 1 << 25, out, 0, 64));
        assertThrows(CorruptDataException.class, () -> new BytePlanesTransform().decode(b, 0, 64, 3, out, 0, 64));
        assertThrows(CorruptDataException.class, () -> new X86Transform().decode(b, 0, 64, 1, out, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> DeltaTransform.param(2, 3, false));
        assertThrows(IllegalArgumentException.class, () -> BytePlanesTransform.param(3, false));
    }

    @Test
    void transformsChangeTheData() throws Exception {
        // guards against an identity passing for a transform: each one must actually rewrite typical input
        byte[] in = inputs(100_003).get(5);
        for (Case c : cases()) {
            if (c.t.id() == Transforms.NONE) {
                continue;
            }
            byte[] enc = new byte[(int) c.t.maxEncodedLength(in.length, c.param)];
            byte[] data = c.t instanceof X86Transform ? inputs(100_003).get(3) : in;
            int m = c.t.encode(data, 0, data.length, c.param, enc, 0);
            assertTrue(m != data.length || !Arrays.equals(data, Arrays.copyOf(enc, m)), c.toString());
        }
    }

    @Test
    void registryIdsAreStable() throws Exception {
        String[] names = {"none", "periodic", "delta", "planes", "x86"};
        for (int id = 0; id < names.length; id++) {
            assertEquals(names[id], Transforms.byId(id).name());
            assertEquals(id, Transforms.byId(id).id());
            assertEquals(id, Transforms.byName(names[id]).id());
        }
        assertThrows(dev.mmh.UnsupportedFormatException.class, () -> Transforms.byId(names.length));
    }
}
