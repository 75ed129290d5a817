package dev.mmh.io;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Loads mmh's own JNI libraries, which Maven builds with gcc into the jars as resources
 * ({@code native/linux-amd64/NAME.so} beside the class that uses them). Every caller has a pure-Java fallback, so
 * a library that is missing or does not load is a reason, not an error.
 */
public final class NativeLibraries {
    /** Outcome per library URL: classes sharing one library (libmmhcore.so) load it, and copy it out of a jar, once. */
    private static final Map<String, String> LOADED = new ConcurrentHashMap<>();
    private static final String OK = "";

    /** mmh-core's own JNI library (every C file of {@code mmh-core/src/main/c}), as an absolute resource. */
    public static final String CORE = "/dev/mmh/recovery/native/linux-amd64/libmmhcore.so";

    /**
     * The xz decoder's binding to the system's liblzma ({@code mmh-core/src/main/c/xz/mmhxz.c}), built beside
     * {@link #CORE} but apart from it, only where liblzma's headers were found, and linked with liblzma.
     */
    public static final String XZ = "/dev/mmh/recovery/native/linux-amd64/libmmhxz.so";

    /**
     * The binding to the system's OpenSSL libcrypto ({@code mmh-core/src/main/c/crypto/*.c}: SHA-256, HMAC-SHA-256,
     * and FastCDC with chunk IDs in one call), built beside {@link #CORE} but apart from it, only where OpenSSL 3's
     * headers were found, and linked with libcrypto.
     */
    public static final String CRYPTO = "/dev/mmh/recovery/native/linux-amd64/libmmhcrypto.so";

    private NativeLibraries() {
    }

    /** The library already unpacked under {@link #DIR_PROPERTY} with the jar entry's size, or {@code null}. */
    static Path unpacked(URL url) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isEmpty()) {
            return null;
        }
        String u = url.toString();
        Path p = Path.of(dir, u.substring(u.lastIndexOf('/') + 1));
        try {
            long size = entrySize(url);
            return size >= 0 && Files.isRegularFile(p) && Files.size(p) == size ? p : null;
        } catch (IOException | IllegalArgumentException | URISyntaxException e) { // InvalidPathException too
            return null;
        }
    }

    /**
     * The size of the jar entry {@code url} ({@code jar:file:JAR!/ENTRY}) as the jar's directory states it, read with
     * a plain {@link java.util.zip.ZipFile}; -1 if it has none. (Not through the URL's connection: a
     * {@code JarURLConnection} opens the jar as a verifying {@code JarFile} and starts inflating the entry, 40-50 ms of
     * every run's start-up for each library.)
     */
    private static long entrySize(URL url) throws IOException, URISyntaxException {
        String u = url.toString();
        int bang = u.indexOf("!/");
        if (!u.startsWith("jar:file:") || bang < 0) {
            return -1;
        }
        Path jar = Path.of(new java.net.URI(u.substring("jar:".length(), bang)));
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            java.util.zip.ZipEntry e = z.getEntry(u.substring(bang + 2));
            return e != null ? e.getSize() : -1;
        }
    }

    /**
     * {@link #load(Class, String, String)}, then checks that the library holds the caller's functions:
     * {@code matches} calls one of them (typically its {@code version()}) and says whether the answer is the one
     * the Java side was written for.
     *
     * @return {@code null} once loaded and matching, else why not
     */
    public static String load(Class<?> anchor, String resource, String disableProperty, BooleanSupplier matches) {
        String why = load(anchor, resource, disableProperty);
        if (why != null) {
            return why;
        }
        try {
            return matches.getAsBoolean() ? null : "the native library has another version";
        } catch (UnsatisfiedLinkError e) {
            return "the native library does not hold " + anchor.getSimpleName() + "'s functions: " + e.getMessage();
        }
    }

    /**
     * Loads {@code resource} (relative to {@code anchor}'s package) into the JVM.
     *
     * @param disableProperty system property that, set to {@code false}, keeps the library out
     * @return {@code null} once loaded, else why not
     */
    public static String load(Class<?> anchor, String resource, String disableProperty) {
        if ("false".equalsIgnoreCase(System.getProperty(disableProperty))) {
            return "disabled by -D" + disableProperty + "=false";
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native build for " + os + "/" + arch;
        }
        URL url = anchor.getResource(resource);
        if (url == null) {
            return "the native library was not built (gcc or its headers missing at build time)";
        }
        String why = LOADED.computeIfAbsent(url.toString(), u -> loadFrom(url));
        return why.isEmpty() ? null : why;
    }

    /**
     * System property naming a folder that holds these libraries already copied out of the jar (the launcher
     * unpacks them there once per build): copying one into a temporary file costs a run ~25 ms, most of it
     * seeding SecureRandom for the file's name. A library there is used only when its size is the jar's.
     */
    public static final String DIR_PROPERTY = "mmh.native.dir";

    private static String loadFrom(URL url) {
        try {
            Path file = null;
            if ("file".equals(url.getProtocol())) {
                file = Path.of(url.toURI());
            } else {
                file = unpacked(url);
            }
            if (file == null) {
                file = Files.createTempFile("mmh-native", ".so");
                file.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(file.toAbsolutePath().toString());
            return OK;
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e) {
            return "the native library did not load: " + e.getMessage();
        }
    }
}
