package dev.mmh.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Analyzer#fixed} prints what String.format prints, which the reasons used before, for every value. */
class FixedFormatTest {
    @Test
    void matchesStringFormatOnTypicalAndEdgeValues() {
        double[] values = {0, 0.004, 0.005, 0.0049, 0.994, 0.995, 0.996, 1, 7.99, 7.999, 8, 12.345, 99.95, 100,
            0.1, 0.25, 1e-9, 3.14159, 0.125, 0.5, 1.5, 2.5, 1.005, 0.285, 4.35, 8.345, 69.865, 0.0005, 0.00049,
            1e-4, 5e-4, 123456.7895, 9.9995, 9.9994999, Double.MIN_VALUE, 0.0999999999, 1e7, 12345678.9, 1e14 + 0.5,
            Double.NaN, Double.POSITIVE_INFINITY};
        for (double v : values) {
            check(v);
        }
    }

    @Test
    void matchesStringFormatAtEveryHalfOfTheLastDigit() {
        // n/2000 and n/20000 are the halves of the last printed digit for 2 and 3 decimals (and the tenths of a
        // percent the reasons print): where rounding the binary value and rounding the decimal one can differ
        for (int n = 0; n <= 40_000; n++) {
            check(n / 2000.0);
            check(n / 20000.0);
            check(n * 0.005);
        }
    }

    @Test
    void matchesStringFormatOnRandomValues() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            check(r.nextDouble() * (i % 2 == 0 ? 8 : 100));
            check(r.nextInt(1_000_000) / 1000.0);
            check(Double.longBitsToDouble(r.nextLong(0x3e00000000000000L, 0x42d0000000000000L))); // 2^-31 .. 2^46
        }
    }

    private static void check(double v) {
        for (int d = 0; d <= 3; d++) {
            assertEquals(String.format(Locale.ROOT, "%." + d + "f", v), Analyzer.fixed(v, d),
                    "value " + v + " with " + d + " decimals");
        }
    }
}
