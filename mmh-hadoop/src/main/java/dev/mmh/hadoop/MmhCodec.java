package dev.mmh.hadoop;

import dev.mmh.analysis.Goal;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DoNotPool;
import org.apache.hadoop.io.compress.SplitCompressionInputStream;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;

/**
 * The Hadoop codec for {@code .mmh} archives: splittable, so that Spark's {@code textFile} and Hadoop's
 * {@code TextInputFormat} read one large archive in as many parallel tasks as it has splits, every line exactly once
 * whatever the split size ({@link MmhSplitInputStream} says how); and writable, so that
 * {@code saveAsTextFile(path, MmhCodec.class)} and Hadoop's output formats write archives that {@code mmh
 * decompress} reads.
 *
 * <p>Found by {@link org.apache.hadoop.io.compress.CompressionCodecFactory} for files named {@code *.mmh}: the jar
 * registers it in {@code META-INF/services/org.apache.hadoop.io.compress.CompressionCodec}, and
 * {@code io.compression.codecs=dev.mmh.hadoop.MmhCodec} names it too.
 *
 * <p>Settings (Hadoop configuration, read when a stream is made):
 * <ul>
 *   <li>{@value #CODEC}: {@code auto} (the default: mmh chooses per block, as {@code mmh compress} does without
 *       {@code --codec}), {@code fast} or {@code max} (the goals of {@code --fast}/{@code --max}), or a codec name
 *       ({@code zstd}, {@code lz4}, {@code deflate}, {@code brotli}, {@code xz}, {@code bwt}, {@code store});
 *   <li>{@value #LEVEL}: the codec's level (with a codec name; its default when unset);
 *   <li>{@value #BLOCK_SIZE}: raw bytes per block, 1,024 to 2^30 (default 8 MiB): the unit a split reads, so a split
 *       should hold several;
 *   <li>{@value #READ_AHEAD}: blocks a reading stream decodes ahead of its reader (default 2).
 * </ul>
 * Blocks are compressed and decoded on one pool of daemon threads per JVM, as many as it has processors.
 *
 * <p>Thread-safe once configured; the streams it makes are not (one user each).
 */
public class MmhCodec implements SplittableCompressionCodec, Configurable {
    /** The file name extension: {@value}. */
    public static final String EXTENSION = ".mmh";
    /** Configuration key: {@code auto}, {@code fast}, {@code max} or a codec name. */
    public static final String CODEC = "mmh.compress.codec";
    /** Configuration key: the codec level. */
    public static final String LEVEL = "mmh.compress.level";
    /** Configuration key: raw bytes per block. */
    public static final String BLOCK_SIZE = "mmh.compress.block.size";
    /** Configuration key: blocks decoded ahead of a reader. */
    public static final String READ_AHEAD = "mmh.read.ahead";

    private Configuration conf = new Configuration(false);

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    /** The compression options the configuration gives, on the JVM's shared mmh workers. */
    public CompressOptions options() {
        CompressOptions.Builder b = CompressOptions.builder().pool(Workers.pool())
                .blockSize(conf.getInt(BLOCK_SIZE, Format.DEFAULT_BLOCK_SIZE));
        String codec = conf.getTrimmed(CODEC, "auto").toLowerCase(Locale.ROOT);
        switch (codec) {
            case "auto" -> b.goal(Goal.DEFAULT);
            case "fast" -> b.goal(Goal.FAST);
            case "max" -> b.goal(Goal.MAX);
            default -> {
                b.codec(codec);
                String level = conf.getTrimmed(LEVEL);
                if (level != null) {
                    b.level(Integer.parseInt(level));
                }
            }
        }
        return b.build();
    }

    private int readAhead() {
        return Math.max(1, conf.getInt(READ_AHEAD, 2));
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
        return new MmhCompressionOutputStream(out, options());
    }

    /** As {@link #createOutputStream(OutputStream)}: mmh needs no Hadoop compressor. */
    @Override
    public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor) throws IOException {
        return createOutputStream(out);
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
        return NoCompressor.class;
    }

    @Override
    public Compressor createCompressor() {
        return new NoCompressor();
    }

    /** The whole archive, front to back, with every check of {@code mmh decompress} (index and footer too). */
    @Override
    public CompressionInputStream createInputStream(InputStream in) throws IOException {
        return MmhSplitInputStream.whole(in, readAhead());
    }

    /** As {@link #createInputStream(InputStream)}: mmh needs no Hadoop decompressor. */
    @Override
    public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor) throws IOException {
        return createInputStream(in);
    }

    /**
     * The blocks the split {@code [start, end)} of the archive owns, as {@link MmhSplitInputStream} says, in either
     * read mode (positions are always reported at block boundaries).
     *
     * @param seekableIn the archive file; must be {@link org.apache.hadoop.fs.Seekable}
     */
    @Override
    public SplitCompressionInputStream createInputStream(InputStream seekableIn, Decompressor decompressor, long start,
            long end, READ_MODE readMode) throws IOException {
        return MmhSplitInputStream.split(seekableIn, start, end, readAhead());
    }

    @Override
    public Class<? extends Decompressor> getDecompressorType() {
        return NoDecompressor.class;
    }

    @Override
    public Decompressor createDecompressor() {
        return new NoDecompressor();
    }

    @Override
    public String getDefaultExtension() {
        return EXTENSION;
    }

    /**
     * What {@link org.apache.hadoop.io.compress.CodecPool} hands out for this codec: mmh's streams do the work, so
     * its methods are never called by them, and it refuses the ones that would move data.
     */
    @DoNotPool
    public static final class NoDecompressor implements Decompressor {
        @Override
        public void setInput(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh decodes through its streams");
        }

        @Override
        public boolean needsInput() {
            return false;
        }

        @Override
        public void setDictionary(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh decodes through its streams");
        }

        @Override
        public boolean needsDictionary() {
            return false;
        }

        @Override
        public boolean finished() {
            return true;
        }

        @Override
        public int decompress(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh decodes through its streams");
        }

        @Override
        public int getRemaining() {
            return 0;
        }

        @Override
        public void reset() {
        }

        @Override
        public void end() {
        }
    }

    /** The compressor counterpart of {@link NoDecompressor}. */
    @DoNotPool
    public static final class NoCompressor implements Compressor {
        @Override
        public void setInput(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh compresses through its streams");
        }

        @Override
        public boolean needsInput() {
            return false;
        }

        @Override
        public void setDictionary(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh compresses through its streams");
        }

        @Override
        public long getBytesRead() {
            return 0;
        }

        @Override
        public long getBytesWritten() {
            return 0;
        }

        @Override
        public void finish() {
        }

        @Override
        public boolean finished() {
            return true;
        }

        @Override
        public int compress(byte[] b, int off, int len) {
            throw new UnsupportedOperationException("mmh compresses through its streams");
        }

        @Override
        public void reset() {
        }

        @Override
        public void end() {
        }

        @Override
        public void reinit(Configuration conf) {
        }
    }
}
