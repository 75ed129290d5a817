package dev.mmh.archive;

import dev.mmh.archive.fs.RawNames;
import dev.mmh.chunk.ChunkerParams;
import dev.mmh.engine.CompressOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The golden folder archives of format version 3 (src/test/resources/golden/v3) and the trees and options that made
 * them; the negative goldens are made from them by {@link FolderNegatives}. Run {@link #main} from the mmh-archive
 * folder (any IDE run, or {@code java} on the test class path) only when the format version changes: a changed golden
 * byte is a format change ({@code FolderGoldenFilesTest} says which).
 *
 * <p>The tree is made on disk with every time and mode set, so the bytes do not depend on when or where it is made:
 * files (one of many chunks, so its list is a chunk-list blob), an empty file, a copy (deduplicated), directories, an
 * empty directory, a symbolic link, a hard link, a name that is not UTF-8, and times with nanoseconds.
 */
public final class FolderGoldenFiles {
    private FolderGoldenFiles() {
    }

    /** The archive of version 1 of the tree. */
    static final String ONE = "folder.mmh";
    /** {@link #ONE} with version 2 appended. */
    static final String TWO = "folder-appended.mmh";
    /** Version 1 with 10% recovery data, then version 2 appended (the recovery data brought up to date). */
    static final String RECOVERY = "folder-recovery.mmh";

    static Path dir() {
        return Path.of("src/test/resources/golden/v3");
    }

    /** zstd level 3, 16 KiB blocks, small chunks (64/256/1024), one thread, no owners, attributes or specials. */
    static FolderArchive.WriteOptions options(double recovery) {
        CompressOptions c = CompressOptions.builder().codec("zstd").level(3).threads(1).blockSize(16 << 10).build();
        return new FolderArchive.WriteOptions(c, new ChunkerParams(64, 256, 1024, 0), false, false, false, recovery,
                false);
    }

    /** A name that is not UTF-8: "latin1-" and 0xE9 ('é' in ISO 8859-1), ".txt". */
    static final byte[] NON_UTF8 = {'l', 'a', 't', 'i', 'n', '1', '-', (byte) 0xe9, '.', 't', 'x', 't'};

    private static FileTime time(long seconds, int nanos) {
        return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
    }

    private static void times(Path p, long seconds, int nanos) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(
                time(seconds, nanos), null, null);
    }

    private static Path file(Path p, byte[] content, int mode, long seconds, int nanos) throws IOException {
        Files.write(p, content);
        Files.setAttribute(p, "unix:mode", mode);
        times(p, seconds, nanos);
        return p;
    }

    /** Seeded text-like bytes: words of a small alphabet, so zstd and the chunker both have work. */
    static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        String[] words = {"folder", "archive", "blob", "tree", "chunk", "version", "manifest", "index", "footer",
            "block", "the", "a", "of", "and", "mmh", "\n"};
        StringBuilder b = new StringBuilder(n + 16);
        while (b.length() < n) {
            b.append(words[r.nextInt(words.length)]).append(' ');
        }
        return b.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Makes the tree of {@code version} (1 or 2) as {@code base/tree} and returns it. Version 2 changes one file,
     * adds one, removes one and changes a directory's time, so the append stores a little and reuses the rest.
     */
    static Path tree(Path base, int version) throws IOException {
        Path root = base.resolve("tree");
        Files.createDirectories(root);
        Path docs = Files.createDirectories(root.resolve("docs"));
        Path sub = Files.createDirectories(docs.resolve("sub"));
        Path empty = Files.createDirectories(root.resolve("empty-dir"));
        Path readme = file(root.resolve("README"), "a small tree for the golden archives\n".getBytes(
                StandardCharsets.US_ASCII), 0644, 1_700_000_000L, 123_456_789);
        file(root.resolve("big.txt"), text(40_000, 7), 0644, 1_700_000_100L, 1);
        file(root.resolve("empty"), new byte[0], 0600, 1_700_000_200L, 999_999_999);
        file(docs.resolve("copy-of-big.txt"), text(40_000, 7), 0444, 1_700_000_300L, 500_000_000);
        file(RawNames.resolve(root, NON_UTF8), "not UTF-8 in its name\n".getBytes(StandardCharsets.US_ASCII), 0640,
                1_600_000_000L, 42);
        byte[] tool = version == 1 ? "#!/bin/sh\necho one\n".getBytes(StandardCharsets.US_ASCII)
                : "#!/bin/sh\necho two, changed\n".getBytes(StandardCharsets.US_ASCII);
        file(sub.resolve("tool.sh"), tool, 0755, version == 1 ? 1_700_000_400L : 1_700_100_400L, 7);
        if (version == 1) {
            file(sub.resolve("gone-in-2.txt"), text(3_000, 9), 0644, 1_700_000_500L, 0);
        } else {
            file(docs.resolve("new-in-2.txt"), text(5_000, 11), 0644, 1_700_100_600L, 600);
        }
        // a hard link: "README" comes first in path order, so it holds the content and docs/hard-readme links to it
        Files.createLink(docs.resolve("hard-readme"), readme);
        Path link = Files.createSymbolicLink(root.resolve("link"), Path.of("docs/sub/tool.sh"));
        times(link, 1_700_000_700L, 700_007_000); // microseconds: lutimes(2) keeps no more
        times(sub, 1_700_000_800L, 8);
        times(empty, 1_500_000_000L, 0);
        times(docs, version == 1 ? 1_700_000_900L : 1_700_100_900L, 900);
        times(root, 1_700_001_000L, 1_000);
        return root;
    }

    /**
     * Makes the goldens in {@code work} (a scratch directory): name to bytes, in the order {@link #ONE}, {@link #TWO},
     * {@link #RECOVERY}.
     */
    static Map<String, byte[]> make(Path work) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        Path t1 = tree(Files.createDirectories(work.resolve("v1")), 1);
        Path t2 = tree(Files.createDirectories(work.resolve("v2")), 2);
        List<FolderArchive.Source> one = List.of(new FolderArchive.Source(t1, "tree".getBytes(StandardCharsets.UTF_8)));
        List<FolderArchive.Source> two = List.of(new FolderArchive.Source(t2, "tree".getBytes(StandardCharsets.UTF_8)));
        Path a = work.resolve(ONE);
        FolderArchive.create(one, a, true, options(0));
        m.put(ONE, Files.readAllBytes(a));
        FolderArchive.append(a, two, options(0));
        m.put(TWO, Files.readAllBytes(a));
        Path r = work.resolve(RECOVERY);
        FolderArchive.create(one, r, true, options(0.10));
        FolderArchive.append(r, two, options(0));
        m.put(RECOVERY, Files.readAllBytes(r));
        return m;
    }

    /** Deletes {@code p} and everything below it. */
    static void delete(Path p) throws IOException {
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(p)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("mmh-golden-v3");
        try {
            Files.createDirectories(dir());
            for (Map.Entry<String, byte[]> e : make(work).entrySet()) {
                Files.write(dir().resolve(e.getKey()), e.getValue());
            }
            Files.createDirectories(FolderNegatives.dir());
            for (Map.Entry<String, byte[]> e : FolderNegatives.make(name -> Files.readAllBytes(dir().resolve(name)))
                    .entrySet()) {
                Files.write(FolderNegatives.dir().resolve(e.getKey()), e.getValue());
            }
        } finally {
            delete(work);
        }
    }
}
