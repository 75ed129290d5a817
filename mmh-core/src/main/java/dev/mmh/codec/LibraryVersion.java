package dev.mmh.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Finds the version of a library jar for {@link Codec#libraryVersion()}. Stateless and thread-safe. */
public final class LibraryVersion {
    private LibraryVersion() {
    }

    /**
     * The version a jar declares: its package's {@code Implementation-Version} if the manifest has one, otherwise
     * the {@code version} in the {@code META-INF/maven/GROUP/ARTIFACT/pom.properties} that Maven puts in every jar.
     *
     * @param anchor a class loaded from the library's jar
     * @return the version, or {@code "unknown"} if the jar declares none
     */
    public static String of(Class<?> anchor, String groupId, String artifactId) {
        Package p = anchor.getPackage();
        if (p != null && p.getImplementationVersion() != null) {
            return p.getImplementationVersion();
        }
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in != null) {
                Properties props = new Properties();
                props.load(in);
                String v = props.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // a damaged properties file only costs us the version string
        }
        return "unknown";
    }
}
