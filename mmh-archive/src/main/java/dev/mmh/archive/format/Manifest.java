package dev.mmh.archive.format;

import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.List;
import dev.mmh.chunk.ChunkerParams;

/**
 * The manifest of a folder archive ({@code M} section body, docs/FORMAT.md "Manifest"): the chunker's parameters,
 * how blob IDs are made, where the blob tables are, and the versions, oldest first. Immutable.
 *
 * @param chunker the parameters every version was cut with
 * @param idFunction {@link #SHA256} or {@link #HMAC_SHA256}
 * @param tables the blob tables' sections (offset, length), oldest first
 * @param versions the versions, numbered 1, 2, ... in order
 */
public record Manifest(ChunkerParams chunker, int idFunction, List<TableRef> tables, List<Version> versions) {
    public static final int FORMAT = 1;
    public static final int SHA256 = 1;
    public static final int HMAC_SHA256 = 2;
    /** Section type letter and magic. */
    public static final int MAGIC = dev.mmh.format.Format.SECTION_MANIFEST;
    /** Longest version label in bytes. */
    public static final int MAX_LABEL = 64 << 10;

    public Manifest {
        tables = List.copyOf(tables);
        versions = List.copyOf(versions);
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).number() != i + 1) {
                throw new IllegalArgumentException("version " + versions.get(i).number() + " at position " + (i + 1));
            }
        }
    }

    /** Where a blob table section lies in the archive. */
    public record TableRef(long offset, long length) {
    }

    /** The manifest's code for FastCDC, the one chunker (docs/FORMAT.md "Chunks and the chunker"). */
    public static final int FASTCDC = 1;

    /**
     * One version of the tree.
     *
     * @param number 1 for the first version, then 2, 3, ...
     * @param root the root tree: the paths given, by their last names
     * @param newestSeconds the newest modification time in the tree (seconds), a deterministic "as of"
     * @param newestNanos its nanoseconds
     * @param files regular files (hard links not counted)
     * @param directories directories (the root not counted)
     * @param others every other entry: links, devices, FIFOs (a reader visits no more entries than these three)
     * @param bytes sum of the files' sizes
     * @param newBytes bytes of blobs (raw) this version added to the archive
     * @param label the paths as they were given, informative
     */
    public record Version(int number, BlobId root, long newestSeconds, int newestNanos, long files, long directories,
            long others, long bytes, long newBytes, byte[] label) {
    }

    /** The latest version, or {@code null} when there is none. */
    public Version latest() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    /** This manifest with one more table and one more version. */
    public Manifest plus(TableRef table, Version version) {
        List<TableRef> t = new ArrayList<>(tables);
        if (table != null) {
            t.add(table);
        }
        List<Version> v = new ArrayList<>(versions);
        v.add(version);
        return new Manifest(chunker, idFunction, t, v);
    }

    /** The body bytes. */
    public byte[] encode() {
        Wire.Out o = new Wire.Out(128 + 48 * tables.size() + 128 * versions.size());
        o.varint(FORMAT);
        o.varint(FASTCDC).varint(chunker.min()).varint(chunker.avg()).varint(chunker.max())
                .u64(chunker.seed());
        o.u8(idFunction);
        o.varint(tables.size());
        for (TableRef t : tables) {
            o.u64(t.offset()).u64(t.length());
        }
        o.varint(versions.size());
        for (Version v : versions) {
            o.varint(v.number());
            o.raw(v.root().bytes());
            o.svarint(v.newestSeconds()).varint(v.newestNanos());
            o.varint(v.files()).varint(v.directories()).varint(v.others()).varint(v.bytes()).varint(v.newBytes());
            o.bytes(v.label());
        }
        return o.toByteArray();
    }

    /** Decodes a manifest body, checking every field. */
    public static Manifest decode(byte[] body, String what) throws CorruptDataException, UnsupportedFormatException {
        Wire.In in = new Wire.In(body, what);
        long format = in.varint("manifest version");
        if (format != FORMAT) {
            throw new UnsupportedFormatException(what + ": manifest version " + format);
        }
        int alg = in.count("chunker", 255);
        if (alg != FASTCDC) {
            throw new UnsupportedFormatException(what + ": chunker " + alg);
        }
        int min = in.count("chunker min", 1 << 30);
        int avg = in.count("chunker avg", 1 << 30);
        int max = in.count("chunker max", 1 << 30);
        String bad = ChunkerParams.validate(min, avg, max);
        if (bad != null) {
            throw in.corrupt("chunker sizes " + min + "/" + avg + "/" + max + ": " + bad);
        }
        long seed = in.u64("gear seed");
        int id = in.u8("ID function");
        if (id != SHA256 && id != HMAC_SHA256) {
            throw new UnsupportedFormatException(what + ": ID function " + id);
        }
        int nt = in.count("blob table count", Limits.MAX_BLOB_TABLES);
        List<TableRef> tables = new ArrayList<>(Math.min(nt, 1024));
        for (int i = 0; i < nt; i++) {
            long off = in.u64("blob table offset");
            long len = in.u64("blob table length");
            if (off < 0 || len <= 0 || off + len < 0) {
                throw in.corrupt("blob table " + i + " at " + off + " of " + len + " bytes");
            }
            tables.add(new TableRef(off, len));
        }
        int nv = in.count("version count", Limits.MAX_VERSIONS);
        List<Version> versions = new ArrayList<>(Math.min(nv, 1024));
        for (int i = 0; i < nv; i++) {
            int number = in.count("version number", Limits.MAX_VERSIONS);
            if (number != i + 1) {
                throw in.corrupt("version " + number + " where " + (i + 1) + " was expected");
            }
            BlobId root = in.id("root tree of version " + number);
            long sec = in.svarint("time of version " + number);
            int nanos = (int) in.varint("nanoseconds of version " + number, 999_999_999);
            long files = in.varint("files of version " + number);
            long dirs = in.varint("directories of version " + number);
            long others = in.varint("other entries of version " + number);
            if (files + dirs + others > Limits.MAX_ENTRIES || files + dirs + others < 0) {
                throw in.corrupt("version " + number + " declares more than " + Limits.MAX_ENTRIES + " entries");
            }
            long bytes = in.varint("bytes of version " + number);
            long added = in.varint("new bytes of version " + number);
            byte[] label = in.bytes("label of version " + number, MAX_LABEL);
            versions.add(new Version(number, root, sec, nanos, files, dirs, others, bytes, added, label));
        }
        in.end();
        return new Manifest(new ChunkerParams(min, avg, max, seed), id, tables, versions);
    }
}
