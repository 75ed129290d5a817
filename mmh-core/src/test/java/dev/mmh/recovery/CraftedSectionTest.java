package dev.mmh.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Hostile or nonsensical recovery sections: readers fail only through dev.mmh exceptions, allocate nothing
 * from unchecked lengths and never hand out wrong bytes.
 */
class CraftedSectionTest {
    private static final int N = 60_000;

    private static RepairCampaignTest.Protected sample() throws IOException {
        return RepairCampaignTest.protect(RepairCampaignTest.sampleData(N, new Random(17)), 0.05, 1);
    }

    /** Rewrites the CRC of the header copy at {@code at} so that a crafted field passes the checksum. */
    private static void reseal(byte[] f, int at) {
        CRC32C c = new CRC32C();
        c.update(f, at, 124);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 124, (int) c.getValue());
    }

    private static int secondHeader(byte[] f) {
        return f.length - 128;
    }

    @Test
    void resealedRandomHeaderFieldsNeverEscapeTheExceptionFamily() throws IOException {
        RepairCampaignTest.Protected pr = sample();
        Random r = new Random(5);
        int repaired = 0;
        for (int trial = 0; trial < 1500; trial++) {
            byte[] f = pr.file().clone();
            int field = 8 + r.nextInt(116);
            byte v = (byte) (r.nextInt(4) == 0 ? 0xFF : r.nextInt(256));
            for (int at : new int[] {N, secondHeader(f)}) {
                f[at + field] = v;
                if (r.nextInt(3) == 0) {
                    f[at + 8 + r.nextInt(116)] = (byte) r.nextInt(256);
                }
                reseal(f, at);
            }
            try {
                MemoryChannel ch = new MemoryChannel(f);
                RecoveryData rd = RecoveryData.read(ch, r.nextBoolean() ? N : -1);
                DamageReport rep = Repairer.scan(ch, ch, rd, 1);
                if (rep.repairable()) {
                    MemoryChannel out = new MemoryChannel();
                    Repairer.repair(ch, ch, rd, rep, out, 1);
                    assertArrayEquals(pr.data(), out.toByteArray(), "wrong bytes after crafting byte " + field);
                    repaired++;
                }
            } catch (MmhException expected) {
                // the family is the only allowed way out
            }
        }
        assertTrue(repaired > 0, "no crafted header left the data usable: the trial cannot tell right from wrong");
    }

    @Test
    void headerClaimingHugeRangeIsRejectedBeforeAllocation() throws IOException {
        byte[] f = sample().file().clone();
        for (int at : new int[] {N, secondHeader(f)}) {
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(at + 24, Long.MAX_VALUE / 2);
            b.putLong(at + 32, Long.MAX_VALUE / 2 / 64);
            reseal(f, at);
        }
        assertThrows(NotMmhFormatException.class, () -> RecoveryData.read(new MemoryChannel(f), N));
    }

    @Test
    void newerVersionIsReportedAsUnsupported() throws IOException {
        byte[] f = sample().file().clone();
        for (int at : new int[] {N, secondHeader(f)}) {
            f[at + 8] = 2;
            reseal(f, at);
        }
        assertThrows(UnsupportedFormatException.class, () -> RecoveryData.read(new MemoryChannel(f), -1));
    }

    @Test
    void notARecoverySectionAtAll() {
        byte[] junk = new byte[300_000];
        new Random(1).nextBytes(junk);
        for (int i = 0; i < junk.length - 8; i += 9973) {
            System.arraycopy(SectionHeader.MAGIC, 0, junk, i, 8);
        }
        assertThrows(NotMmhFormatException.class, () -> RecoveryData.read(new MemoryChannel(junk), -1));
        assertThrows(NotMmhFormatException.class, () -> RecoveryData.read(new MemoryChannel(new byte[0]), 0));
    }

    @Test
    void oneByteAtATimeChannelsGiveTheSameSection() throws IOException {
        RepairCampaignTest.Protected pr = sample();
        MemoryChannel trickle = new MemoryChannel(pr.data(), true);
        MemoryChannel out = new MemoryChannel();
        RecoveryEncoder.encode(trickle, N, RecoveryOptions.of(0.05).withThreads(2), out, N);
        byte[] section = out.toByteArray();
        for (int i = 0; i < N; i++) {
            assertEquals(0, section[i]);
        }
        byte[] expected = pr.file();
        for (int i = N; i < expected.length; i++) {
            assertEquals(expected[i], section[i], "byte " + i);
        }
        byte[] damaged = pr.file().clone();
        damaged[100] ^= 1;
        MemoryChannel slow = new MemoryChannel(damaged, true);
        RecoveryData rd = RecoveryData.read(slow, -1);
        DamageReport rep = Repairer.scan(slow, slow, rd, 2);
        assertEquals(1, rep.damagedDataShards());
        MemoryChannel repaired = new MemoryChannel();
        Repairer.repair(slow, slow, rd, rep, repaired, 2);
        assertArrayEquals(pr.data(), repaired.toByteArray());
    }

    @Test
    void scanFromTheEndStopsAtItsLimit() throws IOException {
        RepairCampaignTest.Protected pr = sample();
        byte[] f = java.util.Arrays.copyOf(pr.file(), pr.file().length + 50_000);
        assertThrows(NotMmhFormatException.class, () -> RecoveryData.read(new MemoryChannel(f), -1, 40_000));
        assertEquals(N, RecoveryData.read(new MemoryChannel(f), -1, 50_200).sectionOffset());
        f[f.length - 50_000 - 128 + 9] ^= 1;
        int sectionLength = pr.file().length - N;
        assertThrows(NotMmhFormatException.class,
                () -> RecoveryData.read(new MemoryChannel(f), -1, 50_000 + sectionLength - 1));
        assertEquals(1, RecoveryData.read(new MemoryChannel(f), -1, 50_000 + sectionLength).intactHeaderCopies());
    }
}
