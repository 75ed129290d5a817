package dev.mmh.archive;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.mmh.codec.Codecs;
import dev.mmh.format.BlockHeader;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.LE;
import dev.mmh.format.SeekableArchive;
import dev.mmh.transform.Transforms;
import dev.mmh.transform.X86Transform;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decodes only the first bytes of a block, for a read that needs a few chunks of it ({@code mmh cat} of a small
 * file): a zstd frame is decoded as a stream that stops once the bytes needed are out (and 4 more for the x86
 * transform, which decides each position from the bytes at and after it), and the x86 transform is undone only
 * over the bytes needed ({@link X86Transform#inverseRange}). A small file in a block of 8 MiB then costs a decode
 * up to it, not a whole decode, the transform of the whole block (slow in a JVM that has just started) and the
 * first touch of three 8 MiB buffers.
 *
 * <p>The block's header is checked against the index and its stored bytes against their CRC32C, as a whole decode
 * does, but its stored bytes' CRC32C and its raw hash cover the whole block and cannot be checked on a part, so the
 * caller must check each chunk
 * it takes from the prefix against its blob ID (SHA-256 of its bytes), which is the stronger check. Any other
 * codec or transform, or a damaged block, gives {@code null}: the caller decodes the whole block, which reports the
 * damage (or repairs it). Stateless and thread-safe.
 */
final class BlockPrefix {
    /** Stored bytes read, and output taken, at a time. */
    private static final int PIECE = 128 * 1024;
    /** Bytes decoded before the first one needed, in which the x86 transform finds a place to restart. */
    private static final int X86_LEAD = 256;

    private BlockPrefix() {
    }

    /** Bytes of a block: {@code bytes[i]} is the block's byte at {@code position + i}. */
    record Window(byte[] bytes, int position) {
    }

    /**
     * The raw bytes {@code [from, need)} of block {@code number} (in a window that may hold a few bytes more on
     * either side, which are not the block's), or {@code null} when the block's codec or transform cannot stop
     * early, {@code need} is the whole block (whose decode also checks the block's hash), or anything about the
     * block does not check.
     */
    static Window decode(SeekableArchive a, int number, int from, int need) throws IOException {
        FileHeader fh = a.header();
        if (number < 0 || number >= a.index().entries().size() || from < 0 || need <= from) {
            return null;
        }
        IndexEntry e = a.index().entries().get(number);
        byte[] hb = new byte[BlockHeader.size(fh.hash().length())];
        if (a.read(hb, e.offset(), hb.length) < hb.length || LE.get32(hb, 0) != Format.SECTION_BLOCK) {
            return null;
        }
        BlockHeader h;
        try {
            h = BlockHeader.parse(hb, 0, fh, e.offset());
        } catch (dev.mmh.CorruptDataException damaged) {
            return null;
        }
        if (h.number() != number || !e.matches(e.offset(), h) || need >= h.rawSize()) {
            return null;
        }
        boolean x86 = h.transformId() == Transforms.X86 && h.transformParam() == 0;
        if (!(h.transformId() == Transforms.NONE || x86) || !(h.codecId() == Codecs.STORE
                || h.codecId() == Codecs.ZSTD) || h.transformedSize() != h.rawSize()) {
            return null;
        }
        long at = e.offset() + hb.length;
        int n = (int) h.storedSize();
        // x86: a lead before from, where the transform's decisions can restart, and 4 bytes after need, which the
        // decisions up to need read
        int start = x86 ? Math.max(0, from - X86_LEAD) : from;
        int end = (int) Math.min(h.rawSize(), x86 ? need + 4L : need);
        byte[] out = new byte[end - start];
        if (h.codecId() == Codecs.STORE) {
            if (n != h.transformedSize() || a.read(out, at + start, out.length) < out.length) {
                return null;
            }
        } else if (!zstd(a, at, n, start, out, h.rawSize())) {
            return null;
        }
        if (x86 && X86Transform.inverseWindow(out, 0, out.length, start, h.rawSize()) > from - start) {
            return null; // no place to restart the transform's decisions in the lead (hardly ever)
        }
        return new Window(out, start);
    }

    /**
     * Decodes the zstd frame stored at {@code at} ({@code n} bytes), reading it a piece at a time, until the bytes
     * {@code [from, from + out.length)} of its output are in {@code out}; false if the frame ends before or is damaged.
     * Only zstd's window (the output so far) is held, not the stored bytes nor a block-sized array.
     */
    private static boolean zstd(SeekableArchive a, long at, int n, int from, byte[] out, long rawSize)
            throws IOException {
        byte[] src = new byte[Math.min(n, PIECE)];
        byte[] tmp = new byte[PIECE];
        ByteBuffer in = ByteBuffer.wrap(src, 0, 0);
        long read = 0;
        long produced = 0;
        long end = (long) from + out.length;
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            // a stream holds a window of the size the frame declares: never more than the block needs (a frame
            // that declares more is refused here and decoded whole, where no window is held)
            ctx.setLongMax(Math.max(10, 64 - Long.numberOfLeadingZeros(rawSize - 1)));
            while (produced < end) {
                if (!in.hasRemaining() && read < n) {
                    int k = (int) Math.min(src.length, n - read);
                    if (a.read(src, at + read, k) < k) {
                        return false;
                    }
                    read += k;
                    in = ByteBuffer.wrap(src, 0, k);
                }
                ByteBuffer dst = ByteBuffer.wrap(tmp, 0, (int) Math.min(tmp.length, end - produced));
                int before = in.position();
                boolean done = ctx.decompressByteBufferStream(dst, in);
                int got = dst.position();
                if (got > 0) {
                    // the part of [produced, produced + got) that falls in [from, end)
                    long lo = Math.max(produced, from);
                    long hi = produced + got;
                    if (hi > lo) {
                        System.arraycopy(tmp, (int) (lo - produced), out, (int) (lo - from), (int) (hi - lo));
                    }
                    produced += got;
                }
                if (produced < end && (done || got == 0 && in.position() == before && read == n)) {
                    return false; // the frame ended early, or no progress with all input given: damaged
                }
            }
            return true;
        } catch (ZstdException | IllegalArgumentException | IndexOutOfBoundsException damaged) {
            return false;
        }
    }
}
