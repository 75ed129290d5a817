package dev.mmh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMeterTest {
    @TempDir
    Path dir;

    /** A shell loop that keeps a CPU busy for a moment, then prints a line. */
    private static final List<String> BUSY = List.of("sh", "-c",
            "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done");

    @Test
    void samplingProcMeasuresCpuAndRssWithoutGnuTime() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Measure m = new ProcessMeter(dir, false, 60).run(BUSY, in, null, out);
        assertEquals("done\n", out.toString());
        assertTrue(m.cpuSeconds() > 0, "cpu " + m.cpuSeconds());
        assertTrue(m.peakRssKiB() > 0, "rss " + m.peakRssKiB());
        assertTrue(m.wallSeconds() >= m.cpuSeconds() * 0.5, "wall " + m.wallSeconds());
    }

    @Test
    void gnuTimeMeasuresCpuAndRss() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/time")), "no GNU time");
        Path in = Files.writeString(dir.resolve("in"), "");
        Path outFile = dir.resolve("out");
        Measure m = new ProcessMeter(dir, true, 60).run(BUSY, in, outFile, null);
        assertEquals("done\n", Files.readString(outFile));
        assertTrue(m.cpuSeconds() > 0, "cpu " + m.cpuSeconds());
        assertTrue(m.peakRssKiB() > 0, "rss " + m.peakRssKiB());
    }

    @Test
    void parsesGnuTimeOutputAfterANonZeroExitLine() {
        Measure m = ProcessMeter.parseTime(1.5, List.of("Command exited with non-zero status 3", "1.49 0.70 0.05 2048"));
        assertEquals(0.75, m.cpuSeconds(), 1e-9);
        assertEquals(2048, m.peakRssKiB());
        Measure none = ProcessMeter.parseTime(1.5, List.of("garbage"));
        assertTrue(Double.isNaN(none.cpuSeconds()));
        assertEquals(-1, none.peakRssKiB());
    }

    @Test
    void aFailingProcessGivesItsExitCodeAndLastErrorLine() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "");
        StepFailedException e = assertThrows(StepFailedException.class, () -> new ProcessMeter(dir, false, 60)
                .run(List.of("sh", "-c", "echo first >&2; echo 'the reason' >&2; exit 4"), in, dir.resolve("o"), null));
        assertTrue(e.getMessage().endsWith("exit code 4 (the reason)"), e.getMessage());
        StepFailedException missing = assertThrows(StepFailedException.class, () -> new ProcessMeter(dir, false, 60)
                .run(List.of(dir.resolve("no-such-tool").toString()), in, dir.resolve("o"), null));
        assertTrue(missing.getMessage().startsWith("cannot start "), missing.getMessage());
    }
}
