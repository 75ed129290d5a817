package dev.mmh.format;

import dev.mmh.CorruptDataException;
import dev.mmh.LimitExceededException;
import dev.mmh.io.Positional;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What an archive of the full layout holds after its blocks (docs/FORMAT.md, "File layout (full)"): the sections
 * the footer points to, back to back, then the index section and the 64-byte footer. This is the one place that
 * knows where each of them sits and what their envelopes hold. Writers lay a tail out with {@link #after} and
 * {@link #withSection} and write it with {@link #encode}, {@link #writeTo} or {@link #writeAround}; readers
 * parse it from the end of a file with {@link #read} (footer, then index, then the sections the footer names,
 * whose envelopes {@link #checkSections} checks), or find a section's envelope with {@link #sectionAt}.
 *
 * <p>Sections use the generic envelope (magic, flags, length, body, CRC32C; FORMAT.md, "Other sections"). The
 * only {@link Kind} today is recovery data; another one (a catalog, encryption parameters) is a constant of
 * {@link Kind} and a field of the {@link Footer} that points to it, mapped in {@link #section(Footer, Kind)}
 * and {@link #footer()}.
 *
 * <p>Immutable and thread-safe. Methods that take a channel neither close it nor use or change its position.
 */
public final class ArchiveTail {
    /** Bytes the generic envelope adds to a body: the 16-byte head and the trailing CRC32C. */
    private static final int ENVELOPE_OVERHEAD = Format.SECTION_ENVELOPE + 4;

    /** The kinds of sections a tail holds before its index, each pointed to by the footer. */
    public enum Kind {
        /** Recovery data (FORMAT.md, "Recovery section"): its body checks itself, its CRC covers the head only. */
        RECOVERY(Format.SECTION_RECOVERY, Format.SECTION_SELF_CHECKED);

        private final int magic;
        private final int flags;

        Kind(int magic, int flags) {
            this.magic = magic;
            this.flags = flags;
        }

        private boolean selfChecked() {
            return (flags & Format.SECTION_SELF_CHECKED) != 0;
        }
    }

    /**
     * A section of the tail.
     *
     * @param offset where its envelope starts in the archive
     * @param length bytes of the whole section, envelope included (what the footer records)
     */
    public record Section(Kind kind, long offset, long length) {
        /** The section whose body of {@code bodyLength} bytes starts at {@code bodyOffset}. */
        public static Section around(Kind kind, long bodyOffset, long bodyLength) {
            return new Section(kind, bodyOffset - Format.SECTION_ENVELOPE, bodyLength + ENVELOPE_OVERHEAD);
        }

        /** Where the body starts, after the envelope's 16-byte head. */
        public long bodyOffset() {
            return offset + Format.SECTION_ENVELOPE;
        }

        public long bodyLength() {
            return length - ENVELOPE_OVERHEAD;
        }

        /** The offset just after the section's CRC. */
        public long end() {
            return offset + length;
        }

        private byte[] head() {
            byte[] b = new byte[Format.SECTION_ENVELOPE];
            LE.put32(b, 0, kind.magic);
            LE.put32(b, 4, kind.flags);
            LE.put64(b, 8, length);
            return b;
        }

        /** The envelope's CRC32C: of the head and, unless self-checked, of the body ({@code body} or in {@code ch}). */
        private int crc(byte[] head, ByteBuffer body, FileChannel ch) throws IOException {
            CRC32C c = new CRC32C();
            c.update(head);
            if (!kind.selfChecked()) {
                if (body != null) {
                    c.update(body.duplicate());
                } else {
                    byte[] buf = new byte[1 << 16];
                    for (long at = bodyOffset(); at < end() - 4; ) {
                        int n = (int) Math.min(buf.length, end() - 4 - at);
                        readFully(ch, buf, n, at);
                        c.update(buf, 0, n);
                        at += n;
                    }
                }
            }
            return (int) c.getValue();
        }
    }

    /** One stretch of the tail's bytes; {@code bytes} is null for a body the caller owns. */
    private record Part(long offset, ByteBuffer bytes) {
    }

    private final List<Section> sections;
    private final long indexOffset;
    private final Index index;
    private final int hashLength;
    private final long totalRawSize;
    /** A folder archive's tail: a longer footer that also points at the manifest, which precedes the sections. */
    private final boolean folder;
    private final long manifestOffset;
    private final long manifestLength;

    private ArchiveTail(List<Section> sections, long indexOffset, Index index, int hashLength, long totalRawSize,
            boolean folder, long manifestOffset, long manifestLength) {
        this.sections = List.copyOf(sections);
        this.indexOffset = indexOffset;
        this.index = index;
        this.hashLength = hashLength;
        this.totalRawSize = totalRawSize;
        this.folder = folder;
        this.manifestOffset = manifestOffset;
        this.manifestLength = manifestLength;
    }

    /**
     * The tail of blocks that end at {@code blocksEnd}: no sections yet, the index and the footer.
     *
     * @param hashLength bytes of each block's raw hash (the file header's hash algorithm)
     */
    public static ArchiveTail after(long blocksEnd, Index index, int hashLength) {
        return new ArchiveTail(List.of(), blocksEnd, index, hashLength, index.totalRawSize(), false, 0, 0);
    }

    /**
     * The tail of a folder archive whose blocks, blob tables and manifest end at {@code blocksEnd}: no sections yet,
     * the index and the 80-byte footer pointing at the manifest section ({@code manifestOffset}, {@code
     * manifestLength}, envelope included).
     */
    public static ArchiveTail folderAfter(long blocksEnd, Index index, int hashLength, long manifestOffset,
            long manifestLength) {
        return new ArchiveTail(List.of(), blocksEnd, index, hashLength, index.totalRawSize(), true, manifestOffset,
                manifestLength);
    }

    /** Whether this is a folder archive's tail. */
    public boolean folder() {
        return folder;
    }

    /** This tail with a section of {@code kind} and a body of {@code bodyLength} bytes added before the index. */
    public ArchiveTail withSection(Kind kind, long bodyLength) {
        if (bodyLength < 0 || section(kind).isPresent()) {
            throw new IllegalArgumentException(kind + " section of " + bodyLength + " bytes");
        }
        List<Section> s = new ArrayList<>(sections);
        Section added = new Section(kind, indexOffset, bodyLength + ENVELOPE_OVERHEAD);
        s.add(added);
        return new ArchiveTail(s, added.end(), index, hashLength, totalRawSize, folder, manifestOffset,
                manifestLength);
    }

    /** This tail without its sections: the index follows the blocks. */
    public ArchiveTail withoutSections() {
        return new ArchiveTail(List.of(), blocksEnd(), index, hashLength, totalRawSize, folder, manifestOffset,
                manifestLength);
    }

    /** The sections in file order. */
    public List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(Kind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The section of {@code kind} that {@code footer} points to, if any. */
    public static Optional<Section> section(Footer footer, Kind kind) {
        return kind == Kind.RECOVERY && footer.recoveryOffset() != 0
                ? Optional.of(new Section(kind, footer.recoveryOffset(), footer.recoveryLength())) : Optional.empty();
    }

    /** Where the blocks end: the first section's offset, else the index offset. */
    public long blocksEnd() {
        return sections.isEmpty() ? indexOffset : sections.get(0).offset();
    }

    public Index index() {
        return index;
    }

    public long indexOffset() {
        return indexOffset;
    }

    public long indexLength() {
        return Index.size(index.entries().size(), hashLength);
    }

    public long footerOffset() {
        return indexOffset + indexLength();
    }

    /** Length of the whole archive: the end of the footer. */
    public long fileLength() {
        return footerOffset() + Footer.size(folder);
    }

    public Footer footer() {
        Optional<Section> r = section(Kind.RECOVERY);
        return new Footer(indexOffset, indexLength(), r.map(Section::offset).orElse(0L),
                r.map(Section::length).orElse(0L), fileLength(), totalRawSize, folder, manifestOffset, manifestLength);
    }

    private List<Part> parts(ByteBuffer[] bodies, FileChannel ch) throws IOException {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            ByteBuffer body = bodies == null ? null : bodies[i].duplicate();
            byte[] head = s.head();
            byte[] crc = new byte[4];
            LE.put32(crc, 0, s.crc(head, body, ch));
            parts.add(new Part(s.offset(), ByteBuffer.wrap(head)));
            parts.add(new Part(s.bodyOffset(), body));
            parts.add(new Part(s.end() - 4, ByteBuffer.wrap(crc)));
        }
        parts.add(new Part(indexOffset, ByteBuffer.wrap(index.encode(hashLength))));
        parts.add(new Part(footerOffset(), ByteBuffer.wrap(footer().encode())));
        return parts;
    }

    /**
     * The tail's bytes in file order, from {@link #blocksEnd()} to the end of the file: each section's envelope
     * around its body, the index, the footer.
     *
     * @param bodies one per section, in file order, each with exactly its body's bytes remaining; not changed
     */
    public ByteBuffer[] encode(ByteBuffer... bodies) throws IOException {
        return parts(checked(bodies), null).stream().map(Part::bytes).toArray(ByteBuffer[]::new);
    }

    private ByteBuffer[] checked(ByteBuffer[] bodies) {
        if (bodies.length != sections.size()) {
            throw new IllegalArgumentException(bodies.length + " bodies for " + sections.size() + " sections");
        }
        for (int i = 0; i < bodies.length; i++) {
            if (bodies[i].remaining() != sections.get(i).bodyLength()) {
                throw new IllegalArgumentException("body of " + bodies[i].remaining() + " bytes for "
                        + sections.get(i));
            }
        }
        return bodies;
    }

    /** Writes {@link #encode} of {@code bodies} to {@code out} (for a writer that streams the archive). */
    public void writeTo(OutputStream out, ByteBuffer... bodies) throws IOException {
        for (ByteBuffer b : encode(bodies)) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.write(a);
        }
    }

    /**
     * Writes everything but the section bodies (which the caller writes, before or after) into {@code ch} at
     * their offsets, in file order, then cuts the file at {@link #fileLength()}. Not flushed.
     */
    public void writeAround(FileChannel ch) throws IOException {
        for (Part p : parts(null, ch)) {
            if (p.bytes() != null) {
                Positional.write(ch, p.bytes(), p.offset());
            }
        }
        ch.truncate(fileLength());
    }

    /**
     * Whether {@code ch} ends at {@link #fileLength()} and holds exactly this tail: with {@code bodies} (one per
     * section, as for {@link #encode}), holding them too; without, whatever the section bodies hold.
     */
    public boolean heldBy(FileChannel ch, ByteBuffer... bodies) throws IOException {
        ByteBuffer[] b = bodies.length == 0 ? null : checked(bodies);
        if (ch.size() != fileLength()) {
            return false;
        }
        for (Part p : parts(b, ch)) {
            if (p.bytes() != null && !holds(ch, p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(FileChannel ch, Part p) throws IOException {
        ByteBuffer want = p.bytes().duplicate();
        byte[] have = new byte[Math.min(want.remaining(), 1 << 16)];
        for (long at = p.offset(); want.hasRemaining(); ) {
            int n = Math.min(have.length, want.remaining());
            if (Positional.read(ch, have, at, n) < n || !ByteBuffer.wrap(have, 0, n).equals(want.slice().limit(n))) {
                return false;
            }
            want.position(want.position() + n);
            at += n;
        }
        return true;
    }

    /**
     * The checked footer at the end of the archive in {@code ch}: a folder archive's (80 bytes) when its header says
     * so, else the full layout's.
     */
    public static Footer readFooter(FileChannel ch) throws IOException {
        long size = ch.size();
        boolean folder = isFolder(ch);
        int n = Footer.size(folder);
        if (size < n) {
            throw new CorruptDataException("archive of " + size + " bytes is too short to hold a footer", size, -1);
        }
        byte[] f = new byte[n];
        readFully(ch, f, f.length, size - f.length);
        return Footer.parse(f, size - f.length, folder);
    }

    /** Whether the archive in {@code ch} has a folder archive's version field (its header checksum aside). */
    private static boolean isFolder(FileChannel ch) throws IOException {
        byte[] v = new byte[10];
        return Positional.read(ch, v, 0, v.length) == v.length && LE.get16(v, 8) == Format.FOLDER_VERSION;
    }

    /**
     * Parses the tail of the archive in {@code ch} from its end: the footer (magic, CRC, version, file length,
     * where the index and the sections are), then the index (limits before it is read, CRC, lengths), then the
     * sections the footer points to (their envelopes are not read: {@link #checkSections}).
     *
     * @param hashLength bytes of each block's raw hash (the file header's hash algorithm)
     */
    public static ArchiveTail read(FileChannel ch, int hashLength) throws IOException {
        long size = ch.size();
        if (size < Format.HEADER_SIZE + Format.FOOTER_SIZE) {
            throw new CorruptDataException("archive of " + size + " bytes is too short to hold an index and footer",
                    size, -1);
        }
        Footer footer = readFooter(ch);
        long maxIndex = Index.size(Format.MAX_BLOCKS, hashLength);
        if (footer.indexLength() > maxIndex) {
            throw new LimitExceededException("index", footer.indexLength(), maxIndex);
        }
        Index.checkHeld(footer.indexLength()); // against the heap, before allocating it
        byte[] ib = new byte[(int) footer.indexLength()];
        Positional.read(ch, ib, footer.indexOffset(), ib.length);
        Index index = Index.parse(ib, hashLength, footer.indexOffset());
        List<Section> s = new ArrayList<>();
        for (Kind k : Kind.values()) {
            section(footer, k).ifPresent(s::add);
        }
        s.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return new ArchiveTail(s, footer.indexOffset(), index, hashLength, footer.totalRawSize(), footer.folder(),
                footer.manifestOffset(), footer.manifestLength());
    }

    /** Checks that every section's envelope (head and CRC) in {@code ch} is the one this tail describes. */
    public void checkSections(FileChannel ch) throws IOException {
        for (Section s : sections) {
            if (!envelopeIn(ch, s)) {
                throw new CorruptDataException(s.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " section envelope damaged", s.offset(), -1);
            }
        }
    }

    /**
     * The section whose envelope starts at {@code pos} in {@code ch}, if one of a known kind starts there, its
     * head and CRC check and it ends inside the file: what a scan past damage skips.
     */
    public static Optional<Section> sectionAt(FileChannel ch, long pos) throws IOException {
        SectionEnvelope e;
        try {
            e = SectionEnvelope.read(ch, pos, ch.size()); // the one check of an envelope, as both readers make it
        } catch (dev.mmh.MmhException damagedOrForeign) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (k.magic == e.magic() && k.flags == e.flags()) {
                return Optional.of(new Section(k, e.offset(), e.length()));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code ch} holds the envelope of {@code s}: its head, then (only then) its CRC. */
    private static boolean envelopeIn(FileChannel ch, Section s) throws IOException {
        byte[] head = s.head();
        if (!holds(ch, new Part(s.offset(), ByteBuffer.wrap(head)))) {
            return false;
        }
        byte[] crc = new byte[4];
        LE.put32(crc, 0, s.crc(head, null, ch));
        return holds(ch, new Part(s.end() - 4, ByteBuffer.wrap(crc)));
    }

    private static void readFully(FileChannel ch, byte[] b, int len, long pos) throws IOException {
        if (Positional.read(ch, b, pos, len) < len) {
            throw new CorruptDataException("archive ends early", pos, -1);
        }
    }
}
