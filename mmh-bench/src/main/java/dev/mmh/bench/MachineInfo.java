package dev.mmh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Describes the machine a bench ran on: date, CPU, cores, memory, OS, JDK, load and the tools' versions. */
final class MachineInfo {
    private MachineInfo() {
    }

    /** @param tools the tools' names and where they were found */
    static Map<String, String> describe(Map<String, Path> tools) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        firstValue(Path.of("/proc/meminfo"), "MemTotal").ifPresent(v -> {
            long kib = Long.parseLong(v.replaceAll("[^0-9]", ""));
            m.put("memory", String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0));
        });
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        try {
            m.put("load average at start", Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0]
                    + " (1 min; a loaded machine slows every row)");
        } catch (IOException e) {
            // not Linux
        }
        tools.forEach((name, exe) -> m.put("tool " + name, version(exe.toString(),
                ToolSpec.byName(name).map(ToolSpec::versionArgs).orElse(List.of("--version"))) + " (" + exe + ")"));
        return m;
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    int colon = line.indexOf(':');
                    return java.util.Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return java.util.Optional.empty();
    }

    /** First non-empty line the program prints for its version arguments, or a reason it gave none. */
    static String version(String program, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    return line.replace("*", "").trim();
                }
            }
            return "(no version output)";
        } catch (IOException e) {
            return "(not runnable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
