package dev.mmh.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a system tool (or the mmh launcher) as a filter, one process per file, measured by {@link ProcessMeter}. */
final class ToolRunner extends BaseRunner {
    private final List<String> compressCommand;
    private final List<String> decompressCommand;
    private final ProcessMeter meter;

    ToolRunner(Mode mode, String tool, String family, int level, int threads,
               List<String> compressCommand, List<String> decompressCommand, ProcessMeter meter) {
        super(mode, tool, family, level, threads);
        this.compressCommand = List.copyOf(compressCommand);
        this.decompressCommand = List.copyOf(decompressCommand);
        this.meter = meter;
    }

    /** A runner for a system tool found at {@code executable}. */
    static ToolRunner system(ToolSpec spec, Path executable, int level, int threads, ProcessMeter meter) {
        List<String> c = new ArrayList<>();
        c.add(executable.toString());
        c.addAll(spec.compressArgs(level, threads));
        List<String> d = new ArrayList<>();
        d.add(executable.toString());
        d.addAll(spec.decompressArgs(threads));
        return new ToolRunner(Mode.TOOL, spec.name(), spec.family(), level, threads, c, d, meter);
    }

    /** The compression command line, for the report. */
    List<String> compressCommand() {
        return compressCommand;
    }

    @Override
    public Measure compress(Path input, Path output) throws IOException {
        return meter.run(compressCommand, input, output, null);
    }

    @Override
    public Measure decompress(Path input, OutputStream sink) throws IOException {
        return meter.run(decompressCommand, input, null, sink);
    }
}
