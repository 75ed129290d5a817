package dev.mmh.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library unpacked into {@link NativeLibraries#DIR_PROPERTY}'s folder is used only when its size is the jar
 * entry's: a folder left from another build is not loaded.
 */
class NativeLibrariesTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(NativeLibraries.DIR_PROPERTY);
    }

    private Path jar(String name, byte[] entry) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("dev/mmh/x/native/linux-amd64/libx.so"));
            z.write(entry);
            z.closeEntry();
        }
        return jar;
    }

    private static URL entry(Path jar, String name) throws IOException {
        return new URL("jar:" + jar.toUri() + "!/dev/mmh/x/native/linux-amd64/" + name);
    }

    @Test
    void anUnpackedLibraryIsUsedOnlyWithTheJarEntrysSize() throws IOException {
        Path jar = jar("a b.jar", new byte[1000]); // a space in the name: the URL has %20
        Path unpacked = Files.createDirectories(dir.resolve("native"));
        Path so = Files.write(unpacked.resolve("libx.so"), new byte[1000]);
        assertNull(NativeLibraries.unpacked(entry(jar, "libx.so")), "no folder named");
        System.setProperty(NativeLibraries.DIR_PROPERTY, unpacked.toString());
        assertEquals(so, NativeLibraries.unpacked(entry(jar, "libx.so")));
        Files.write(so, new byte[999]);
        assertNull(NativeLibraries.unpacked(entry(jar, "libx.so")), "another build's library");
        Files.write(unpacked.resolve("liby.so"), new byte[999]);
        assertNull(NativeLibraries.unpacked(entry(jar, "liby.so")), "no such entry in the jar");
        assertNull(NativeLibraries.unpacked(dir.resolve("native/libx.so").toUri().toURL()), "not in a jar");
    }
}
