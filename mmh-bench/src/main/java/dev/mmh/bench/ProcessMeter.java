package dev.mmh.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process with stdin from a file and stdout to a file or a sink, and measures its wall time, CPU time
 * (user + system) and peak RSS. With GNU time at {@code /usr/bin/time} (Debian package {@code time}) the CPU time
 * and peak RSS come from the kernel's accounting of the child when it exits; without it, this class samples
 * {@code /proc/PID/stat} and {@code VmHWM} in {@code /proc/PID/status} every few milliseconds, which misses the
 * last moments of the process. Instances are immutable and thread-safe.
 */
public final class ProcessMeter {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    private final boolean useTime;
    private final Path scratch;

    /** @param scratch folder for the timing and stderr files of each run */
    public ProcessMeter(Path scratch) {
        this(scratch, Files.isExecutable(GNU_TIME));
    }

    ProcessMeter(Path scratch, boolean useTime) {
        this.scratch = scratch;
        this.useTime = useTime;
    }

    /** How CPU time and RSS are measured, for the report. */
    public String method() {
        return useTime ? "GNU time (/usr/bin/time): child's user+sys CPU and max RSS at exit"
                : "sampling /proc/PID/stat and /proc/PID/status (VmHWM) every 2 ms";
    }

    /**
     * Runs {@code command}, waits for it and measures it.
     *
     * @param stdin file fed to the process's standard input
     * @param stdoutFile file that receives its standard output, or null to stream it into {@code stdoutSink}
     * @param stdoutSink receives standard output when {@code stdoutFile} is null; not closed
     * @throws StepFailedException when the process cannot start, exits non-zero or dies from a signal
     */
    public Measure run(List<String> command, Path stdin, Path stdoutFile, OutputStream stdoutSink) throws IOException {
        Path timing = Files.createTempFile(scratch, "time", ".txt");
        Path stderr = Files.createTempFile(scratch, "stderr", ".txt");
        try {
            List<String> cmd = new ArrayList<>();
            if (useTime) {
                cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%e %U %S %M", "-o", timing.toString()));
            }
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectInput(stdin.toFile());
            pb.redirectError(stderr.toFile());
            if (stdoutFile != null) {
                pb.redirectOutput(stdoutFile.toFile());
            }
            long t0 = System.nanoTime();
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new StepFailedException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
            }
            Sampler sampler = useTime ? null : new Sampler(p.pid());
            Thread copier = null;
            IOException[] copyError = new IOException[1];
            if (stdoutFile == null) {
                copier = new Thread(() -> {
                    try (InputStream in = p.getInputStream()) {
                        in.transferTo(stdoutSink);
                    } catch (IOException e) {
                        copyError[0] = e;
                    }
                }, "bench-stdout");
                copier.start();
            }
            int exit;
            try {
                if (sampler != null) {
                    while (!p.waitFor(2, TimeUnit.MILLISECONDS)) {
                        sampler.sample();
                    }
                }
                exit = p.waitFor();
                if (copier != null) {
                    copier.join();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new StepFailedException("interrupted while running " + command.get(0));
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (copyError[0] != null) {
                throw new StepFailedException("reading the output of " + command.get(0) + " failed: " + copyError[0].getMessage());
            }
            if (exit != 0) {
                throw new StepFailedException(describeExit(command, exit, stderr));
            }
            if (sampler != null) {
                return new Measure(wall, sampler.cpuSeconds, sampler.peakKiB);
            }
            return parseTime(wall, Files.readAllLines(timing, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(timing);
            Files.deleteIfExists(stderr);
        }
    }

    private static String describeExit(List<String> command, int exit, Path stderr) throws IOException {
        String last = "";
        for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                last = line.trim();
            }
        }
        String what = exit == 127 ? "not found or cannot run" : exit > 128 ? "killed by signal " + (exit - 128) : "exit code " + exit;
        return String.join(" ", command) + ": " + what + (last.isEmpty() ? "" : " (" + last + ")");
    }

    /** Parses the last line of GNU time's {@code "%e %U %S %M"} output (earlier lines report a non-zero exit). */
    static Measure parseTime(double wall, List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length == 4) {
                try {
                    double cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
                    return new Measure(wall, cpu, Long.parseLong(f[3]));
                } catch (NumberFormatException e) {
                    // not the figures line
                }
            }
        }
        return new Measure(wall, Double.NaN, -1);
    }

    /** Reads CPU ticks and the RSS high-water mark of a running process from /proc. */
    private static final class Sampler {
        private final Path stat;
        private final Path status;
        double cpuSeconds = Double.NaN;
        long peakKiB = -1;

        Sampler(long pid) {
            stat = Path.of("/proc", Long.toString(pid), "stat");
            status = Path.of("/proc", Long.toString(pid), "status");
        }

        void sample() {
            try {
                String s = Files.readString(stat, StandardCharsets.US_ASCII);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name
                cpuSeconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
                for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKiB = Math.max(peakKiB, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between two samples: keep the last figures
            }
        }
    }
}
