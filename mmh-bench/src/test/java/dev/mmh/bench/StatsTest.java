package dev.mmh.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        Stats s = Stats.of(9, 1, 5);
        assertEquals(5, s.median());
        assertEquals(1, s.min());
        assertEquals(9, s.max());
        assertEquals(3, s.n());
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Stats.of(4, 1, 3, 2).median());
    }

    @Test
    void quartilesInterpolateLinearly() {
        // positions 0.75 and 2.25 in 1,2,3,4: 1 + 0.75 and 3 + 0.25
        Stats s = Stats.of(1, 2, 3, 4);
        assertEquals(1.75, s.q1(), 1e-12);
        assertEquals(3.25, s.q3(), 1e-12);
        assertEquals(1.5, s.iqr(), 1e-12);
        Stats five = Stats.of(10, 20, 30, 40, 50);
        assertEquals(20, five.q1(), 1e-12);
        assertEquals(40, five.q3(), 1e-12);
    }

    @Test
    void oneValueHasNoSpread() {
        Stats s = Stats.of(7.5);
        assertEquals(7.5, s.median());
        assertEquals(0, s.iqr());
        assertEquals(0, s.relativeSpread());
    }

    @Test
    void relativeSpreadIsRangeOverMedian() {
        assertEquals(0.4, Stats.of(8, 10, 12).relativeSpread(), 1e-12);
    }

    @Test
    void emptyGivesNaN() {
        Stats s = Stats.of();
        assertEquals(0, s.n());
        assertTrue(Double.isNaN(s.median()));
    }

    @Test
    void doesNotReorderTheCallersArray() {
        double[] v = {3, 1, 2};
        Stats.of(v);
        assertArrayEquals(new double[] {3, 1, 2}, v);
    }

    @Test
    void parsesDecimalAndBinarySizes() {
        assertEquals(1_000_000, Sizes.parse("1M"));
        assertEquals(10_000_000_000L, Sizes.parse("10G"));
        assertEquals(65536, Sizes.parse("64KiB"));
        assertEquals(1_500_000, Sizes.parse("1.5MB"));
        assertEquals(123, Sizes.parse("123"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("10X"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("M"));
        assertEquals("1M", Sizes.label(1_000_000));
        assertEquals("10G", Sizes.label(10_000_000_000L));
        assertEquals("1.5M", Sizes.label(1_500_000));
    }

    @Test
    void parsesCodecChoices() {
        var c = CodecChoice.parse(java.util.List.of("zstd:1,3,19", "lz4", "gzip:1..3", "xz:6"));
        assertEquals("zstd", c.get(0).family());
        assertEquals(java.util.List.of(1, 3, 19), c.get(0).levels());
        assertEquals(java.util.List.of(1), c.get(1).levels());
        assertEquals("deflate", c.get(2).family());
        assertEquals(java.util.List.of(1, 2, 3), c.get(2).levels());
        assertThrows(IllegalArgumentException.class, () -> CodecChoice.parse(java.util.List.of("/data/file")));
        assertThrows(IllegalArgumentException.class, () -> CodecChoice.parse(java.util.List.of("zstd:x")));
        var auto = CodecChoice.parse(java.util.List.of("auto:fast,default,max", "auto"));
        assertEquals(java.util.List.of(CodecChoice.AUTO_FAST, CodecChoice.AUTO_DEFAULT, CodecChoice.AUTO_MAX), auto.get(0).levels());
        assertEquals(java.util.List.of(CodecChoice.AUTO_DEFAULT), auto.get(1).levels());
        assertThrows(IllegalArgumentException.class, () -> CodecChoice.parse(java.util.List.of("auto:7")));
    }
}
