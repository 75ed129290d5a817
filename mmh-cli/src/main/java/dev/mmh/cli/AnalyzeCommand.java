package dev.mmh.cli;

import dev.mmh.analysis.Analyzer;
import dev.mmh.analysis.BlockAnalysis;
import dev.mmh.analysis.DataKind;
import dev.mmh.analysis.Goal;
import dev.mmh.codec.Codec;
import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.codec.Compressor;
import dev.mmh.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh analyze}: what the analysis sees in a file, and what each codec would make of it. Writes nothing. Its
 * command line: {@link Commands#ANALYZE}.
 */
final class AnalyzeCommand implements Callable<Integer> {
    /** Bytes compressed per sample for the ratio estimates, and how many samples are spread over the file. */
    private static final int SAMPLE = 1 << 20;
    private static final int SAMPLES = 8;

    final List<Path> files;
    final long region;
    final boolean json;

    /** Picocli's model of the command. */
    final CommandLine.Model.CommandSpec spec;

    AnalyzeCommand(Args a) {
        files = a.params();
        region = a.get(Commands.REGION_SIZE, 1L << 20);
        json = a.isSet(Commands.ANALYZE_JSON);
        if (a.isSet(Commands.TRACES)) {
            Errors.verbose = true;
        }
        spec = a.spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (region < 4096 || region > (1 << 30)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--region-size must be between 4K and 1G");
        }
        int status = ExitCode.OK;
        List<Object> all = new ArrayList<>();
        for (Path f : files) {
            try {
                Map<String, Object> m = analyze(f);
                if (json) {
                    all.add(m);
                } else {
                    print(out, m);
                }
            } catch (Exception | OutOfMemoryError e) {
                int s = Errors.report(err, f.toString(), e);
                status = status == ExitCode.OK ? s : status;
            }
        }
        if (json) {
            out.print(Json.write(all.size() == 1 ? all.get(0) : all));
        }
        out.flush();
        return status;
    }

    private Map<String, Object> analyze(Path f) throws IOException {
        long size = Files.size(f);
        List<Map<String, Object>> regions = new ArrayList<>();
        byte[] buf = new byte[(int) region];
        try (InputStream in = Files2.openInput(f); Analyzer an = new Analyzer()) {
            long off = 0;
            Map<String, Object> cur = null;
            DataKind curKind = null;
            String curChoice = null;
            while (true) {
                int n = in.readNBytes(buf, 0, buf.length);
                if (n == 0) {
                    break;
                }
                BlockAnalysis a = an.analyze(buf, 0, n);
                String choice = a.choiceFor(Goal.DEFAULT).toString();
                if (cur != null && a.kind() == curKind && choice.equals(curChoice)) {
                    cur.put("end", off + n);
                } else {
                    cur = new LinkedHashMap<>();
                    cur.put("start", off);
                    cur.put("end", off + n);
                    cur.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
                    cur.put("confidence", a.confidence());
                    cur.put("format", a.format());
                    cur.put("entropy", a.entropy());
                    cur.put("fast", a.fast().toString());
                    cur.put("default", choice);
                    cur.put("max", a.max().toString());
                    cur.put("reason", a.reason());
                    regions.add(cur);
                    curKind = a.kind();
                    curChoice = choice;
                }
                off += n;
                if (n < buf.length) {
                    break;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.toString());
        m.put("size", size);
        m.put("regions", regions);
        m.put("estimatedRatio", estimates(f, size));
        return m;
    }

    /** Ratio of each codec at its default level on up to 8 samples of 1 MiB spread over the file. */
    private static Map<String, Object> estimates(Path f, long size) throws IOException {
        List<byte[]> samples = new ArrayList<>();
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            int count = (int) Math.max(1, Math.min(SAMPLES, size / SAMPLE));
            for (int i = 0; i < count; i++) {
                long at = count == 1 ? 0 : (size - SAMPLE) / (count - 1) * i;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(SAMPLE, size - at));
                while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
                    // fill the sample
                }
                samples.add(b.array());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Codec c : Codecs.all()) {
            if (c.id() == Codecs.STORE) {
                continue;
            }
            long raw = 0;
            long packed = 0;
            try (Compressor comp = c.newCompressor(CodecParams.level(c.defaultLevel()))) {
                for (byte[] s : samples) {
                    byte[] dst = new byte[(int) c.maxCompressedLength(s.length)];
                    packed += Math.min(s.length, comp.compress(s, 0, s.length, dst, 0, dst.length));
                    raw += s.length;
                }
            } catch (IOException | RuntimeException e) {
                continue; // a codec that cannot run here is left out of the estimate
            }
            m.put(c.name() + " " + c.defaultLevel(), packed == 0 ? 0.0 : (double) raw / packed);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> m) {
        out.printf(Locale.ROOT, "%s (%,d bytes)%n", m.get("file"), m.get("size"));
        out.printf(Locale.ROOT, "  %-27s %-15s %-28s %s%n", "bytes", "kind", "default choice", "why");
        for (Map<String, Object> r : (List<Map<String, Object>>) m.get("regions")) {
            out.printf(Locale.ROOT, "  %12d..%-13d %-15s %-28s %s%n", r.get("start"), r.get("end"), r.get("kind"),
                    r.get("default"), r.get("reason"));
        }
        out.printf(Locale.ROOT, "  estimated ratio on samples (codec default level):");
        ((Map<String, Object>) m.get("estimatedRatio")).forEach((k, v) ->
                out.printf(Locale.ROOT, " %s %.2f;", k, (Double) v));
        out.println();
    }
}
