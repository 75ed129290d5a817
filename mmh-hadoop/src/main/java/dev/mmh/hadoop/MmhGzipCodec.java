package dev.mmh.hadoop;

import dev.mmh.gzip.GzipOptions;
import dev.mmh.gzip.ParallelGzipOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.SplitCompressionInputStream;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;

/**
 * A splittable Hadoop codec for {@code .gz} files whose members carry their size: what {@code mmh gzip} writes
 * (BGZF, or its {@code MH} subfield for blocks above 65,280 bytes) and any BGZF file; {@link GzipSplitInputStream}
 * says how a split finds its members. Any other gzip file is read whole by the split at 0, as Hadoop's
 * {@code GzipCodec} would read it.
 *
 * <p>It is not registered through {@code ServiceLoader}: {@code .gz} belongs to Hadoop's {@code GzipCodec}, and which
 * of two service-loaded codecs gets an extension depends on the class path's order. Name it in
 * {@code io.compression.codecs} ({@code io.compression.codecs=dev.mmh.hadoop.MmhGzipCodec}): codecs named there come
 * after the service-loaded ones, so it then reads every {@code .gz} file of the job.
 *
 * <p>Writing ({@code saveAsTextFile(path, MmhGzipCodec.class)}) makes mmh's gzip, which every gzip reader reads:
 * {@value #LEVEL} (default 6) and {@value #BLOCK_SIZE} (default: 65,280 bytes, BGZF, up to level 2; 1 MiB with the
 * {@code MH} subfield from level 3, as {@code mmh gzip} does), compressed on the JVM's shared mmh workers.
 *
 * <p>Thread-safe once configured; its streams are not.
 */
public class MmhGzipCodec implements SplittableCompressionCodec, Configurable {
    /** Configuration key: the gzip level, 1 to 12. */
    public static final String LEVEL = "mmh.gzip.level";
    /** Configuration key: raw bytes per member. */
    public static final String BLOCK_SIZE = "mmh.gzip.block.size";

    private Configuration conf = new Configuration(false);

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    private int readAhead() {
        return Math.max(1, conf.getInt(MmhCodec.READ_AHEAD, 4));
    }

    /** The gzip options the configuration gives, on the JVM's shared mmh workers. */
    public GzipOptions options() {
        int level = conf.getInt(LEVEL, 6);
        GzipOptions.Builder b = GzipOptions.builder().level(level).pool(Workers.pool());
        int block = conf.getInt(BLOCK_SIZE, 0);
        if (block > 0) {
            b.blockSize(block);
        }
        return b.build();
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, options());
        return new CompressionOutputStream(out) {
            private boolean finished;

            @Override
            public void write(int b) throws IOException {
                gz.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                gz.write(b, off, len);
            }

            /** Writes the last member (and BGZF's end-of-file member); leaves the underlying stream open. */
            @Override
            public void finish() throws IOException {
                if (!finished) {
                    finished = true;
                    gz.finish();
                }
            }

            /** Finishes, then frees the compressor and closes the underlying stream. */
            @Override
            public void close() throws IOException {
                try {
                    finish();
                } finally {
                    gz.close();
                }
            }

            @Override
            public void resetState() {
                throw new UnsupportedOperationException("an mmh gzip stream cannot be reset");
            }
        };
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor) throws IOException {
        return createOutputStream(out);
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
        return MmhCodec.NoCompressor.class;
    }

    @Override
    public Compressor createCompressor() {
        return new MmhCodec.NoCompressor();
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in) throws IOException {
        return GzipSplitInputStream.whole(in, readAhead());
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor) throws IOException {
        return createInputStream(in);
    }

    @Override
    public SplitCompressionInputStream createInputStream(InputStream seekableIn, Decompressor decompressor, long start,
            long end, READ_MODE readMode) throws IOException {
        return GzipSplitInputStream.split(seekableIn, start, end, readAhead());
    }

    @Override
    public Class<? extends Decompressor> getDecompressorType() {
        return MmhCodec.NoDecompressor.class;
    }

    @Override
    public Decompressor createDecompressor() {
        return new MmhCodec.NoDecompressor();
    }

    @Override
    public String getDefaultExtension() {
        return ".gz";
    }
}
