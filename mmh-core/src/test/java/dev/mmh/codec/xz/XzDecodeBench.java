package dev.mmh.codec.xz;

import dev.mmh.codec.Codecs;
import dev.mmh.codec.Decompressor;
import dev.mmh.format.ArchiveStreamReader;
import dev.mmh.format.StoredBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-process speed of the xz block decoders on the xz blocks of real archives: XZ for Java against liblzma, one
 * decompressor each reused for every block, as a worker thread does. Not a test; run with the test classpath:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp mmh-core/target/classes:mmh-core/target/test-classes:$(cat cp.txt) \
 *   dev.mmh.codec.xz.XzDecodeBench ROUNDS samba.max.mmh ooffice.max.mmh ...
 * </pre>
 *
 * (cp.txt from {@code mvn -pl mmh-core dependency:build-classpath -Dmdep.outputFile=cp.txt}). Add
 * {@code -Dmmh.xzbench.fresh=true} to time a new native decompressor per block (liblzma's dictionary allocated
 * each time), {@code -Dmmh.xzbench.dump=DIR} to write each block to {@code DIR/xzblock-N-RAWSIZE.lzma2} for
 * {@code src/test/c/xzbench.c}.
 */
public final class XzDecodeBench {
    private XzDecodeBench() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = Integer.parseInt(args[0]);
        boolean fresh = Boolean.getBoolean("mmh.xzbench.fresh");
        List<byte[]> blocks = new ArrayList<>();
        List<Integer> raws = new ArrayList<>();
        long rawTotal = 0;
        for (int i = 1; i < args.length; i++) {
            try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
                ArchiveStreamReader r = new ArchiveStreamReader(in);
                for (StoredBlock b; (b = r.next(byte[]::new)) != null; ) {
                    if (b.header().codecId() == Codecs.XZ) {
                        blocks.add(Arrays.copyOf(b.payload(), (int) b.header().storedSize()));
                        raws.add((int) b.header().rawSize());
                        rawTotal += b.header().rawSize();
                    }
                }
            }
        }
        String dump = System.getProperty("mmh.xzbench.dump");
        for (int k = 0; dump != null && k < blocks.size(); k++) {
            Files.write(Path.of(dump, "xzblock-" + k + "-" + raws.get(k) + ".lzma2"), blocks.get(k));
        }
        System.out.printf("%d xz blocks, %.1f MB raw; %s%n", blocks.size(), rawTotal / 1e6,
                new XzCodec().libraryVersion());
        byte[] dst = new byte[raws.stream().mapToInt(Integer::intValue).max().orElse(0)];
        XzCodec codec = new XzCodec();
        for (String which : new String[] {"java", "native", "java", "native"}) {
            long best = Long.MAX_VALUE;
            long sum = 0;
            for (int round = 0; round < rounds; round++) {
                Decompressor d = which.equals("java") ? XzCodec.newJavaDecompressor() : codec.newDecompressor(null);
                long t0 = System.nanoTime();
                for (int k = 0; k < blocks.size(); k++) {
                    if (fresh && which.equals("native") && k > 0) {
                        d.close();
                        d = codec.newDecompressor(null);
                    }
                    d.decompress(blocks.get(k), 0, blocks.get(k).length, dst, 0, raws.get(k));
                }
                long t = System.nanoTime() - t0;
                d.close();
                best = Math.min(best, t);
                sum += t;
            }
            System.out.printf("%-6s best %7.1f ms  %6.1f MB/s   mean %7.1f ms  %6.1f MB/s%n", which, best / 1e6,
                    rawTotal / (best / 1e3), sum / 1e6 / rounds, rawTotal / (sum / 1e3 / rounds));
        }
    }
}
