package dev.mmh.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every codec this process finds through {@link java.util.ServiceLoader} ({@link Codecs#all()}: the built-ins and
 * any a jar on the test class path registers) has a concrete {@link CodecContractTest} among the compiled tests, so
 * a codec cannot be added without running the contract.
 */
class EveryCodecRunsTheContractTest {
    @Test
    void everyCodecHasAContractTest() throws Exception {
        Map<String, List<String>> tests = contractTests();
        List<String> missing = new ArrayList<>();
        for (Codec c : Codecs.all()) {
            if (!tests.containsKey(c.name())) {
                missing.add(c.name() + " (" + c.getClass().getName() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "codecs without a CodecContractTest subclass: " + missing + "; found " + tests);
        // and no contract test names a codec the registry does not have
        for (String name : tests.keySet()) {
            assertEquals(name, Codecs.byName(name).name());
        }
    }

    /** Codec name to the contract test classes that run it, found among the compiled test classes. */
    private static Map<String, List<String>> contractTests() throws Exception {
        Path root = testClasses();
        Map<String, List<String>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith("Test.class")).toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
            Class<?> cls = Class.forName(name.substring(0, name.length() - ".class".length()));
            if (!CodecContractTest.class.isAssignableFrom(cls) || Modifier.isAbstract(cls.getModifiers())) {
                continue;
            }
            Constructor<?> k = cls.getDeclaredConstructor();
            k.setAccessible(true);
            String codec = ((CodecContractTest) k.newInstance()).codecName();
            out.computeIfAbsent(codec, x -> new ArrayList<>()).add(cls.getSimpleName());
        }
        assertTrue(out.size() >= 8, "found only " + out + " under " + root);
        return out;
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(CodecContractTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
