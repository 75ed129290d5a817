package dev.mmh.archive;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.BlobTable;
import dev.mmh.archive.format.Ids;
import dev.mmh.archive.format.Manifest;
import dev.mmh.archive.format.Wire;
import dev.mmh.archive.write.FolderWriter;
import dev.mmh.chunk.IdFunction;
import dev.mmh.engine.BlockCodec;
import dev.mmh.engine.CompressOptions;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.LE;
import dev.mmh.format.SectionEnvelope;
import dev.mmh.format.SeekableArchive;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.WorkerPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The negative goldens of format version 3 (src/test/resources/golden/v3/negative), made from {@link
 * FolderGoldenFiles#ONE}: intact archives that only a newer writer could make (an unknown entry type, field flag,
 * tree kind, chunk-list kind, manifest version or ID function; a reserved byte set in a blob table entry, the file
 * header or the footer flags), each with every checksum, hash and ID made valid, and one damaged archive whose tree
 * bytes changed under an unchanged ID (its block and blob table consistent). {@code FolderGoldenFilesTest} holds the
 * exception and message each one gets.
 *
 * <p>Changes inside blocks go through {@link #rewrite}: it takes the golden apart into blobs (through its blob table),
 * changes some, gives changed trees new IDs up to the root if asked, and writes the archive again with the real
 * {@link FolderWriter}. Rewriting with no change gives the golden's bytes back (a test holds that), so the
 * negatives differ from the golden only where they say.
 */
final class FolderNegatives {
    private FolderNegatives() {
    }

    static Path dir() {
        return FolderGoldenFiles.dir().resolve("negative");
    }

    interface Source {
        byte[] read(String name) throws IOException;
    }

    /** A blob of the archive: where it was and its bytes. */
    record Blob(BlobTable.Location at, byte[] bytes) {
    }

    /** A change to the blobs: the new bytes of {@code b}, or {@code null} to keep them. */
    interface Change {
        byte[] apply(Blob b) throws IOException;
    }

    /** The archive taken apart: header, manifest, every blob in write order (block, then offset). */
    record Parts(FileHeader header, Manifest manifest, List<Blob> blobs, Map<Long, Integer> blockLengths) {
        /** The tree blob whose ID is {@code id}. */
        Blob blob(BlobId id) {
            for (Blob b : blobs) {
                if (b.at().id().equals(id)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("no blob " + id);
        }
    }

    /** Takes a single-version, single-table folder archive apart. */
    static Parts parts(byte[] archive) throws IOException {
        Path tmp = Files.createTempFile("mmh-neg", ".mmh");
        try {
            Files.write(tmp, archive);
            try (SeekableArchive a = SeekableArchive.open(tmp);
                    WorkerPool.Use use = WorkerPool.use(null, 1)) {
                long mo = a.footer().manifestOffset();
                Manifest m = Manifest.decode(SectionEnvelope.readBody(a.channel(), mo, a.footer().manifestLength(),
                        Format.SECTION_MANIFEST), "manifest");
                List<BlobTable.Location> locs = new ArrayList<>();
                for (Manifest.TableRef t : m.tables()) {
                    BlobTable.open(a.channel(), t.offset(), t.length()).forEach(locs::add);
                }
                locs.sort(Comparator.comparingLong(BlobTable.Location::block)
                        .thenComparingInt(BlobTable.Location::offset));
                Map<Long, byte[]> blocks = new TreeMap<>();
                Map<Long, Integer> lengths = new TreeMap<>();
                for (int n = 0; n < a.index().entries().size(); n++) {
                    final int number = n;
                    try (OrderedPipeline<byte[]> pipe = new OrderedPipeline<>(use.pool(), 1, null)) {
                        pipe.submit(t -> {
                            BlockCodec.Decoded d = BlockCodec.decode(t, a, number, use.pool());
                            byte[] copy = Arrays.copyOf(d.bytes(), d.length());
                            BlockCodec.release(use.pool(), d);
                            return copy;
                        });
                        byte[] raw = pipe.next();
                        blocks.put((long) n, raw);
                        lengths.put((long) n, raw.length);
                    }
                }
                List<Blob> blobs = new ArrayList<>();
                for (BlobTable.Location l : locs) {
                    byte[] raw = blocks.get(l.block());
                    blobs.add(new Blob(l, Arrays.copyOfRange(raw, l.offset(), l.offset() + l.length())));
                }
                return new Parts(a.header(), m, blobs, lengths);
            }
        } finally {
            Files.delete(tmp);
        }
    }

    /**
     * {@code archive} (one version, one blob table) written again with the blobs {@code change} gives new bytes.
     * With {@code reId} a changed tree or chunk list gets the ID of its new bytes, and every tree that names it (up to
     * the version's root in the manifest) is changed to name the new ID; without, the new bytes keep the old ID
     * (damage that every checksum misses but the ID catches).
     */
    static byte[] rewrite(byte[] archive, Change change, boolean reId) throws IOException {
        Parts p = parts(archive);
        Map<BlobId, byte[]> bytes = new LinkedHashMap<>();
        Map<BlobId, BlobId> renamed = new HashMap<>();
        try (Ids ids = new Ids(IdFunction.SHA256)) {
            for (Blob b : p.blobs()) {
                byte[] n = change.apply(b);
                bytes.put(b.at().id(), n != null ? n : b.bytes());
                if (n != null && reId) {
                    renamed.put(b.at().id(), ids.of(n));
                }
            }
            // the trees that name a renamed blob change too, up to the root
            boolean more = !renamed.isEmpty();
            while (more) {
                more = false;
                for (Blob b : p.blobs()) {
                    if (b.at().type() == BlobTable.DATA) {
                        continue;
                    }
                    byte[] cur = bytes.get(b.at().id());
                    byte[] next = cur;
                    for (Map.Entry<BlobId, BlobId> r : renamed.entrySet()) {
                        next = replace(next, r.getKey().bytes(), r.getValue().bytes());
                    }
                    if (next != cur) {
                        bytes.put(b.at().id(), next);
                        BlobId id = ids.of(next);
                        BlobId was = renamed.put(b.at().id(), id);
                        more |= !id.equals(was);
                    }
                }
            }
        }
        // the blocks again, each the blobs it held in their order
        CompressOptions co = CompressOptions.builder().codec("zstd").level(3).threads(1)
                .blockSize(p.header().blockSize()).hash(p.header().hash()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p.header().encode());
        List<BlobTable.Location> locs = new ArrayList<>();
        try (WorkerPool.Use use = WorkerPool.use(null, 1);
                FolderWriter w = new FolderWriter(out, p.header().length(), List.of(), co, use.pool(), n -> { })) {
            for (long block : p.blockLengths().keySet()) {
                byte[] raw = w.buffer();
                int at = 0;
                boolean meta = false;
                for (Blob b : p.blobs()) {
                    if (b.at().block() != block) {
                        continue;
                    }
                    if (!reId && b.at().offset() != at && bytes.get(b.at().id()).length == b.bytes().length) {
                        throw new IllegalStateException("block " + block + " has bytes between blobs");
                    }
                    byte[] n = bytes.get(b.at().id());
                    System.arraycopy(n, 0, raw, at, n.length);
                    BlobId id = renamed.getOrDefault(b.at().id(), b.at().id());
                    locs.add(new BlobTable.Location(id, b.at().type(), block, at, n.length));
                    at += n.length;
                    meta |= b.at().type() != BlobTable.DATA;
                }
                w.write(raw, at, meta);
            }
            w.flushBlocks();
            byte[] table = BlobTable.encode(locs);
            long tableAt = w.section(table);
            Manifest m = p.manifest();
            List<Manifest.Version> versions = new ArrayList<>();
            for (Manifest.Version v : m.versions()) {
                versions.add(new Manifest.Version(v.number(), renamed.getOrDefault(v.root(), v.root()),
                        v.newestSeconds(), v.newestNanos(), v.files(), v.directories(), v.others(), v.bytes(),
                        v.newBytes(), v.label()));
            }
            byte[] body = new Manifest(m.chunker(), m.idFunction(), List.of(new Manifest.TableRef(tableAt,
                    table.length)), versions).encode();
            long manifestAt = w.manifest(body);
            w.finish(manifestAt, body.length + Format.SECTION_ENVELOPE + 4L);
        }
        return out.toByteArray();
    }

    /** {@code b} with every occurrence of {@code from} replaced by {@code to} (same length), or {@code b} itself. */
    private static byte[] replace(byte[] b, byte[] from, byte[] to) {
        byte[] r = b;
        for (int i = 0; i + from.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                if (r == b) {
                    r = b.clone();
                }
                System.arraycopy(to, 0, r, i, to.length);
            }
        }
        return r;
    }

    /** Where {@code needle} starts in {@code b}; it must occur exactly once. */
    static int find(byte[] b, byte[] needle) {
        int at = -1;
        for (int i = 0; i + needle.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
                if (at >= 0) {
                    throw new IllegalArgumentException("found twice");
                }
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("not found");
        }
        return at;
    }

    /** A name as a tree encodes it: its varint length, then its bytes. */
    static byte[] encodedName(String name) {
        return new Wire.Out().bytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toByteArray();
    }

    /**
     * A change to the tree blob that lists the entry {@code name} (unique among the golden's trees): {@code patch}
     * gets the blob's bytes (a copy) and where the entry's type byte is.
     */
    static Change entry(String name, PatchAt patch) {
        byte[] n = encodedName(name);
        return b -> {
            if (b.at().type() != BlobTable.TREE || indexOf(b.bytes(), n) < 0) {
                return null;
            }
            byte[] c = b.bytes().clone();
            patch.apply(c, find(c, n) + n.length);
            return c;
        };
    }

    interface PatchAt {
        void apply(byte[] b, int at);
    }

    private static int indexOf(byte[] b, byte[] needle) {
        for (int i = 0; i + needle.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The golden's manifest section: offset and length, from its footer. */
    private static long[] manifest(byte[] g) {
        int f = g.length - Format.FOLDER_FOOTER_SIZE;
        return new long[] {LE.get64(g, f + 32), LE.get64(g, f + 40)};
    }

    /** A copy of {@code g} with its manifest body's byte at {@code field} set to {@code value}, the envelope CRC fixed. */
    static byte[] manifestByte(byte[] g, int field, int value) {
        byte[] b = g.clone();
        long[] m = manifest(g);
        int at = (int) m[0];
        int len = (int) m[1];
        b[at + Format.SECTION_ENVELOPE + field] = (byte) value;
        LE.put32(b, at + len - 4, Format.crc(b, at, len - 4));
        return b;
    }

    /** Offset in the manifest body of the ID function byte (after version, chunker and gear seed). */
    static int idFunctionField(Manifest m) {
        return new Wire.Out().varint(Manifest.FORMAT).varint(Manifest.FASTCDC).varint(m.chunker().min())
                .varint(m.chunker().avg()).varint(m.chunker().max()).u64(m.chunker().seed()).size();
    }

    /** A copy of {@code g} with byte {@code field} of blob table entry 0 set, the page and directory CRCs fixed. */
    static byte[] tableEntryByte(byte[] g, int field, int value) throws IOException {
        Manifest m = parts(g).manifest();
        Manifest.TableRef t = m.tables().get(0);
        byte[] b = g.clone();
        int body = (int) t.offset() + Format.SECTION_ENVELOPE;
        long count = LE.get64(b, body);
        int pages = (int) ((count + BlobTable.ENTRIES_PER_PAGE - 1) / BlobTable.ENTRIES_PER_PAGE);
        int dir = body + 16;
        int entries = dir + 36 * pages + 4;
        b[entries + field] = (byte) value;
        int first = (int) Math.min(count, BlobTable.ENTRIES_PER_PAGE);
        LE.put32(b, dir + 32, Format.crc(b, entries, first * BlobTable.ENTRY_SIZE));
        LE.put32(b, dir + 36 * pages, Format.crc(b, dir, 36 * pages));
        return b;
    }

    /** A copy of {@code g} with its footer's byte at {@code field} set, the footer CRC fixed. */
    static byte[] footerByte(byte[] g, int field, int value) {
        byte[] b = g.clone();
        int f = b.length - Format.FOLDER_FOOTER_SIZE;
        b[f + field] = (byte) value;
        LE.put32(b, f + 68, Format.crc(b, f, 68));
        return b;
    }

    /** A copy of {@code g} with its header's byte at {@code field} set, the header CRC fixed. */
    static byte[] headerByte(byte[] g, int field, int value) {
        byte[] b = g.clone();
        b[field] = (byte) value;
        LE.put32(b, 44, Format.crc(b, 0, 44));
        return b;
    }

    /** The tree blob that lists the top of the golden's tree (README, big.txt, docs, ...). */
    static boolean isTopTree(Blob b) {
        return b.at().type() == BlobTable.TREE && indexOf(b.bytes(), encodedName("README")) >= 0;
    }

    /** The negatives by file name. */
    static Map<String, byte[]> make(Source golden) throws IOException {
        byte[] g = golden.read(FolderGoldenFiles.ONE);
        Manifest m = parts(g).manifest();
        Map<String, byte[]> out = new LinkedHashMap<>();
        // "empty" is a file of size 0: its type byte follows its name, its field flags follow its type
        out.put("entry-type.mmh", rewrite(g, entry("empty", (b, at) -> b[at] = 9), true));
        out.put("entry-field-flags.mmh", rewrite(g, entry("empty", (b, at) -> b[at + 1] = 0x08), true));
        // the content form of big.txt, a file whose chunks are listed in a chunk-list blob, is byte 1 after size
        out.put("tree-kind.mmh", rewrite(g, b -> {
            if (b.at().type() != BlobTable.TREE || indexOf(b.bytes(), encodedName("tool.sh")) < 0) {
                return null;
            }
            byte[] c = b.bytes().clone();
            c[0] = 2;
            return c;
        }, true));
        out.put("chunk-list-kind.mmh", rewrite(g, b -> {
            if (b.at().type() != BlobTable.CHUNK_LIST) {
                return null;
            }
            byte[] c = b.bytes().clone();
            c[0] = 2;
            return c;
        }, true));
        out.put("manifest-version.mmh", manifestByte(g, 0, 2));
        out.put("manifest-id-function.mmh", manifestByte(g, idFunctionField(m), 3));
        out.put("blob-table-reserved.mmh", tableEntryByte(g, 45, 1));
        out.put("blob-table-type.mmh", tableEntryByte(g, 44, 9));
        out.put("footer-flags.mmh", footerByte(g, 66, 1));
        out.put("header-reserved.mmh", headerByte(g, 40, 1));
        // damage: a byte of the top tree changed (the README's mtime nanoseconds), its ID kept
        out.put("damaged-tree-bytes.mmh", rewrite(g, entry("README", (b, at) -> b[at + 4] ^= 0x01), false));
        return out;
    }
}
