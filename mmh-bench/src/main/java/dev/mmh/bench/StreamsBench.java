package dev.mmh.bench;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.mmh.engine.CompressOptions;
import dev.mmh.stream.MmhChannel;
import dev.mmh.stream.MmhInputStream;
import dev.mmh.stream.MmhOutputStream;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The library's streams against zstd-jni's, in process, and random reads through {@link MmhChannel}: the numbers of
 * docs/BENCHMARKS.md, "Java library". Each round runs mmh and zstd one after the other (so both see the same load);
 * the best round of each is reported, with the median of the ratios. Output: Markdown lines.
 *
 * <pre>
 * java -cp CLASSPATH dev.mmh.bench.StreamsBench INPUT WORKDIR [level=3] [threads=2] [rounds=3] [reads=50] [blockKiB]
 * </pre>
 */
public final class StreamsBench {
    private StreamsBench() {
    }

    public static void main(String[] args) throws IOException {
        Path input = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int level = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int reads = args.length > 5 ? Integer.parseInt(args[5]) : 50;
        CompressOptions.Builder b = CompressOptions.builder().level(level).threads(threads);
        if (args.length > 6) {
            b.blockSize(Integer.parseInt(args[6]) * 1024);
        }
        CompressOptions o = b.build();
        long size = Files.size(input);
        Files.createDirectories(work);
        Path mmhFile = work.resolve("streams.mmh");
        Path zstFile = work.resolve("streams.zst");
        double[] mc = new double[rounds];
        double[] zc = new double[rounds];
        double[] md = new double[rounds];
        double[] zd = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            try (InputStream in = new FileInputStream(input.toFile());
                    OutputStream out = new MmhOutputStream(new FileOutputStream(mmhFile.toFile()), o)) {
                in.transferTo(out);
            }
            mc[r] = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            try (InputStream in = new FileInputStream(input.toFile());
                    ZstdOutputStream out = new ZstdOutputStream(new FileOutputStream(zstFile.toFile()), level)) {
                out.setWorkers(threads);
                in.transferTo(out);
            }
            zc[r] = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            long n;
            try (InputStream in = new MmhInputStream(new FileInputStream(mmhFile.toFile()), o)) {
                n = drain(in);
            }
            md[r] = (System.nanoTime() - t) / 1e9;
            check(n, size, "mmh");
            t = System.nanoTime();
            try (InputStream in = new ZstdInputStream(new BufferedInputStream(new FileInputStream(zstFile.toFile()),
                    1 << 17))) {
                n = drain(in);
            }
            zd[r] = (System.nanoTime() - t) / 1e9;
            check(n, size, "zstd");
            System.err.printf(Locale.ROOT, "round %d: mmh %.2f/%.2f s, zstd %.2f/%.2f s%n", r + 1, mc[r], md[r], zc[r],
                    zd[r]);
        }
        double mb = size / 1e6;
        System.out.printf(Locale.ROOT, "input %s: %.1f MB; level %d, %d threads, blocks of %d KiB, %d rounds%n",
                input.getFileName(), mb, level, threads, o.blockSize() / 1024, rounds);
        System.out.printf(Locale.ROOT, "archives: mmh %d bytes (%.3f), zstd %d bytes (%.3f)%n", Files.size(mmhFile),
                (double) Files.size(mmhFile) / size, Files.size(zstFile), (double) Files.size(zstFile) / size);
        System.out.println("| step | MmhOutputStream / MmhInputStream | ZstdOutputStream / ZstdInputStream | mmh/zstd "
                + "(median of rounds) |");
        System.out.println("|---|---:|---:|---:|");
        row("compress", mb, mc, zc);
        row("decompress", mb, md, zd);
        channel(mmhFile, size, reads, o);
    }

    private static void row(String step, double mb, double[] m, double[] z) {
        double[] ratio = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            ratio[i] = z[i] / m[i];
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f MB/s | %.0f MB/s | %.2fx |%n", step, mb / min(m), mb / min(z),
                median(ratio));
    }

    /** Random 4 KiB reads, each through a new channel (cold cache: open, read, close). */
    private static void channel(Path archive, long size, int reads, CompressOptions o) throws IOException {
        SplittableRandom r = new SplittableRandom(42);
        double[] ms = new double[reads];
        ByteBuffer buf = ByteBuffer.allocate(4096);
        for (int i = 0; i < reads; i++) {
            long at = r.nextLong(size - 4096);
            long t = System.nanoTime();
            try (MmhChannel ch = MmhChannel.open(archive, o, 1)) {
                buf.clear();
                ch.position(at);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fills the 4 KiB
                }
            }
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "random 4 KiB read, new channel each (open + read + close), %d reads: median "
                + "%.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms%n", reads, ms[reads / 2], ms[reads * 9 / 10], ms[0],
                ms[reads - 1]);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] b = new byte[1 << 16];
        long n = 0;
        for (int k; (k = in.read(b)) != -1; ) {
            n += k;
        }
        return n;
    }

    private static void check(long n, long size, String what) {
        if (n != size) {
            throw new IllegalStateException(what + " decoded " + n + " bytes of " + size);
        }
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
