package dev.mmh.format;

import dev.mmh.codec.CodecParams;
import dev.mmh.hash.ContentHash;
import dev.mmh.hash.MerkleTree;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * An archive of {@code n} empty blocks (XXH64, codec store, 1 KiB block size), generated while it is read, so a
 * test can feed a reader 2^26 blocks without holding them: the header, then the blocks (60 bytes each), then, if
 * asked, the index (streamed too) and the footer. The bytes are those mmh would write for the same blocks.
 */
final class EmptyBlocksArchive extends InputStream {
    private static final int BLOCK = BlockHeader.size(8) + 4;
    private static final int BATCH = 1024;
    private static final byte[] EMPTY_HASH = ContentHash.XXH64.hash(new byte[0], 0, 0);

    private final long n;
    private final boolean withIndex;
    private final byte[] buf = new byte[BATCH * BLOCK + Format.FOOTER_SIZE + 64];
    private final MerkleTree merkle = new MerkleTree();
    private final CRC32C indexCrc = new CRC32C();
    private int at;
    private int end;
    private int stage;
    private long next;

    /**
     * @param n blocks to generate
     * @param withIndex whether the index and footer follow them (else the input ends after the last block)
     */
    EmptyBlocksArchive(long n, boolean withIndex) {
        this.n = n;
        this.withIndex = withIndex;
    }

    static long blockOffset(long i) {
        return Format.HEADER_SIZE + i * BLOCK;
    }

    /**
     * The bytes of the header and blocks of such an archive at {@code pos} (up to {@code len}, fewer past the last
     * block), for readers that seek: what {@link IndexBuilder.Source} asks for.
     */
    static int readAt(long n, byte[] b, long pos, int len) {
        byte[] header = new FileHeader(ContentHash.XXH64, 0, new CodecParams(0, 0, 0), 1024, 0).encode();
        byte[] block = new byte[BLOCK];
        int done = 0;
        while (done < len && pos + done < blockOffset(n)) {
            long p = pos + done;
            int k;
            if (p < Format.HEADER_SIZE) {
                k = (int) Math.min(len - done, Format.HEADER_SIZE - p);
                System.arraycopy(header, (int) p, b, done, k);
            } else {
                long i = (p - Format.HEADER_SIZE) / BLOCK;
                int in = (int) ((p - Format.HEADER_SIZE) % BLOCK);
                new BlockHeader(0, 0, 0, 0, 0, i, 0, 0, 0, EMPTY_HASH).encode(block, 0);
                k = Math.min(len - done, BLOCK - in);
                System.arraycopy(block, in, b, done, k);
            }
            done += k;
        }
        return done;
    }

    /** Makes the next piece of the archive; false at its end. */
    private boolean fill() {
        at = 0;
        end = 0;
        switch (stage) {
            case 0 -> {
                byte[] h = new FileHeader(ContentHash.XXH64, 0, new CodecParams(0, 0, 0), 1024, 0).encode();
                System.arraycopy(h, 0, buf, 0, h.length);
                end = h.length;
                stage = 1;
            }
            case 1 -> {
                for (; next < n && end + BLOCK <= BATCH * BLOCK; next++) {
                    end += new BlockHeader(0, 0, 0, 0, 0, next, 0, 0, 0, EMPTY_HASH).encode(buf, end);
                    LE.put32(buf, end, 0); // CRC32C of no bytes
                    end += 4;
                    if (withIndex) {
                        merkle.add(0, EMPTY_HASH);
                    }
                }
                if (next == n) {
                    stage = withIndex ? 2 : 5;
                    next = 0;
                }
            }
            case 2 -> {
                LE.put32(buf, 0, Format.SECTION_INDEX);
                LE.put32(buf, 4, 0);
                LE.put64(buf, 8, Index.size(n, 8));
                LE.put64(buf, 16, n);
                end = 24;
                indexCrc.update(buf, 0, end);
                stage = 3;
            }
            case 3 -> {
                for (; next < n && end < BATCH * BLOCK; next++) {
                    // docs/FORMAT.md, "Index entry": offset, then sizes, ids, parameter, all 0, then the raw hash
                    java.util.Arrays.fill(buf, end, end + 40, (byte) 0);
                    LE.put64(buf, end, blockOffset(next));
                    System.arraycopy(EMPTY_HASH, 0, buf, end + 40, 8);
                    end += 48;
                }
                indexCrc.update(buf, 0, end);
                if (next == n) {
                    stage = 4;
                }
            }
            case 4 -> {
                LE.put64(buf, 0, 0);
                System.arraycopy(merkle.root(), 0, buf, 8, 32);
                indexCrc.update(buf, 0, 40);
                LE.put32(buf, 40, (int) indexCrc.getValue());
                long indexAt = blockOffset(n);
                long indexLength = Index.size(n, 8);
                byte[] f = new Footer(indexAt, indexLength, 0, 0, indexAt + indexLength + Format.FOOTER_SIZE, 0)
                        .encode();
                System.arraycopy(f, 0, buf, 44, f.length);
                end = 44 + f.length;
                stage = 5;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (at == end) {
            if (!fill()) {
                return -1;
            }
        }
        int k = Math.min(len, end - at);
        System.arraycopy(buf, at, b, off, k);
        at += k;
        return k;
    }
}
