package dev.mmh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The store contract on a local folder, and what only a folder store does. */
class FolderStoreTest extends ObjectStoreContract {
    private Path root;

    @Override
    protected ObjectStore openEmpty() throws Exception {
        root = Files.createDirectories(tmp.resolve("store"));
        return FolderStore.open(root);
    }

    @Override
    protected boolean atomicPutIfAbsent() {
        return true;
    }

    @Override
    protected void assertNoLeftovers(ObjectStore s) throws Exception {
        assertEquals(List.of(), hidden());
    }

    private List<Path> hidden() throws Exception {
        try (Stream<Path> w = Files.walk(root)) {
            return w.filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
        }
    }

    @Test
    void namesAreFilesUnderTheRoot() throws Exception {
        store.put("packs/ab/abcdef", Content.of(new byte[] {1, 2, 3}));
        assertTrue(Files.isRegularFile(root.resolve("packs/ab/abcdef")));
        assertEquals(3, Files.size(root.resolve("packs/ab/abcdef")));
        assertEquals(root.toString(), store.url());
    }

    @Test
    void openRefusesAMissingFolderAndCreateMakesIt() throws Exception {
        Path missing = tmp.resolve("nope/deeper");
        PermanentStoreException e = assertThrows(PermanentStoreException.class, () -> FolderStore.open(missing));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
        try (FolderStore s = FolderStore.create(missing)) {
            s.put("x", Content.of(new byte[1]));
        }
        assertTrue(Files.isRegularFile(missing.resolve("x")));
    }

    @Test
    void anObjectCannotAlsoBeAFolder() throws Exception {
        store.put("a/b", Content.of(new byte[1]));
        assertThrows(PermanentStoreException.class, () -> store.put("a/b/c", Content.of(new byte[1])));
        assertThrows(PermanentStoreException.class, () -> store.put("a", Content.of(new byte[1])));
        assertThrows(PermanentStoreException.class, () -> store.putIfAbsent("a", Content.of(new byte[1])));
        assertEquals(java.util.Optional.empty(), store.head("a"));
        assertThrows(ObjectNotFoundException.class, () -> store.get("a"));
        assertThrows(ObjectNotFoundException.class, () -> store.get("a/b/c"));
        store.delete("a");
        assertEquals(Set.of("a/b"), names(store, ""));
    }

    @Test
    void listingSkipsTemporaryFilesAndRemoveIncompleteDeletesOldOnes() throws Exception {
        store.put("t/real", Content.of(new byte[1]));
        Path old = root.resolve("t/.real.1234.mmh-tmp");
        Path young = root.resolve("t/.other.5678.mmh-tmp");
        Files.write(old, new byte[5]);
        Files.write(young, new byte[5]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        assertEquals(Set.of("t/real"), names(store, ""));
        assertEquals(1, store.removeIncomplete(Duration.ofDays(1)));
        assertTrue(Files.exists(young));
        assertTrue(!Files.exists(old));
    }

    @Test
    void aFileCutShortWhileReadIsAnIntegrityError() throws Exception {
        store.put("cut/x", Content.of(new byte[100_000]));
        try (var in = store.get("cut/x")) {
            in.readNBytes(10);
            try (var ch = java.nio.channels.FileChannel.open(root.resolve("cut/x"),
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(50_000);
            }
            IntegrityException e = assertThrows(IntegrityException.class, in::readAllBytes);
            assertEquals("cut/x", e.objectName());
        }
    }

    @Test
    void storesOpenByPathOrFileUrl() throws Exception {
        try (ObjectStore s = Stores.open(root.toString(), StoreOptions.DEFAULTS)) {
            assertTrue(s instanceof FolderStore);
        }
        try (ObjectStore s = Stores.open(root.toUri().toString(), StoreOptions.DEFAULTS)) {
            assertEquals(root.toString(), s.url());
        }
        assertThrows(IllegalArgumentException.class, () -> Stores.open("gopher://x/y", StoreOptions.DEFAULTS));
    }
}
