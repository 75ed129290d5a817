package dev.mmh.format;

import dev.mmh.ChecksumMismatchException;
import dev.mmh.CorruptDataException;
import dev.mmh.io.Positional;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The generic envelope of a section that is neither a block nor the index (docs/FORMAT.md, "Other sections"): the
 * recovery section, and types a later version may add. Both readers, front to back ({@link ArchiveStreamReader})
 * and from the footer ({@link SeekableArchive}), check such a section here and nowhere else, so they accept and
 * refuse the same archives: the CRC first (damage is reported as damage), then the flags ({@link
 * Format#requireKnownBits}), then the type: {@code E} (encryption) and an unknown type marked {@code
 * MUST_UNDERSTAND} are unsupported, any other is skipped.
 *
 * @param magic the section's magic: "MMH" and its type letter
 * @param flags the section flags
 * @param offset archive offset of the section
 * @param length section length from the magic to the end of its CRC
 */
public record SectionEnvelope(int magic, int flags, long offset, long length) {
    /** The bytes that follow the 16-byte envelope, read in order. */
    interface Source {
        /**
         * Reads exactly {@code len} bytes into {@code b[0, len)}; {@code what} names them in the failure when the
         * archive ends first.
         */
        void readFully(byte[] b, int len, String what) throws IOException;
    }

    /** Whether a section magic has the "MMH" prefix (whatever its type). */
    public static boolean isSection(int magic) {
        return (magic & 0xffffff) == (Format.SECTION_BLOCK & 0xffffff);
    }

    /** The type letter as a message shows it: {@code 'R'}, or its code when it is not a printable letter. */
    static String typeName(int magic) {
        int t = magic >>> 24;
        return t > 0x20 && t < 0x7f ? "'" + (char) t + "'" : "0x" + Integer.toHexString(t);
    }

    /**
     * Checks the section whose 16-byte envelope is {@code env} and reads the rest of it from {@code rest}: body
     * (64 KiB at a time, whatever its length) and CRC.
     *
     * @param offset archive offset of the section, for messages
     * @throws ChecksumMismatchException if its CRC does not match
     * @throws dev.mmh.UnsupportedFormatException if it is intact but has unknown flag bits, or is a type this
     *     version must understand and does not
     */
    static SectionEnvelope check(byte[] env, long offset, Source rest) throws IOException {
        return check(env, offset, rest, false);
    }

    /**
     * As {@link #check(byte[], long, Source)}; in an encrypted archive ({@code encrypted}) the {@code E} and {@code A}
     * sections are accepted (where they may stand is the readers' to check).
     */
    static SectionEnvelope check(byte[] env, long offset, Source rest, boolean encrypted) throws IOException {
        int magic = LE.get32(env, 0);
        int flags = LE.get32(env, 4);
        long length = LE.get64(env, 8);
        String type = typeName(magic);
        if (length < Format.SECTION_ENVELOPE + 4) {
            throw new CorruptDataException("section " + type + " has an impossible length "
                    + Long.toUnsignedString(length), offset + 8, -1);
        }
        CRC32C crc = new CRC32C();
        crc.update(env, 0, Format.SECTION_ENVELOPE);
        boolean selfChecked = (flags & Format.SECTION_SELF_CHECKED) != 0;
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(4, length - Format.SECTION_ENVELOPE - 4))];
        for (long left = length - Format.SECTION_ENVELOPE - 4; left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            rest.readFully(buf, n, "section " + type);
            if (!selfChecked) {
                crc.update(buf, 0, n);
            }
            left -= n;
        }
        rest.readFully(buf, 4, "checksum of section " + type);
        int expected = LE.get32(buf, 0);
        if (expected != (int) crc.getValue()) {
            throw new ChecksumMismatchException("section " + type + " checksum", Format.hex32(expected),
                    Format.hex32((int) crc.getValue()), offset, -1);
        }
        Format.requireKnownBits("flags of section " + type, flags & 0xffffffffL, Format.SECTION_KNOWN_FLAGS,
                offset + 4);
        boolean crypto = magic == Format.SECTION_ENCRYPTION || magic == Format.SECTION_AUTH;
        if (crypto && !encrypted) {
            throw Format.unsupported(magic == Format.SECTION_ENCRYPTION ? "section type 'E' (encryption)"
                    : "section type 'A' (authentication)", offset, -1);
        }
        if (!crypto && magic != Format.SECTION_RECOVERY && (flags & Format.SECTION_MUST_UNDERSTAND) != 0) {
            throw Format.unsupported("unknown section type " + type + " marked must-understand", offset, -1);
        }
        return new SectionEnvelope(magic, flags, offset, length);
    }

    /**
     * Reads and checks the section at {@code offset} of a file, which must end by {@code end}: what the readers
     * that seek ({@link SeekableArchive}, and {@code Verifier}'s scan when the index is damaged) do with a section
     * that is neither a block nor the index.
     *
     * @throws CorruptDataException if no such section starts there, it runs past {@code end}, or it is damaged
     */
    public static SectionEnvelope read(FileChannel ch, long offset, long end) throws IOException {
        return read(ch, offset, end, false);
    }

    /** {@link #read(FileChannel, long, long)} in an archive that is {@code encrypted} or not. */
    public static SectionEnvelope read(FileChannel ch, long offset, long end, boolean encrypted) throws IOException {
        byte[] env = new byte[Format.SECTION_ENVELOPE];
        int magic = end - offset >= env.length && Positional.read(ch, env, offset, env.length) == env.length
                ? LE.get32(env, 0) : 0;
        if (!isSection(magic) || magic == Format.SECTION_BLOCK || magic == Format.SECTION_INDEX) {
            throw new CorruptDataException("no section starts here", offset, -1);
        }
        long length = LE.get64(env, 8);
        if (Long.compareUnsigned(length, end - offset) > 0) {
            throw new CorruptDataException("section " + typeName(magic) + " runs past the index", offset + 8, -1);
        }
        long[] at = {offset + Format.SECTION_ENVELOPE};
        return check(env, offset, (b, len, what) -> {
            if (Positional.read(ch, b, at[0], len) < len) {
                throw new CorruptDataException("archive ends inside the " + what + " (truncated)", at[0], -1);
            }
            at[0] += len;
        }, encrypted);
    }

    /**
     * A whole section of type {@code magic} around {@code body}: the 16-byte envelope, the body and the CRC32C (of the
     * envelope and the body, or with {@link Format#SECTION_SELF_CHECKED} in {@code flags} of the envelope only).
     */
    public static byte[] wrap(int magic, int flags, byte[] body) {
        long length = (long) Format.SECTION_ENVELOPE + body.length + 4;
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("section of " + length + " bytes");
        }
        byte[] s = new byte[(int) length];
        LE.put32(s, 0, magic);
        LE.put32(s, 4, flags);
        LE.put64(s, 8, length);
        System.arraycopy(body, 0, s, Format.SECTION_ENVELOPE, body.length);
        int covered = (flags & Format.SECTION_SELF_CHECKED) != 0 ? Format.SECTION_ENVELOPE : s.length - 4;
        LE.put32(s, s.length - 4, Format.crc(s, 0, covered));
        return s;
    }

    /**
     * The body of the section at {@code offset} of {@code length} bytes in {@code ch}, read whole and checked (its
     * envelope, type and CRC): what a reader of a section type it knows does with it. For sections small enough to
     * hold in memory (a manifest).
     *
     * @throws CorruptDataException if it is not a section of type {@code magic} of that length, or damaged
     */
    public static byte[] readBody(FileChannel ch, long offset, long length, int magic) throws IOException {
        SectionEnvelope e = read(ch, offset, offset + length, magic == Format.SECTION_ENCRYPTION
                || magic == Format.SECTION_AUTH);
        if (e.magic() != magic || e.length() != length) {
            throw new CorruptDataException("no section " + typeName(magic) + " of " + length + " bytes here", offset,
                    -1);
        }
        if (length - Format.SECTION_ENVELOPE - 4 > Integer.MAX_VALUE - 16) {
            throw new dev.mmh.LimitExceededException("section " + typeName(magic), length, Integer.MAX_VALUE - 16);
        }
        byte[] body = new byte[(int) (length - Format.SECTION_ENVELOPE - 4)];
        if (Positional.read(ch, body, offset + Format.SECTION_ENVELOPE, body.length) < body.length) {
            throw new CorruptDataException("archive ends inside section " + typeName(magic), offset, -1);
        }
        return body;
    }

    /** Whether this is the encryption section or the authentication section of an encrypted archive. */
    public boolean crypto() {
        return magic == Format.SECTION_ENCRYPTION || magic == Format.SECTION_AUTH;
    }

    /** Whether this is the recovery section. */
    public boolean recovery() {
        return magic == Format.SECTION_RECOVERY;
    }
}
