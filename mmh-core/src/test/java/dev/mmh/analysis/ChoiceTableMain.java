package dev.mmh.analysis;

import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.codec.Decompressor;
import dev.mmh.transform.BytePlanesTransform;
import dev.mmh.transform.DeltaTransform;
import dev.mmh.transform.Transform;
import dev.mmh.transform.Transforms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures transform + codec combinations per file, block by block, so the lead can see what each goal should
 * pick. Codecs named {@code xz9e}, {@code zstd19}, {@code zstd3} run the system tools on the transformed block
 * (what the container would get from the same library); {@code bwt} and {@code numeric} run in process and are
 * checked to round-trip. A tool, not a test: {@code ChoiceTableMain CORPUS BLOCK_MIB file:combo,combo ...}.
 */
public final class ChoiceTableMain {
    private ChoiceTableMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int block = Integer.parseInt(args[1]) << 20;
        for (int a = 2; a < args.length; a++) {
            String[] fc = args[a].split(":", 2);
            byte[] data = Files.readAllBytes(root.resolve(fc[0]));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s %10d", fc[0], data.length));
            for (String combo : fc[1].split(",")) {
                long t0 = System.nanoTime();
                long size = 0;
                for (int off = 0; off < data.length; off += block) {
                    size += measure(data, off, Math.min(block, data.length - off), combo);
                }
                line.append(String.format(Locale.ROOT, "  %s=%d (%.1fs)", combo, size, (System.nanoTime() - t0) / 1e9));
            }
            System.out.println(line);
        }
    }

    /** combo: [transform/]codec, transform one of x86, d16, d8, p4, p2, p2r. */
    private static long measure(byte[] data, int off, int len, String combo) throws Exception {
        String codec = combo;
        byte[] block = Arrays.copyOfRange(data, off, off + len);
        int slash = combo.indexOf('/');
        if (slash > 0) {
            String t = combo.substring(0, slash);
            codec = combo.substring(slash + 1);
            Transform tr;
            int param;
            switch (t) {
                case "x86" -> { tr = Transforms.byId(Transforms.X86); param = 0; }
                case "d16" -> { tr = Transforms.byId(Transforms.DELTA); param = DeltaTransform.param(2, 2, false); }
                case "d8" -> { tr = Transforms.byId(Transforms.DELTA); param = DeltaTransform.param(1, 1, false); }
                case "p4" -> { tr = Transforms.byId(Transforms.PLANES); param = BytePlanesTransform.param(4, true); }
                case "p2" -> { tr = Transforms.byId(Transforms.PLANES); param = BytePlanesTransform.param(2, false); }
                case "p2r" -> { tr = Transforms.byId(Transforms.PLANES); param = BytePlanesTransform.param(2, true); }
                default -> throw new IllegalArgumentException(t);
            }
            byte[] out = new byte[(int) tr.maxEncodedLength(len, param)];
            int n = tr.encode(block, 0, len, param, out, 0);
            byte[] back = new byte[len];
            tr.decode(out, 0, n, param, back, 0, len);
            if (!Arrays.equals(block, back)) {
                throw new AssertionError(combo + " transform did not round-trip");
            }
            block = Arrays.copyOf(out, n);
        }
        return switch (codec) {
            case "xz9e" -> external(block, "xz", "-9e", "-T1", "-c");
            case "zstd19" -> external(block, "zstd", "-19", "-c");
            case "zstd3" -> external(block, "zstd", "-3", "-c");
            default -> internal(block, codec);
        };
    }

    private static long internal(byte[] block, String name) throws IOException {
        var c = Codecs.byName(name);
        byte[] out = new byte[(int) c.maxCompressedLength(block.length)];
        int n;
        try (Compressor z = c.newCompressor(CodecParams.level(c.defaultLevel()))) {
            n = z.compress(block, 0, block.length, out, 0, out.length);
        }
        byte[] back = new byte[block.length];
        try (Decompressor d = c.newDecompressor(CodecParams.level(c.defaultLevel()))) {
            d.decompress(out, 0, n, back, 0, block.length);
        }
        if (!Arrays.equals(block, back)) {
            throw new AssertionError(name + " did not round-trip");
        }
        return n;
    }

    private static long external(byte[] block, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(Arrays.asList(cmd));
        Process p = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread w = new Thread(() -> {
            try (var o = p.getOutputStream()) {
                o.write(block);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        w.start();
        long n = p.getInputStream().transferTo(ByteArrayOutputStream.nullOutputStream());
        w.join();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return n;
    }
}
