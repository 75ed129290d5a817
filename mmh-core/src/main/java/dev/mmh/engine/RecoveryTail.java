package dev.mmh.engine;

import dev.mmh.CorruptDataException;
import dev.mmh.MmhException;
import dev.mmh.format.ArchiveTail;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexBuilder;
import dev.mmh.hash.ContentHash;
import dev.mmh.io.CriticalSection;
import dev.mmh.io.Positional;
import dev.mmh.recovery.RecoveryData;
import dev.mmh.recovery.RecoveryParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The tail of an archive with recovery data as the recovery classes see it: the tail the blocks imply, the one
 * stored when it checks, and the ordered write of a section and its tail that protect and repair share. Every
 * offset comes from {@link ArchiveTail}.
 */
final class RecoveryTail {
    private RecoveryTail() {
    }

    /** The recovery section of {@code rd} as the archive's tail holds it. */
    static ArchiveTail.Section section(RecoveryData rd) {
        return ArchiveTail.Section.around(ArchiveTail.Kind.RECOVERY, rd.sectionOffset(), rd.sectionLength());
    }

    /**
     * The tail that the blocks ending where {@code s} starts imply, around {@code s}: the index rebuilt from the
     * block headers (a repair's rebuilt tail is identical to the one that was written).
     */
    static ArchiveTail implied(FileChannel ch, ArchiveTail.Section s) throws IOException {
        FileHeader fh = header(ch);
        int hashLength = fh.hash().length();
        IndexBuilder.Found f = IndexBuilder.scan((b, pos, len) -> Positional.read(ch, b, pos, len), s.offset());
        ArchiveTail t = !fh.folder() ? ArchiveTail.after(s.offset(), f.index(), hashLength)
                : ArchiveTail.folderAfter(s.offset(), f.index(), hashLength, f.manifestOffset(), f.manifestLength());
        return t.withSection(s.kind(), s.bodyLength());
    }

    /**
     * The tail stored in {@code ch} if it checks on its own (footer and index by their CRCs and limits, the
     * section's envelope byte for byte) and puts the section where {@code s} is and the index right after it;
     * else {@code null}. It is judged without the blocks, so damage in them does not count against it. When the
     * file header is damaged too, the index is tried with every hash length.
     */
    static ArchiveTail stored(FileChannel ch, ArchiveTail.Section s) throws IOException {
        for (int hashLength : hashLengths(ch)) {
            try {
                ArchiveTail t = ArchiveTail.read(ch, hashLength);
                if (t.sections().equals(List.of(s)) && t.indexOffset() == s.end()) {
                    t.checkSections(ch);
                    return t;
                }
            } catch (MmhException e) {
                // damaged (or not this hash length)
            }
        }
        return null;
    }

    private static FileHeader header(FileChannel ch) throws IOException {
        byte[] hb = new byte[Format.MAX_HEADER_SIZE];
        return FileHeader.parse(hb, Positional.read(ch, hb, 0, hb.length));
    }

    /** The length of the archive's block hashes, from its file header. */
    private static int hashLength(FileChannel ch) throws IOException {
        return header(ch).hash().length();
    }

    private static int[] hashLengths(FileChannel ch) throws IOException {
        try {
            return new int[] {hashLength(ch)};
        } catch (MmhException e) {
            return Arrays.stream(ContentHash.values()).mapToInt(ContentHash::length).toArray();
        }
    }

    /**
     * Writes {@code tail} with {@code section} as the body of its (one) recovery section into {@code ch}, unless
     * the file already holds exactly these bytes, in two ordered writes: the envelope's head, header copy 0 and
     * checksum table copy 0 first, then everything else; then cuts the file after the footer and flushes it. A
     * stop after the first write leaves a section found by its first header copy, which a repair completes. Both
     * writes happen inside a {@link CriticalSection}, so a shutdown waits for them.
     *
     * @return whether anything was written
     */
    static boolean write(FileChannel ch, ArchiveTail tail, byte[] section, RecoveryParams p) throws IOException {
        if (tail.sections().size() != 1 || tail.section(ArchiveTail.Kind.RECOVERY).isEmpty()) {
            throw new IllegalArgumentException("not a tail with recovery data only: " + tail.sections());
        }
        if (tail.heldBy(ch, ByteBuffer.wrap(section))) {
            return false;
        }
        ByteBuffer[] parts = tail.encode(ByteBuffer.wrap(section));
        long at = tail.blocksEnd();
        int first = (int) p.parityOffset(); // header copy 0 and checksum table copy 0
        try (CriticalSection ignored = CriticalSection.enter()) {
            ByteBuffer head = ByteBuffer.allocate(parts[0].remaining() + first).put(parts[0].duplicate())
                    .put(section, 0, first).flip();
            Positional.write(ch, head, at);
            at += head.capacity();
            parts[0].position(parts[0].limit());
            parts[1].position(first);
            for (ByteBuffer b : parts) {
                int len = b.remaining();
                Positional.write(ch, b, at);
                at += len;
            }
            ch.truncate(tail.fileLength());
            ch.force(false);
        }
        return true;
    }

    static void readFully(FileChannel ch, byte[] b, long pos) throws IOException {
        if (Positional.read(ch, b, pos, b.length) < b.length) {
            throw new CorruptDataException("archive ends early", pos, -1);
        }
    }
}
