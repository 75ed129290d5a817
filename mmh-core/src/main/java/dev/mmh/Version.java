package dev.mmh;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this mmh build. */
public final class Version {
    private Version() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when the build did not record it. */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("mmh.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
