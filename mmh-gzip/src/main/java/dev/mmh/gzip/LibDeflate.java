package dev.mmh.gzip;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JNI binding over libdeflate (built from {@code src/main/c} by the Maven build). Every method takes direct
 * buffers and absolute positions; callers check bounds before calling. Thread-safe as libdeflate is: a compressor
 * or decompressor handle must be used by one thread at a time.
 */
final class LibDeflate {
    /** Set to {@code false} to force the JDK zlib fallback (tests, or a broken native build). */
    static final String DISABLE_PROPERTY = "mmh.gzip.native";

    private static final String RESOURCE = "native/linux-amd64/libmmhgzip.so";
    private static final String LOAD_ERROR = load();

    private LibDeflate() {
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
        URL url = LibDeflate.class.getResource(RESOURCE);
        if (url == null) {
            return "the native library was not built (gcc or libdeflate-dev missing at build time)";
        }
        try {
            Path file;
            if ("file".equals(url.getProtocol())) {
                file = Path.of(url.toURI());
            } else {
                file = Files.createTempFile("mmhgzip", ".so");
                file.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(file.toAbsolutePath().toString());
            version();
            return null;
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e) {
            return "the native library did not load: " + e.getMessage();
        }
    }

    static native String version();

    static native long allocCompressor(int level);

    static native void freeCompressor(long handle);

    static native long compressBound(long handle, long length);

    static native int compress(long handle, ByteBuffer src, int srcPos, int srcLen, ByteBuffer dst, int dstPos,
            int dstLen);

    static native long allocDecompressor();

    static native void freeDecompressor(long handle);

    static native long decompress(long handle, ByteBuffer src, int srcPos, int srcLen, ByteBuffer dst, int dstPos,
            int dstLen);

    static native int crc32(int crc, ByteBuffer buf, int pos, int len);
}
