package dev.mmh.cli;

import dev.mmh.Version;
import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import dev.mmh.hash.ContentHash;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** {@code mmh --version}: mmh's version and each codec's library, and whether its native code loaded. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("mmh " + Version.get() + " (format versions " + dev.mmh.format.Format.VERSION + " and "
                + dev.mmh.format.Format.COMPACT_VERSION + " (compact), Java "
                + Runtime.version() + ", " + System.getProperty("os.arch") + ")");
        for (Codec c : Codecs.all()) {
            String nat;
            try {
                nat = c.isNative() ? "native" : "pure Java";
            } catch (Throwable t) {
                nat = "native code failed to load: " + t;
            }
            lines.add(String.format("  %-8s id %-2d  %s, %s", c.name(), c.id(), c.libraryVersion(), nat));
        }
        lines.add(String.format("  %-8s        %s", "xxh64", ContentHash.xxhashIsNative()
                ? "lz4-java xxhash, native" : "lz4-java xxhash, pure Java (native code did not load)"));
        lines.add(String.format("  %-8s        %s", "recovery", dev.mmh.recovery.RecoveryEncoder.implementation()));
        return lines.toArray(new String[0]);
    }
}
