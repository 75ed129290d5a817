package dev.mmh.chunk;

import com.github.luben.zstd.Zstd;
import dev.mmh.analysis.TensorHeaders;
import dev.mmh.analysis.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Measures what each chunk size costs and saves on folders, to choose {@link ChunkerParams#DEFAULT}; not part of
 * the test suite. For every set and every average size (min = avg / 4, max = avg * 4) it prints: the unique bytes
 * after deduplication, the chunks referenced and stored, the metadata they cost in a folder archive (a chunk-list
 * entry of ~35 bytes per reference, a blob-table entry of 48 bytes per stored chunk), and the unique data
 * compressed the way mmh's block engine would: stored chunks concatenated in similarity order (files sorted by
 * name, then path, so that versions of a file are side by side) into blocks of at most 8 MiB that never split a
 * chunk, each block compressed alone with zstd -3.
 *
 * <pre>
 * java -cp CP dev.mmh.chunk.ChunkSizeStudy weights OUT_DIR           # writes the two weights pairs of set (d)
 * java -cp CP dev.mmh.chunk.ChunkSizeStudy study NAME=DIR...          # prints the table (Markdown)
 * </pre>
 *
 * Tensor files are cut at tensor boundaries ({@link TensorBoundaries}); a set named with a {@code -nocut} suffix is
 * chunked without them, for comparison.
 */
public final class ChunkSizeStudy {
    static final int BLOCK = 8 << 20;
    static final int[] AVERAGES = {16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10};
    /** Bytes of metadata per chunk reference (32-byte ID, varint length) and per stored chunk (blob table entry). */
    static final int REF_BYTES = 35;
    static final int BLOB_BYTES = 48;

    private ChunkSizeStudy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("weights")) {
            writeWeights(Path.of(args[1]));
            return;
        }
        if (args.length < 2 || !args[0].equals("study")) {
            System.err.println("usage: ChunkSizeStudy weights OUT_DIR | ChunkSizeStudy study NAME=DIR...");
            System.exit(2);
        }
        System.out.println("| set | avg (min, max) | input | unique after dedup | chunks referenced / stored "
                + "| metadata | unique, zstd -3 in 8 MiB blocks | total | vs whole-file dedup |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 1; i < args.length; i++) {
            String[] nv = args[i].split("=", 2);
            study(nv[0], Path.of(nv[1]));
        }
    }

    /** The files of a set, in similarity order: by file name, then by path. */
    static List<Path> similarityOrder(Path root) throws IOException {
        List<Path> files = new ArrayList<>(ChunkBench.files(root.toRealPath()));
        files.sort(Comparator.comparing((Path f) -> f.getFileName().toString()).thenComparing(Path::toString));
        return files;
    }

    private static void study(String name, Path root) throws IOException {
        boolean cuts = !name.endsWith("-nocut");
        List<Path> files = similarityOrder(root);
        long input = 0;
        for (Path f : files) {
            input += Files.size(f);
        }
        // baseline: whole files deduplicated (by SHA-256), same order and blocks
        Result whole = run(files, null, cuts);
        for (int avg : AVERAGES) {
            ChunkerParams p = ChunkerParams.ofAverage(avg);
            Result r = run(files, p, cuts);
            long meta = r.refs * REF_BYTES + r.stored * BLOB_BYTES;
            long total = r.compressed + meta;
            long wholeTotal = whole.compressed + whole.refs * REF_BYTES + whole.stored * BLOB_BYTES;
            System.out.printf(Locale.ROOT, "| %s | %d KiB (%d, %d KiB) | %s | %s | %,d / %,d | %s | %s | %s | %.3f |%n",
                    name, avg >> 10, avg >> 12, avg >> 8, mb(input), mb(r.unique), r.refs, r.stored, mb(meta),
                    mb(r.compressed), mb(total), (double) total / wholeTotal);
        }
        System.out.printf(Locale.ROOT, "| %s | whole files | %s | %s | %,d / %,d | %s | %s | %s | 1 |%n", name,
                mb(input), mb(whole.unique), whole.refs, whole.stored, mb(whole.refs * REF_BYTES
                        + whole.stored * BLOB_BYTES), mb(whole.compressed), mb(whole.compressed
                        + whole.refs * REF_BYTES + whole.stored * BLOB_BYTES));
        System.out.flush();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    record Result(long unique, long refs, long stored, long compressed) {
    }

    /** Chunks (or, with {@code p} null, takes whole) every file, keeps the first of each ID, compresses those. */
    private static Result run(List<Path> files, ChunkerParams p, boolean tensorCuts) throws IOException {
        Set<ByteBuffer> seen = new HashSet<>();
        Blocks blocks = new Blocks();
        long[] counts = new long[3]; // unique bytes, references, stored
        try (Chunker c = p == null ? null : Chunker.open(p, IdFunction.SHA256);
             dev.mmh.crypto.CryptoContext ctx = dev.mmh.crypto.CryptoContext.open()) {
            for (Path f : files) {
                byte[] data = Files.readAllBytes(f);
                if (data.length == 0) {
                    continue;
                }
                if (c == null) {
                    keep(seen, blocks, counts, data, 0, data.length, ctx.sha256(data, 0, data.length));
                    continue;
                }
                c.reset();
                if (tensorCuts) {
                    for (long b : TensorBoundaries.of(f)) {
                        c.cutAt(b);
                    }
                }
                ChunkSink sink = (s, e, id) -> keep(seen, blocks, counts, data, (int) s, (int) (e - s), id);
                c.update(data, 0, data.length, sink);
                c.finish(sink);
            }
        }
        blocks.flush();
        return new Result(counts[0], counts[1], counts[2], blocks.compressed);
    }

    private static void keep(Set<ByteBuffer> seen, Blocks blocks, long[] counts, byte[] data, int off, int len,
            byte[] id) {
        counts[1]++;
        if (seen.add(ByteBuffer.wrap(id.clone()))) {
            counts[0] += len;
            counts[2]++;
            blocks.add(data, off, len);
        }
    }

    /** Stored chunks gathered into blocks of at most 8 MiB (a whole file of more is its own run of blocks). */
    private static final class Blocks {
        final byte[] buf = new byte[BLOCK];
        int used;
        long compressed;

        void add(byte[] b, int off, int len) {
            if (used + len > BLOCK) {
                flush();
            }
            while (len > BLOCK) { // whole files larger than a block (the baseline only)
                compressed += Zstd.compress(java.util.Arrays.copyOfRange(b, off, off + BLOCK), 3).length;
                off += BLOCK;
                len -= BLOCK;
            }
            System.arraycopy(b, off, buf, used, len);
            used += len;
        }

        void flush() {
            if (used > 0) {
                compressed += Zstd.compress(java.util.Arrays.copyOf(buf, used), 3).length;
                used = 0;
            }
        }
    }

    // ---- set (d): two versions of weights files with a few tensors changed ----

    /**
     * Writes OUT/real/v1|v2/faceres-deep.safetensors (the corpus' human_faceres-deep weights, 14 MB, as safetensors;
     * v2 changes 3 of 128 tensors slightly and the header's metadata) and OUT/gen/v1|v2/model.safetensors (generated
     * float16 weights, 64 tensors, ~200 MB; v2 changes 6 tensors and the metadata).
     */
    static void writeWeights(Path out) throws IOException {
        Path corpus = dev.mmh.testing.TestData.corpus();
        byte[] bin = Files.readAllBytes(corpus.resolve("weights/human_faceres-deep.bin"));
        List<TensorInfo> tf = TensorHeaders.tfjs(corpus.resolve("weights-meta/human_faceres-deep.json")).values()
                .iterator().next();
        Map<String, byte[]> v1 = new LinkedHashMap<>();
        for (TensorInfo t : tf) {
            v1.put(t.name(), java.util.Arrays.copyOfRange(bin, (int) t.offset(), (int) (t.offset() + t.length())));
        }
        Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
        List<String> names = new ArrayList<>(v1.keySet());
        SplittableRandom r = new SplittableRandom(1);
        for (String n : List.of(names.get(10), names.get(60), names.get(names.size() - 3))) {
            byte[] t = v2.get(n).clone();
            for (int i = 0; i + 3 < t.length; i += 4) {
                t[i] ^= (byte) r.nextInt(256); // the low mantissa byte of each float32: a fine-tuning step
            }
            v2.put(n, t);
        }
        write(out.resolve("real/v1/faceres-deep.safetensors"), "F32", "training step 1000", v1);
        write(out.resolve("real/v2/faceres-deep.safetensors"), "F32", "training step 1200, layers 10, 60, 125", v2);

        Map<String, byte[]> g1 = new LinkedHashMap<>();
        SplittableRandom g = new SplittableRandom(2);
        for (int i = 0; i < 64; i++) {
            int elements = (1 << 19) + g.nextInt(5 << 19); // 1 to 6 MB of float16
            byte[] t = new byte[elements * 2];
            double scale = 0.01 + g.nextDouble() * 0.1;
            for (int k = 0; k < elements; k++) {
                int h = half((float) (g.nextGaussian() * scale));
                t[2 * k] = (byte) h;
                t[2 * k + 1] = (byte) (h >>> 8);
            }
            g1.put("model.layers." + i + ".weight", t);
        }
        Map<String, byte[]> g2 = new LinkedHashMap<>(g1);
        for (int i : new int[] {3, 17, 30, 31, 50, 63}) {
            String n = "model.layers." + i + ".weight";
            byte[] t = g2.get(n).clone();
            for (int k = 0; k < t.length; k += 2) {
                t[k] ^= (byte) g.nextInt(4); // the two lowest mantissa bits of each float16
            }
            g2.put(n, t);
        }
        write(out.resolve("gen/v1/model.safetensors"), "F16", "step 1", g1);
        write(out.resolve("gen/v2/model.safetensors"), "F16", "step 2: six layers tuned", g2);
        writeEdited(corpus, out.resolve("edits"));
        System.out.println("wrote " + out.resolve("real") + ", " + out.resolve("gen") + " and " + out.resolve("edits"));
    }

    /**
     * Writes OUT/v1|v2/silesia.cat: the Silesia files end to end (112 MB), and the same with 100 small edits spread
     * over it (each inserts, deletes or overwrites 1 to 100 bytes): what an edited database, log or disk image
     * looks like to the chunker. Each edit costs about one chunk of unique data, so it shows what a larger average
     * costs per change.
     */
    static void writeEdited(Path corpus, Path out) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path f : ChunkBench.files(corpus.resolve("silesia"))) {
            all.writeBytes(Files.readAllBytes(f));
        }
        byte[] v1 = all.toByteArray();
        SplittableRandom r = new SplittableRandom(3);
        long[] at = r.longs(100, 0, v1.length).sorted().toArray();
        ByteArrayOutputStream v2 = new ByteArrayOutputStream();
        int from = 0;
        for (long a : at) {
            int pos = (int) a;
            v2.write(v1, from, pos - from);
            int n = 1 + r.nextInt(100);
            byte[] bytes = new byte[n];
            r.nextBytes(bytes);
            switch (r.nextInt(3)) {
                case 0 -> { v2.writeBytes(bytes); from = pos; }                                  // insert
                case 1 -> from = Math.min(v1.length, pos + n);                                   // delete
                default -> { v2.writeBytes(bytes); from = Math.min(v1.length, pos + n); }        // overwrite
            }
        }
        v2.write(v1, from, v1.length - from);
        Files.createDirectories(out.resolve("v1"));
        Files.createDirectories(out.resolve("v2"));
        Files.write(out.resolve("v1/silesia.cat"), v1);
        Files.write(out.resolve("v2/silesia.cat"), v2.toByteArray());
    }

    private static void write(Path file, String dtype, String note, Map<String, byte[]> tensors) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"note\":\"").append(note).append("\"}");
        long at = 0;
        for (Map.Entry<String, byte[]> e : tensors.entrySet()) {
            long n = e.getValue().length;
            json.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":[")
                    .append(n / (dtype.equals("F16") ? 2 : 4)).append("],\"data_offsets\":[").append(at).append(',')
                    .append(at + n).append("]}");
            at += n;
        }
        json.append('}');
        byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            o.write((int) ((long) h.length >>> (8 * i)));
        }
        o.writeBytes(h);
        tensors.values().forEach(o::writeBytes);
        Files.createDirectories(file.getParent());
        Files.write(file, o.toByteArray());
    }

    /** IEEE half of a small float (normal range, mantissa truncated). */
    private static int half(float f) {
        int v = Float.floatToIntBits(f);
        int exp = ((v >>> 23) & 0xFF) - 127 + 15;
        int h = (v >>> 16) & 0x8000;
        if (exp > 0) {
            h |= exp << 10 | (v >>> 13) & 0x3FF;
        }
        return h;
    }
}
