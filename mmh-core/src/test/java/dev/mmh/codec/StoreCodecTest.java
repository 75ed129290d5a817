package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Store has no reference library: a stored block is the raw bytes themselves, which is what is checked. */
class StoreCodecTest extends CodecContractTest {
    @Override
    protected String codecName() {
        return "store";
    }

    @Override
    protected boolean compresses() {
        return false;
    }

    @Override
    protected void assertReferenceDecodes(byte[] compressed, byte[] raw, CodecParams params) {
        assertArrayEquals(raw, compressed);
    }

    @Override
    protected byte[] referenceEncode(byte[] raw) {
        return raw.clone();
    }
}
