package dev.mmh.recovery;

import dev.mmh.MmhException;
import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * A recovery section found in a file: its parameters, position, digest and merged checksum tables, and how
 * much of its own bookkeeping (header copies, table chunks) was damaged.
 *
 * <p>Immutable after {@link #read} and safe to share between threads. It does not keep the channel.
 */
public final class RecoveryData {
    private static final int SCAN_WINDOW = 1 << 20;

    private final SectionHeader header;
    private final ChecksumTable table;
    private final int intactHeaderCopies;

    RecoveryData(SectionHeader header, ChecksumTable table, int intactHeaderCopies) {
        this.header = header;
        this.table = table;
        this.intactHeaderCopies = intactHeaderCopies;
    }

    /**
     * Finds and reads the recovery section held by {@code ch}.
     *
     * <p>With {@code sectionOffsetHint >= 0} (e.g. from an archive footer) header copy 0 is tried there first.
     * Otherwise, or if it is damaged, the file is scanned from its end towards its start for a header copy
     * whose magic, CRC, fields and position all check out; the first (highest) one wins. The scan reads the
     * file once at most, in 1 MiB windows.
     *
     * @param ch a channel holding the section (an archive, or a {@code .mmhr} sidecar); its position is changed
     *     unless it is a {@link java.nio.channels.FileChannel}; not closed
     * @throws NotMmhFormatException if no intact header copy exists
     * @throws UnsupportedFormatException if the only intact header copies are of a version or code this build
     *     does not know
     */
    public static RecoveryData read(SeekableByteChannel ch, long sectionOffsetHint) throws IOException {
        return read(ch, sectionOffsetHint, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(SeekableByteChannel, long)}, but the scan from the end looks at no more than the last
     * {@code scanLimit} bytes: a bound for files that may have no recovery data at all (the section of a file
     * with 5% recovery starts within the last 5% or so, plus whatever follows it).
     */
    public static RecoveryData read(SeekableByteChannel ch, long sectionOffsetHint, long scanLimit)
            throws IOException {
        PositionalIo io = new PositionalIo(ch);
        Finder finder = new Finder(io);
        SectionHeader.Parsed found = null;
        long size = io.size();
        if (sectionOffsetHint >= 0 && sectionOffsetHint <= size - RecoveryParams.HEADER_SIZE) {
            found = finder.tryParse(sectionOffsetHint);
        }
        if (found == null) {
            found = finder.scanFromEnd(size, Math.max(0, size - Math.max(0, scanLimit)));
        }
        if (found == null) {
            if (finder.unsupported != null) {
                throw finder.unsupported;
            }
            throw new NotMmhFormatException("no intact recovery section header found");
        }
        SectionHeader h = found.header();
        RecoveryParams p = h.params();
        int other = 1 - found.copy();
        SectionHeader.Parsed second = finder.tryParse(h.sectionOffset() + p.headerOffset(other));
        int intact = 1 + (second != null && Arrays.equals(second.header().encode(0), h.encode(0)) ? 1 : 0);
        ChecksumTable t = ChecksumTable.read(io, h.sectionOffset() + p.tableOffset(0),
                h.sectionOffset() + p.tableOffset(1), p);
        return new RecoveryData(h, t, intact);
    }

    /** Looks for intact header copies; remembers a copy that is intact but of an unsupported kind. */
    private static final class Finder {
        private final PositionalIo io;
        UnsupportedFormatException unsupported;

        Finder(PositionalIo io) {
            this.io = io;
        }

        SectionHeader.Parsed tryParse(long pos) throws IOException {
            if (pos < 0) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(RecoveryParams.HEADER_SIZE);
            if (io.read(pos, b) < RecoveryParams.HEADER_SIZE) {
                return null;
            }
            return parse(b.array(), 0, pos);
        }

        private SectionHeader.Parsed parse(byte[] b, int off, long pos) {
            try {
                return SectionHeader.parse(b, off, pos);
            } catch (UnsupportedFormatException e) {
                if (unsupported == null) {
                    unsupported = e;
                }
                return null;
            } catch (MmhException e) {
                return null;
            }
        }

        SectionHeader.Parsed scanFromEnd(long size, long floor) throws IOException {
            int overlap = RecoveryParams.HEADER_SIZE - 1;
            byte[] win = new byte[SCAN_WINDOW + overlap];
            long end = size;
            while (end > floor) {
                long start = Math.max(floor, end - SCAN_WINDOW);
                int len = (int) (Math.min(size, end + overlap) - start);
                int got = io.read(start, ByteBuffer.wrap(win, 0, len));
                for (int i = Math.min(got, (int) (end - start)) - 1; i >= 0; i--) {
                    if (win[i] == SectionHeader.MAGIC[0] && i + RecoveryParams.HEADER_SIZE <= got
                            && SectionHeader.hasMagic(win, i)) {
                        SectionHeader.Parsed p = parse(win, i, start + i);
                        if (p != null) {
                            return p;
                        }
                    }
                }
                end = start;
            }
            return null;
        }
    }

    public RecoveryParams params() {
        return header.params();
    }

    /** Absolute offset of the section in the file that holds it. */
    public long sectionOffset() {
        return header.sectionOffset();
    }

    public long sectionLength() {
        return header.params().sectionLength();
    }

    /** Whether the section is a sidecar protecting a separate file. */
    public boolean sidecar() {
        return header.sidecar();
    }

    /** The protected range's digest (see docs/RECOVERY-FORMAT.md). */
    public long digest() {
        return header.digest();
    }

    /** Header copies (of 2) that are intact and agree. */
    public int intactHeaderCopies() {
        return intactHeaderCopies;
    }

    /** Table chunks of copy 0 or 1 that are damaged. */
    public long damagedTableChunks(int copy) {
        return table.damagedChunks(copy);
    }

    /** Table chunks damaged in both copies: their shards are judged by either copy's entry. */
    public long unverifiedTableChunks() {
        return table.unverifiedChunks();
    }

    /** Whether any of the section's own bookkeeping (header copies, table chunks) is damaged. */
    public boolean bookkeepingDamaged() {
        return intactHeaderCopies < 2 || table.damagedChunks(0) > 0 || table.damagedChunks(1) > 0;
    }

    ChecksumTable table() {
        return table;
    }

    SectionHeader header() {
        return header;
    }
}
