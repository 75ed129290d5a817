package dev.mmh.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@link Lanes} loops in C ({@code src/main/c/mmhgf.c}, built into the jar by Maven when gcc is there),
 * vectorised with AVX2 where the CPU has it. They exist because the {@code mmh} launcher runs the JVM with the
 * C1 compiler only, which does not vectorise: there, the Java loops encode at a fraction of the speed. The
 * results are identical to the Java loops (NativeLanesTest). Thread-safe.
 */
final class NativeLanes {
    /** Set to {@code false} to use the pure-Java loops (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.recovery.native";
    /** Fewer lanes than this are not worth a native call. */
    static final int MIN_LANES = 64;

    private static final String RESOURCE = "native/linux-amd64/libmmhcore.so";
    private static final String LOAD_ERROR = load();
    /** Whether the native loops are in use. */
    static final boolean AVAILABLE = LOAD_ERROR == null;

    private NativeLanes() {
    }

    /** Null when the native library is loaded, else the reason it is not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    private static String load() {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return "disabled by -D" + DISABLE_PROPERTY + "=false";
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native build for " + os + "/" + arch;
        }
        URL url = NativeLanes.class.getResource(RESOURCE);
        if (url == null) {
            return "the native library was not built (no gcc at build time)";
        }
        try {
            Path file;
            if ("file".equals(url.getProtocol())) {
                file = Path.of(url.toURI());
            } else {
                file = Files.createTempFile("mmhcore", ".so");
                file.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(file.toAbsolutePath().toString());
            return version() == 1 ? null : "the native library has another version";
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e) {
            return "the native library did not load: " + e.getMessage();
        }
    }

    static native int version();

    /** {@code acc = acc * alpha^e + row} over [0, n) ({@code row} null: no addition); |e| &lt;= 64. */
    static native void hornerStep(long[] acc, long[] row, int e, int n);

    /** {@code dst ^= src} over [0, n). */
    static native void xorInto(long[] dst, long[] src, int n);
}
