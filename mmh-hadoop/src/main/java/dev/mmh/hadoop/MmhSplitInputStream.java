package dev.mmh.hadoop;

import dev.mmh.LimitExceededException;
import dev.mmh.engine.BlockCodec;
import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.StoredBlock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.Seekable;

/**
 * The decoded bytes of the blocks of an {@code .mmh} archive that a Hadoop split owns, the way Hadoop's line
 * readers need them from a splittable codec (the contract of {@code BZip2Codec} in {@code READ_MODE.BYBLOCK}).
 *
 * <p><b>Which blocks a split owns.</b> A block belongs to the split {@code [start, end)} in which its section
 * starts; block 0 counts as starting at offset 0, so that the file header goes with it. A split that starts at 0
 * reads from the file header on ({@link ArchiveStreamReader}: a split that reaches the end of the archive also
 * checks its index, footer and content ID); any other split scans from {@code start} for the first block section
 * that starts before {@code end} ({@link SplitBlocks#find}) and owns nothing if there is none, or if the archive has
 * the compact layout (one block, which split 0 reads). The stream goes on past the owned blocks into the following
 * ones for as long as its reader asks, so that the record that straddles the boundary is read whole by the split
 * before it, and the split that owns the next block skips it ({@code LineRecordReader} drops the first record of
 * every split that does not start at 0).
 *
 * <p><b>Positions.</b> {@link #getPos()} is {@code P + 1}, where {@code P} is where the block that the last byte
 * returned comes from starts (0 for block 0); before the first read it is that value for the first block to be
 * read, or {@code end + 1} for a split that owns nothing. A reader that stops once {@code getPos() > end} has thus
 * read every block the split owns and nothing of the next one but what the record in progress needs. One
 * {@link #read(byte[], int, int)} never returns bytes of two blocks. {@link #getAdjustedStart()} is 0 for the first
 * split, else where the first owned block starts (or {@code start} when there is none); {@link #getAdjustedEnd()}
 * is {@code end}.
 *
 * <p><b>Checks.</b> Every block read is checked as {@code mmh decompress} checks it (header CRC and limits,
 * stored-data CRC, codec, transform, raw hash, consecutive numbers); a damaged one fails the read with mmh's
 * exception and message ({@link dev.mmh.CorruptDataException} and its subclasses, naming the block and its offset).
 *
 * <p><b>Threads and memory.</b> Blocks are decoded on the JVM's shared mmh workers, {@code readAhead} of them ahead
 * of the reader (at most one beyond the split's end before the reader asks for it), so at most
 * {@code readAhead + 1} decoded blocks and their stored bytes are held. Not thread-safe: one reader at a time.
 * {@link #close()} stops the decoding and closes the underlying stream.
 */
public final class MmhSplitInputStream extends BlockSplitStream {
    private final FileHeader header;

    private MmhSplitInputStream(InputStream in, long start, long end, int readAhead, boolean whole)
            throws IOException {
        super(in, start, end, readAhead);
        IntFunction<byte[]> buffers = n -> {
            try {
                return BlockCodec.storedBuffer(pool, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Source source;
        long initial;
        if (whole || start == 0) {
            if (!whole) {
                ((Seekable) in).seek(0);
            }
            ArchiveStreamReader r = new ArchiveStreamReader(new BufferedInputStream(in, 1 << 16));
            header = r.header();
            source = () -> unit(r.next(buffers));
            initial = 1;
        } else {
            header = SplitBlocks.readHeader(in);
            SplitBlocks.Found f = header.compact() ? null
                    : SplitBlocks.find(in, header, Math.max(start, header.length() + 1), end);
            if (f == null) {
                source = null;
                initial = end + 1;
            } else {
                setStart(f.offset());
                ((Seekable) in).seek(f.offset());
                SplitBlocks blocks = new SplitBlocks(new BufferedInputStream(in, 1 << 16), header, f.offset(),
                        f.number());
                source = () -> unit(blocks.next(buffers));
                initial = f.offset() + 1;
            }
        }
        long perBlock = 2L * header.blockSize() + 64 * 1024;
        long allowed = Runtime.getRuntime().maxMemory() * 3 / 4;
        int ahead = Math.max(1, readAhead);
        if (perBlock * (ahead + 1) > allowed) {
            throw new LimitExceededException("decoding blocks of " + header.blockSize() + " bytes",
                    perBlock * (ahead + 1), allowed);
        }
        begin(source, initial);
    }

    /** Block 0 is owned by offset 0, every other block by where its section starts. */
    private Unit unit(StoredBlock b) {
        if (b == null) {
            return null;
        }
        long owner = b.header().number() == 0 ? 0 : b.offset();
        return new Unit(owner, t -> {
            BlockCodec.Decoded d = BlockCodec.decode(t, header, b, pool);
            return new Chunk(d.bytes(), d.length(), () -> {
                try {
                    BlockCodec.release(pool, d);
                } catch (IOException e) {
                    // the pool is closed: the buffer is simply not reused
                }
            });
        });
    }

    /**
     * The part of the archive in {@code in} that the split {@code [start, end)} owns, as the class comment says.
     *
     * @param in the archive file, also {@link Seekable}; closed by {@link #close()}
     * @param readAhead blocks decoded ahead of the reader (1 or more)
     */
    public static MmhSplitInputStream split(InputStream in, long start, long end, int readAhead) throws IOException {
        if (!(in instanceof Seekable)) {
            throw new IllegalArgumentException("a split needs a seekable stream, not " + in.getClass().getName());
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("split [" + start + ", " + end + ")");
        }
        return new MmhSplitInputStream(in, start, end, readAhead, false);
    }

    /**
     * The whole archive read front to back from {@code in} (a pipe is fine), with every check of
     * {@code mmh decompress}: each block, then the index, footer and content ID at the end.
     *
     * @param in the archive; closed by {@link #close()}
     */
    public static MmhSplitInputStream whole(InputStream in, int readAhead) throws IOException {
        return new MmhSplitInputStream(in, 0, Long.MAX_VALUE, readAhead, true);
    }

    /** The archive's file header. */
    public FileHeader header() {
        return header;
    }
}
