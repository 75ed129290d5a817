package dev.mmh.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.CorruptDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveTail}: the bytes it lays out are those docs/FORMAT.md specifies (checked here with the offsets
 * written out by hand), it parses the golden archives' tails back to the same bytes, and it finds a damaged
 * section envelope.
 */
class ArchiveTailTest {
    @TempDir
    Path dir;

    private static final ArchiveTail.Kind R = ArchiveTail.Kind.RECOVERY;

    private static Index twoBlocks() {
        byte[] h = new byte[8];
        Arrays.fill(h, (byte) 7);
        IndexEntry e0 = new IndexEntry(40, 100, 100, 60, 1, 3, 0, 0, 0, h);
        IndexEntry e1 = new IndexEntry(40 + 112, 50, 50, 50, 0, 0, 0, 0, 0, h);
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) 9);
        return new Index(List.of(e0, e1), 150, id);
    }

    private Path golden(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/golden/v1/" + name), name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    private static byte[] concat(ByteBuffer[] parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : parts) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    @Test
    void laysOutEnvelopeIndexAndFooterAsFormatMdSays() throws IOException {
        byte[] body = new byte[300];
        Arrays.fill(body, (byte) 0x5a);
        ArchiveTail t = ArchiveTail.after(1000, twoBlocks(), 8).withSection(R, body.length);
        byte[] b = concat(t.encode(ByteBuffer.wrap(body)));
        long indexLength = 16 + 8 + 2 * (40 + 8) + 8 + 32 + 4;
        assertEquals(16 + 300 + 4 + indexLength + 64, b.length);
        assertEquals(1000, t.blocksEnd());
        assertEquals(1000 + 320, t.indexOffset());
        assertEquals(1000 + b.length, t.fileLength());
        // envelope: "MMHR", flags SELF_CHECKED, length of the whole section; CRC32C of the 16 envelope bytes
        assertArrayEquals(new byte[] {'M', 'M', 'H', 'R', 2, 0, 0, 0, 64, 1, 0, 0, 0, 0, 0, 0},
                Arrays.copyOf(b, 16));
        assertArrayEquals(body, Arrays.copyOfRange(b, 16, 316));
        assertEquals(Format.crc(b, 0, 16), LE.get32(b, 316));
        assertEquals(Format.SECTION_INDEX, LE.get32(b, 320));
        assertEquals(indexLength, LE.get64(b, 320 + 8));
        int f = b.length - 64;
        assertEquals(1320, LE.get64(b, f), "footer: index offset");
        assertEquals(indexLength, LE.get64(b, f + 8), "footer: index length");
        assertEquals(1000, LE.get64(b, f + 16), "footer: recovery offset");
        assertEquals(320, LE.get64(b, f + 24), "footer: recovery length");
        assertEquals(1000 + b.length, LE.get64(b, f + 32), "footer: file length");
        assertEquals(150, LE.get64(b, f + 40), "footer: total raw size");
        assertTrue(Footer.hasMagic(Arrays.copyOfRange(b, f, b.length)));

        byte[] plain = concat(ArchiveTail.after(1000, twoBlocks(), 8).encode());
        assertArrayEquals(Arrays.copyOfRange(b, 320, b.length - 64), Arrays.copyOf(plain, plain.length - 64),
                "the same index without the section");
        assertEquals(0, LE.get64(plain, plain.length - 64 + 16), "no recovery offset");
        assertEquals(1000, LE.get64(plain, plain.length - 64), "the index follows the blocks");
    }

    @Test
    void parsesEveryGoldenTailBackToItsBytes() throws IOException {
        for (String name : List.of("text-store.mmh", "text-sha256-store.mmh", "empty-zstd3.mmh",
                "text-store-recovery5.mmh", "text-sha256-store-recovery10.mmh", "empty-zstd3-recovery5.mmh")) {
            Path p = golden(name);
            byte[] file = Files.readAllBytes(p);
            int hashLength = FileHeader.parse(file, file.length).hash().length();
            try (FileChannel ch = FileChannel.open(p)) {
                ArchiveTail t = ArchiveTail.read(ch, hashLength);
                assertEquals(file.length, t.fileLength(), name);
                assertEquals(name.contains("recovery"), t.section(R).isPresent(), name);
                ByteBuffer[] bodies = t.sections().stream().map(s -> ByteBuffer.wrap(file, (int) s.bodyOffset(),
                        (int) s.bodyLength())).toArray(ByteBuffer[]::new);
                assertArrayEquals(Arrays.copyOfRange(file, (int) t.blocksEnd(), file.length), concat(t.encode(bodies)),
                        name);
                assertTrue(t.heldBy(ch), name);
                t.checkSections(ch);
                for (ArchiveTail.Section s : t.sections()) {
                    assertEquals(Optional.of(s), ArchiveTail.sectionAt(ch, s.offset()), name);
                }
                assertEquals(Optional.empty(), ArchiveTail.sectionAt(ch, t.indexOffset()), name);
                assertEquals(Optional.empty(), ArchiveTail.sectionAt(ch, 0), name);
            }
        }
    }

    @Test
    void aDamagedEnvelopeIsFoundAndADamagedBodyIsLeftToItsOwnChecks() throws IOException {
        byte[] g = Files.readAllBytes(golden("text-store-recovery5.mmh"));
        ArchiveTail.Section s;
        try (FileChannel ch = FileChannel.open(golden("text-store-recovery5.mmh"))) {
            s = ArchiveTail.read(ch, 8).section(R).orElseThrow();
        }
        for (long at : new long[] {s.offset() + 3, s.offset() + 12, s.end() - 1, s.bodyOffset() + 100}) {
            byte[] bad = g.clone();
            bad[(int) at] ^= 0x20;
            Path p = dir.resolve("bad-" + at + ".mmh");
            Files.write(p, bad);
            boolean envelope = at != s.bodyOffset() + 100;
            try (FileChannel ch = FileChannel.open(p)) {
                ArchiveTail t = ArchiveTail.read(ch, 8);
                assertEquals(!envelope, ArchiveTail.sectionAt(ch, s.offset()).isPresent(), "flip at " + at);
                assertEquals(!envelope, t.heldBy(ch), "flip at " + at);
                if (envelope) {
                    CorruptDataException e = assertThrows(CorruptDataException.class, () -> t.checkSections(ch));
                    assertEquals(s.offset(), e.offset());
                } else {
                    t.checkSections(ch);
                }
            }
        }
    }

    @Test
    void writesAroundABodyInPlaceAndCutsTheFile() throws IOException {
        ArchiveTail t = ArchiveTail.after(100, twoBlocks(), 8).withSection(R, 50);
        byte[] body = new byte[50];
        Arrays.fill(body, (byte) 1);
        Path p = dir.resolve("around");
        Files.write(p, new byte[5000]);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(body), t.section(R).orElseThrow().bodyOffset());
            t.writeAround(ch);
            assertTrue(t.heldBy(ch, ByteBuffer.wrap(body)));
            body[7] = 2;
            assertFalse(t.heldBy(ch, ByteBuffer.wrap(body)), "a different body");
        }
        byte[] file = Files.readAllBytes(p);
        assertEquals(t.fileLength(), file.length);
        body[7] = 1;
        assertArrayEquals(concat(t.encode(ByteBuffer.wrap(body))), Arrays.copyOfRange(file, 100, file.length));
    }

    @Test
    void refusesWhatItCannotLayOut() throws IOException {
        ArchiveTail t = ArchiveTail.after(100, twoBlocks(), 8).withSection(R, 50);
        assertThrows(IllegalArgumentException.class, () -> t.withSection(R, 10), "one section of a kind");
        assertThrows(IllegalArgumentException.class, () -> t.encode(ByteBuffer.allocate(49)));
        assertThrows(IllegalArgumentException.class, () -> t.encode());
        assertEquals(100, t.withoutSections().indexOffset());
        assertEquals(t.footer().totalRawSize(), t.withoutSections().footer().totalRawSize());
    }
}
