package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void groupedPrintsWhatPercentCommaDPrints() {
        long[] edge = {0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 1_126_400, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long n : edge) {
            assertEquals(String.format(Locale.ROOT, "%,d", n), Report.grouped(n));
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long n = r.nextLong() >> r.nextInt(64);
            assertEquals(String.format(Locale.ROOT, "%,d", n), Report.grouped(n), Long.toString(n));
        }
    }
}
