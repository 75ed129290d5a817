package dev.mmh.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-worked examples that pin the byte layout of delta, planes and x86 (a layout change is a format change). */
class SmallTransformsTest {
    private static byte[] b(int... v) {
        byte[] a = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = (byte) v[i];
        }
        return a;
    }

    private static byte[] enc(Transform t, int param, byte[] raw) {
        byte[] out = new byte[raw.length];
        assertEquals(raw.length, t.encode(raw, 0, raw.length, param, out, 0));
        return out;
    }

    @Test
    void deltaOfBytesSubtractsThePreviousRecord() {
        assertArrayEquals(b(10, 20, 2, 0xFE, 1), enc(new DeltaTransform(), DeltaTransform.param(1, 2, false),
                b(10, 20, 12, 18, 13)));
    }

    @Test
    void deltaOf16BitLittleEndianCarriesIntoTheHighByte() {
        // 0x01FF, 0x0201 -> 0x01FF, 0x0002; odd tail byte 7 stays
        assertArrayEquals(b(0xFF, 0x01, 0x02, 0x00, 7), enc(new DeltaTransform(), DeltaTransform.param(2, 2, false),
                b(0xFF, 0x01, 0x01, 0x02, 7)));
        // big-endian: 0xFF01, 0x0102 -> 0xFF01, 0x0201
        assertArrayEquals(b(0xFF, 0x01, 0x02, 0x01), enc(new DeltaTransform(), DeltaTransform.param(2, 2, true),
                b(0xFF, 0x01, 0x01, 0x02)));
    }

    @Test
    void planesPutHighBytesFirstAndKeepTheTail() {
        // float32 1.0f = 00 00 80 3F, -2.0f = 00 00 00 C0, then a 2-byte tail
        byte[] raw = b(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0xAA, 0xBB);
        assertArrayEquals(b(0x3F, 0xC0, 0x80, 0x00, 0, 0, 0, 0, 0xAA, 0xBB),
                enc(new BytePlanesTransform(), BytePlanesTransform.param(4, false), raw));
        // rotated: exponent 127 and 128 whole in the first plane, signs at the bottom of the second
        assertArrayEquals(b(0x7F, 0x80, 0x00, 0x01, 0, 0, 0, 0, 0xAA, 0xBB),
                enc(new BytePlanesTransform(), BytePlanesTransform.param(4, true), raw));
    }

    @Test
    void x86CallsToOneTargetGetEqualOperands() {
        // call rel32 at offsets 0 and 16, both to absolute 0x1000
        byte[] raw = new byte[32];
        raw[0] = (byte) 0xE8;
        int rel0 = 0x1000 - 5;
        raw[1] = (byte) rel0;
        raw[2] = (byte) (rel0 >> 8);
        raw[16] = (byte) 0xE8;
        int rel1 = 0x1000 - 21;
        raw[17] = (byte) rel1;
        raw[18] = (byte) (rel1 >> 8);
        byte[] out = enc(new X86Transform(), 0, raw);
        assertArrayEquals(b(0xE8, 0x00, 0x10, 0, 0), java.util.Arrays.copyOfRange(out, 0, 5));
        assertArrayEquals(b(0xE8, 0x00, 0x10, 0, 0), java.util.Arrays.copyOfRange(out, 16, 21));
    }
}
