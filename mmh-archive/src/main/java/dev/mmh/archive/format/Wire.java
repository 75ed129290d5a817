package dev.mmh.archive.format;

import dev.mmh.CorruptDataException;
import dev.mmh.UnsupportedFormatException;
import java.util.Arrays;

/**
 * The encodings of folder-archive records (docs/FORMAT.md, "Folder archives"): unsigned LEB128 ({@code varint}),
 * zigzag LEB128 ({@code svarint}), length-prefixed byte strings and fixed 32-byte IDs. {@link Out} appends to a
 * growable array; {@link In} reads a bounded range and fails with a {@link CorruptDataException} naming what it was
 * reading at the first byte that does not fit. Neither is thread-safe.
 */
public final class Wire {
    private Wire() {
    }

    /** Appends encoded fields to a growing array. */
    public static final class Out {
        private byte[] b;
        private int n;

        public Out() {
            this(256);
        }

        public Out(int capacity) {
            b = new byte[Math.max(16, capacity)];
        }

        private void room(int more) {
            if (n + more > b.length) {
                long want = Math.max((long) b.length * 2, (long) n + more);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("record over 2 GiB");
                }
                b = Arrays.copyOf(b, (int) want);
            }
        }

        public Out u8(int v) {
            room(1);
            b[n++] = (byte) v;
            return this;
        }

        /** Unsigned LEB128 of a non-negative value. */
        public Out varint(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative varint " + v);
            }
            room(10);
            while ((v & ~0x7fL) != 0) {
                b[n++] = (byte) (v & 0x7f | 0x80);
                v >>>= 7;
            }
            b[n++] = (byte) v;
            return this;
        }

        /** Zigzag LEB128 of any value. */
        public Out svarint(long v) {
            room(10);
            long z = v << 1 ^ v >> 63;
            while ((z & ~0x7fL) != 0) {
                b[n++] = (byte) (z & 0x7f | 0x80);
                z >>>= 7;
            }
            b[n++] = (byte) z;
            return this;
        }

        public Out u32(int v) {
            room(4);
            for (int i = 0; i < 4; i++) {
                b[n++] = (byte) (v >>> 8 * i);
            }
            return this;
        }

        public Out u64(long v) {
            room(8);
            for (int i = 0; i < 8; i++) {
                b[n++] = (byte) (v >>> 8 * i);
            }
            return this;
        }

        public Out raw(byte[] src) {
            return raw(src, 0, src.length);
        }

        public Out raw(byte[] src, int off, int len) {
            room(len);
            System.arraycopy(src, off, b, n, len);
            n += len;
            return this;
        }

        /** A {@code varint} length, then the bytes. */
        public Out bytes(byte[] src) {
            return varint(src.length).raw(src);
        }

        public int size() {
            return n;
        }

        /** The bytes written, in an array of exactly {@link #size()} bytes. */
        public byte[] toByteArray() {
            return Arrays.copyOf(b, n);
        }

        /** Forgets what was written, keeping the array. */
        public void reset() {
            n = 0;
        }

        /** The internal array (valid up to {@link #size()}) until the next write. */
        public byte[] array() {
            return b;
        }
    }

    /** Reads encoded fields from {@code b[off, end)}, failing on the first field that does not fit. */
    public static final class In {
        private final byte[] b;
        private final int end;
        private final String what;
        private int pos;

        /** @param what names the record in error messages, e.g. {@code "tree 3fa2c9d1e0b4"} */
        public In(byte[] b, int off, int len, String what) {
            if (off < 0 || len < 0 || off > b.length - len) {
                throw new IndexOutOfBoundsException("range " + off + "+" + len + " of " + b.length);
            }
            this.b = b;
            this.pos = off;
            this.end = off + len;
            this.what = what;
        }

        public In(byte[] b, String what) {
            this(b, 0, b.length, what);
        }

        /** A {@link CorruptDataException} about the record at the current position. */
        public CorruptDataException corrupt(String reason) {
            return new CorruptDataException(what + ": " + reason, -1, -1);
        }

        /**
         * An {@link UnsupportedFormatException} about the record: an intact field set to what only a newer writer
         * knows (docs/FORMAT.md, "Principles").
         */
        public UnsupportedFormatException unsupported(String reason) {
            return new UnsupportedFormatException(what + ": " + reason);
        }

        private void need(long n, String field) throws CorruptDataException {
            if (n > end - pos) {
                throw corrupt(field + " runs past the end of the record");
            }
        }

        public int u8(String field) throws CorruptDataException {
            need(1, field);
            return b[pos++] & 0xff;
        }

        /** An unsigned LEB128 value of at most 63 bits; overlong encodings are refused. */
        public long varint(String field) throws CorruptDataException {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= end) {
                    throw corrupt(field + " runs past the end of the record");
                }
                int x = b[pos++];
                if (shift == 63 && (x & 0xfe) != 0) {
                    throw corrupt(field + " does not fit 63 bits");
                }
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    if (x == 0 && shift > 0) {
                        throw corrupt(field + " has an overlong encoding");
                    }
                    if (v < 0) {
                        throw corrupt(field + " does not fit 63 bits");
                    }
                    return v;
                }
            }
        }

        /** A {@code varint} no larger than {@code max}. */
        public long varint(String field, long max) throws CorruptDataException {
            long v = varint(field);
            if (v > max) {
                throw corrupt(field + " " + v + " is over the limit of " + max);
            }
            return v;
        }

        /** A {@code varint} that fits an int and is no larger than {@code max}. */
        public int count(String field, int max) throws CorruptDataException {
            return (int) varint(field, max);
        }

        public long svarint(String field) throws CorruptDataException {
            long z = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= end) {
                    throw corrupt(field + " runs past the end of the record");
                }
                int x = b[pos++];
                if (shift == 63 && (x & 0xfe) != 0) {
                    throw corrupt(field + " does not fit 64 bits");
                }
                z |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    if (x == 0 && shift > 0) {
                        throw corrupt(field + " has an overlong encoding");
                    }
                    return z >>> 1 ^ -(z & 1);
                }
            }
        }

        public int u32(String field) throws CorruptDataException {
            need(4, field);
            int v = 0;
            for (int i = 3; i >= 0; i--) {
                v = v << 8 | b[pos + i] & 0xff;
            }
            pos += 4;
            return v;
        }

        public long u64(String field) throws CorruptDataException {
            need(8, field);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | b[pos + i] & 0xff;
            }
            pos += 8;
            return v;
        }

        /** Exactly {@code n} bytes. */
        public byte[] raw(int n, String field) throws CorruptDataException {
            need(n, field);
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        /** A {@code varint} length of at most {@code max}, then that many bytes. */
        public byte[] bytes(String field, int max) throws CorruptDataException {
            int n = count(field + " length", max);
            return raw(n, field);
        }

        public BlobId id(String field) throws CorruptDataException {
            need(BlobId.LENGTH, field);
            BlobId id = BlobId.of(b, pos);
            pos += BlobId.LENGTH;
            return id;
        }

        public boolean atEnd() {
            return pos == end;
        }

        /** Fails unless every byte of the record was read. */
        public void end() throws CorruptDataException {
            if (pos != end) {
                throw corrupt((end - pos) + " bytes after the last field");
            }
        }

        public int position() {
            return pos;
        }
    }
}
