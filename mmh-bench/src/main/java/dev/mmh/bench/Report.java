package dev.mmh.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a bench run produced, ready for the writers ({@link MarkdownReport}, {@link JsonReport},
 * {@link CsvReport}, {@link Charts}).
 *
 * @param machine description of the machine (cores, memory, JDK, tool versions...), in display order
 * @param settings how the bench was run (runs, seed, codecs...), in display order
 * @param inputs the inputs measured
 * @param rows one per input and runner
 * @param notes remarks that are not failures
 * @param failures what failed
 */
public record Report(Map<String, String> machine, Map<String, String> settings, List<BenchInput> inputs,
                     List<Row> rows, List<String> notes, List<String> failures) {
    public Report {
        machine = new LinkedHashMap<>(machine);
        settings = new LinkedHashMap<>(settings);
        inputs = List.copyOf(inputs);
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
        failures = List.copyOf(failures);
    }

    /** How the figures are defined; printed with the table and stored in the JSON. */
    public static final String UNITS = "MB/s = 10^6 bytes of uncompressed data per second (for compression and"
            + " decompression); ratio = uncompressed bytes / compressed bytes; speeds are medians over the runs with"
            + " [min-max]; CPU = user+sys seconds of the process doing the work (median); RSS = peak resident set size"
            + " in MiB (2^20 bytes), largest over the runs.";

    /** What each runner mode means; printed with the table. */
    public static final String MODES = "tool = the system's own program, one process per file; lib = mmh in-process"
            + " through its Java library (no JVM start-up; CPU and RSS are the whole benchmark JVM's, whose heap grows over"
            + " a run, so use the cli rows for mmh's memory per process); cli = mmh"
            + " whole-process through its launcher, one JVM per file (start-up included).";
}
