package dev.mmh.cli;

import dev.mmh.archive.FolderArchive;
import dev.mmh.archive.format.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code mmh info} adds for a folder archive, from its manifest and blob tables: versions, the latest version's
 * files and bytes, deduplication (the bytes of every version against the bytes stored) and blobs.
 */
final class FolderInfo {
    private FolderInfo() {
    }

    /** The figures, as {@code info --json} prints them under {@code "folder"}. */
    static Map<String, Object> describe(Path f) throws IOException {
        try (FolderArchive a = FolderArchive.open(f, FolderArchive.ReadOptions.threads(1))) {
            FolderArchive.Info i = a.info();
            List<Manifest.Version> vs = a.versions();
            Manifest.Version last = vs.isEmpty() ? null : vs.get(vs.size() - 1);
            long all = 0;
            long stored = 0;
            for (Manifest.Version v : vs) {
                all += v.bytes();
                stored += v.newBytes();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("versions", vs.size());
            m.put("files", last == null ? 0 : last.files());
            m.put("directories", last == null ? 0 : last.directories());
            m.put("others", last == null ? 0 : last.others());
            m.put("bytes", last == null ? 0 : last.bytes());
            m.put("allVersionsBytes", all);
            m.put("storedBytes", stored);
            m.put("dedupRatio", stored == 0 ? 0.0 : (double) all / stored);
            m.put("blobs", i.blobs());
            m.put("blocks", i.blocks());
            if (i.dataBlocks() >= 0) { // -1: the library does not tell them apart
                m.put("dataBlocks", i.dataBlocks());
                m.put("metadataBlocks", i.blocks() - i.dataBlocks());
            }
            m.put("uncommittedBytes", i.uncommittedBytes());
            return m;
        }
    }

    /** What info says of an encrypted folder archive, whose versions and blob tables are sealed. */
    static Map<String, Object> sealed() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sealed", true);
        return m;
    }

    /** The lines of {@code mmh info} below today's. */
    static void print(PrintWriter out, Map<String, Object> m) {
        if (Boolean.TRUE.equals(m.get("sealed"))) {
            out.printf(Locale.ROOT, "  versions     sealed (the catalog is encrypted: mmh list --versions -i KEY shows "
                    + "them)%n");
            return;
        }
        out.printf(Locale.ROOT, "  versions     %d; the latest: %s files, %s directories, %s others, %s bytes%n",
                m.get("versions"), Report.grouped((Long) m.get("files")), Report.grouped((Long) m.get("directories")),
                Report.grouped((Long) m.get("others")), Report.grouped((Long) m.get("bytes")));
        out.printf(Locale.ROOT, "  dedup        %.3f (%s bytes in all versions, %s stored)%n", m.get("dedupRatio"),
                Report.grouped((Long) m.get("allVersionsBytes")), Report.grouped((Long) m.get("storedBytes")));
        out.printf(Locale.ROOT, "  blobs        %s in %s%n", Report.grouped((Long) m.get("blobs")),
                m.containsKey("dataBlocks") ? Report.grouped((Long) m.get("dataBlocks")) + " data blocks, "
                        + Report.grouped((Long) m.get("metadataBlocks")) + " metadata blocks"
                        : Report.grouped((Long) m.get("blocks")) + " blocks");
        long un = (Long) m.get("uncommittedBytes");
        if (un > 0) {
            out.printf(Locale.ROOT, "  uncommitted  %s bytes after the last version (left by an append that did not "
                    + "finish; not part of the archive)%n", Report.grouped(un));
        }
    }
}
