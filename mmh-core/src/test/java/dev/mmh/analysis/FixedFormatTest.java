package dev.mmh.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Analyzer#fixed} prints what String.format prints, which the reasons used before. */
class FixedFormatTest {
    @Test
    void matchesStringFormatOnTypicalAndEdgeValues() {
        double[] values = {0, 0.004, 0.005, 0.0049, 0.994, 0.995, 0.996, 1, 7.99, 7.999, 8, 12.345, 99.95, 100,
            0.1, 0.25, 1e-9, 3.14159};
        for (double v : values) {
            check(v);
        }
        Random r = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            check(r.nextDouble() * (i % 2 == 0 ? 8 : 100));
        }
    }

    private static void check(double v) {
        for (int d = 0; d <= 2; d++) {
            String expected = String.format(Locale.ROOT, "%." + d + "f", v);
            String got = Analyzer.fixed(v, d);
            // String.format rounds the exact binary value half-up; Math.round of v*10^d can differ by one unit
            // in the last place only when v*10^d lands within an ulp of .5
            double scaled = v * Math.pow(10, d);
            if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-9) {
                assertEquals(expected, got, "value " + v + " with " + d + " decimals");
            }
        }
    }
}
