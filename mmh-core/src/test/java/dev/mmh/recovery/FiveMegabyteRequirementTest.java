package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise of issue 6 for 5% recovery on a 5 MB archive: 20 scattered bit flips, a zeroed run of 2%, or the
 * first or last 4 KiB zeroed are repaired bit-exactly, and a third of the file zeroed is refused. Damage hits
 * the whole file (data and recovery section), as a disk would.
 */
class FiveMegabyteRequirementTest {
    private static RepairCampaignTest.Protected pr;
    private static int n;

    @BeforeAll
    static void protect() throws IOException {
        n = 5_000_000;
        pr = RepairCampaignTest.protect(RepairCampaignTest.sampleData(n, new Random(2026)), 0.05, 2);
        double overhead = (double) (pr.file().length - n) / n;
        assertTrue(overhead >= 0.05 && overhead < 0.07, "recovery overhead " + overhead);
    }

    private static void assertRepaired(byte[] damaged, String what) {
        byte[] out = RepairCampaignTest.attempt(damaged, -1, 2);
        assertNotNull(out, "refused: " + what);
        assertArrayEquals(pr.data(), out, what);
    }

    @Test
    void twentyScatteredBitFlipsAreRepaired() {
        for (int seed = 1; seed <= 30; seed++) {
            byte[] d = pr.file().clone();
            Damage.flipBits(d, 0, d.length, 20, new Random(seed));
            assertRepaired(d, "20 flips, seed " + seed);
        }
    }

    @Test
    void aZeroedRunOfTwoPercentIsRepairedWherever() {
        Random r = new Random(3);
        byte[] f = pr.file();
        int len = f.length / 50;
        int[] starts = {0, n - len / 2, n - 1, n + 64, f.length - len, r.nextInt(f.length - len),
            r.nextInt(f.length - len), r.nextInt(f.length - len), r.nextInt(f.length - len)};
        for (int at : starts) {
            byte[] d = f.clone();
            Arrays.fill(d, at, at + len, (byte) 0);
            assertRepaired(d, "zeroed " + len + " at " + at);
        }
    }

    @Test
    void firstOrLastFourKibZeroedAreRepaired() {
        byte[] head = pr.file().clone();
        Arrays.fill(head, 0, 4096, (byte) 0);
        assertRepaired(head, "head");
        byte[] tail = pr.file().clone();
        Arrays.fill(tail, tail.length - 4096, tail.length, (byte) 0);
        assertRepaired(tail, "tail");
    }

    @Test
    void aThirdZeroedIsRefusedWithAReport() throws IOException {
        byte[] d = pr.file().clone();
        Arrays.fill(d, n / 5, n / 5 + d.length / 3, (byte) 0);
        assertNull(RepairCampaignTest.attempt(d, -1, 2));
        MemoryChannel ch = new MemoryChannel(d);
        RecoveryData rd = RecoveryData.read(ch, -1);
        DamageReport report = Repairer.scan(ch, ch, rd, 2);
        assertEquals(DamageReport.Status.NOT_REPAIRABLE, report.status());
        assertTrue(report.damagedBytes() >= 0.9 * (d.length / 3), "damaged bytes " + report.damagedBytes());
        assertTrue(report.repairableBytes() < report.damagedBytes());
        assertTrue(report.ranges().stream().anyMatch(x -> !x.repairable()));
    }
}
