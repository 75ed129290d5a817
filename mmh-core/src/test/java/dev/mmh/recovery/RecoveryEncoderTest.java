package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.LimitExceededException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecoveryEncoderTest {

    @Test
    void sequentialOutputMatchesPositionalOutput() throws IOException {
        byte[] data = RepairCampaignTest.sampleData(250_000, new Random(3));
        RepairCampaignTest.Protected pr = RepairCampaignTest.protect(data, 0.05, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RecoveryEncoder.encodeSequential(new MemoryChannel(data), data.length, RecoveryOptions.of(0.05).withThreads(2),
                data.length, Channels.newChannel(bytes));
        assertArrayEquals(Arrays.copyOfRange(pr.file(), data.length, pr.file().length), bytes.toByteArray());
    }

    @Test
    void sourceShorterThanTheProtectedLengthIsAnError() throws LimitExceededException {
        MemoryChannel src = new MemoryChannel(new byte[1000]);
        assertThrows(EOFException.class, () -> RecoveryEncoder.encode(src, 5000,
                RecoveryOptions.of(0.05).withThreads(1), new MemoryChannel(), 5000));
        MemoryChannel big = new MemoryChannel(new byte[20_000_000]);
        assertThrows(EOFException.class, () -> RecoveryEncoder.encode(big, 20_100_000,
                RecoveryOptions.of(0.05).withThreads(3), new MemoryChannel(), 20_100_000),
                "a worker's failure must reach the caller");
        assertTrue(new Stripes(RecoveryParams.plan(20_100_000, 0.05)).tasks >= 3, "the case must use several workers");
    }

    @Test
    void recoveryShareIsAtLeastTheFractionAndNotMuchMore() throws LimitExceededException {
        for (long n : new long[] {200_000, 1_000_000, 5_000_000, 112_015_360L, 3_000_000_000L, 1L << 40}) {
            for (double f : new double[] {0.01, 0.02, 0.05, 0.10, 0.25}) {
                RecoveryParams p = RecoveryParams.plan(n, f);
                double parity = (double) p.parityShards() * p.shardSize() / n;
                assertTrue(parity >= f, n + " at " + f + ": parity share " + parity);
                assertTrue(parity < f * 1.2 + 0.001, n + " at " + f + ": parity share " + parity);
                long tables = 2 * RecoveryParams.ceilDiv(p.dataShards() + p.parityShards(), p.tableChunkEntries())
                        * (4L * p.tableChunkEntries() + 4);
                assertEquals(256 + tables + p.parityShards() * p.shardSize(), p.sectionLength());
                assertTrue((double) tables / n < 0.025, n + ": tables " + tables);
                assertTrue(p.dataRows() + p.parityRows() <= 255);
                assertEquals(RecoveryParams.ceilDiv(n, p.shardSize()), p.dataShards());
                assertTrue((p.codeWords() - 1) * p.dataRows() < p.dataShards());
                assertTrue(p.codeWords() * p.dataRows() >= p.dataShards());
            }
        }
    }

    @Test
    void fiveMegabytesAtFivePercentUseSmallShardsInCodeWordsOfHundredPlusFive() throws LimitExceededException {
        RecoveryParams p = RecoveryParams.plan(5_000_000, 0.05);
        assertEquals(512, p.shardSize());
        assertEquals(100, p.dataRows());
        assertEquals(5, p.parityRows());
        assertTrue(p.codeWords() >= 90, "a 2% burst must spread over many code words");
    }

    @Test
    void rejectsFractionsOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> RecoveryOptions.of(0));
        assertThrows(IllegalArgumentException.class, () -> RecoveryOptions.of(0.6));
        assertThrows(IllegalArgumentException.class, () -> RecoveryOptions.of(Double.NaN));
        assertThrows(LimitExceededException.class, () -> RecoveryParams.plan(RecoveryParams.MAX_PROTECTED_LENGTH + 1,
                0.05));
    }

    @Test
    void warmUpChangesNothingInTheOutput() throws IOException {
        byte[] data = RepairCampaignTest.sampleData(90_000, new Random(6));
        byte[] before = RepairCampaignTest.protect(data, 0.05, 1).file();
        RecoveryEncoder.warmUp();
        assertArrayEquals(before, RepairCampaignTest.protect(data, 0.05, 2).file());
    }
}
