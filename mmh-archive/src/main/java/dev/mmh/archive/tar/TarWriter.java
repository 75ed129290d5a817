package dev.mmh.archive.tar;

import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Owner;
import dev.mmh.archive.format.Xattr;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX pax tar stream (the format GNU tar writes with {@code --format=pax}): a ustar header per entry,
 * preceded by a pax extended header when a field does not fit (long paths and link targets, times with
 * nanoseconds or before 1970, large ids and sizes, long owner names, extended attributes as
 * {@code SCHILY.xattr.*}); sparse files in GNU sparse format 1.0. The output depends only on the entries given:
 * no time of writing, no host owner. Not thread-safe.
 */
public final class TarWriter {
    private static final int BLOCK = 512;
    private final OutputStream out;
    private long written;
    private long fileLeft = -1;
    private long[] sparseRegions;
    private int sparseIndex;
    private long regionLeft;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory ({@code path} without a trailing slash). */
    public void directory(byte[] path, Entry meta) throws IOException {
        byte[] p = Arrays.copyOf(path, path.length + 1);
        p[path.length] = '/';
        header(p, meta, '5', 0, null, null);
    }

    /** A file of {@code size} bytes: its data follows through {@link #write} and ends with {@link #endFile()}. */
    public void file(byte[] path, Entry meta, long size) throws IOException {
        header(path, meta, '0', size, null, null);
        fileLeft = size;
    }

    /**
     * A sparse file of {@code realSize} bytes whose data regions are {@code regions} (offset, length pairs in order):
     * the regions' bytes follow through {@link #write}, back to back, and end with {@link #endFile()}.
     */
    public void sparseFile(byte[] path, Entry meta, long realSize, long[] regions) throws IOException {
        StringBuilder map = new StringBuilder();
        map.append(regions.length / 2).append('\n');
        long data = 0;
        for (int i = 0; i < regions.length; i += 2) {
            map.append(regions[i]).append('\n').append(regions[i + 1]).append('\n');
            data += regions[i + 1] + (BLOCK - regions[i + 1] % BLOCK) % BLOCK; // GNU tar starts each region on a block
        }
        byte[] m = map.toString().getBytes(StandardCharsets.US_ASCII);
        long mapLen = m.length + (BLOCK - m.length % BLOCK) % BLOCK;
        // GNU tar's name for the header of a sparse file: DIR/GNUSparseFile.0/NAME
        int slash = lastSlash(path);
        byte[] dir = slash < 0 ? ".".getBytes(StandardCharsets.US_ASCII) : Arrays.copyOf(path, slash);
        byte[] name = slash < 0 ? path : Arrays.copyOfRange(path, slash + 1, path.length);
        byte[] shown = concat(concat(dir, "/GNUSparseFile.0/".getBytes(StandardCharsets.US_ASCII)), name);
        header(shown, meta, '0', mapLen + data, path, new String[] {"GNU.sparse.major", "1", "GNU.sparse.minor", "0",
            "GNU.sparse.realsize", Long.toString(realSize)});
        out.write(m);
        out.write(new byte[(int) (mapLen - m.length)]);
        written += mapLen;
        fileLeft = data;
        sparseRegions = regions.clone();
        sparseIndex = 0;
        regionLeft = regions.length > 0 ? regions[1] : 0;
    }

    public void write(byte[] b, int off, int len) throws IOException {
        if (sparseRegions != null) {
            while (len > 0) {
                if (regionLeft == 0) {
                    throw new IllegalStateException("more data than the sparse file's regions");
                }
                int n = (int) Math.min(len, regionLeft);
                out.write(b, off, n);
                written += n;
                fileLeft -= n;
                regionLeft -= n;
                off += n;
                len -= n;
                if (regionLeft == 0) {
                    long r = sparseRegions[sparseIndex + 1];
                    int fill = (int) ((BLOCK - r % BLOCK) % BLOCK);
                    out.write(new byte[fill]);
                    written += fill;
                    fileLeft -= fill;
                    sparseIndex += 2;
                    regionLeft = sparseIndex < sparseRegions.length ? sparseRegions[sparseIndex + 1] : 0;
                }
            }
            return;
        }
        if (len > fileLeft) {
            throw new IllegalStateException("more data than the entry's size");
        }
        out.write(b, off, len);
        written += len;
        fileLeft -= len;
    }

    /** Pads the file's data to a block. */
    public void endFile() throws IOException {
        if (fileLeft != 0) {
            throw new IllegalStateException(fileLeft + " bytes of the entry were not written");
        }
        pad();
        fileLeft = -1;
        sparseRegions = null;
    }

    public void symlink(byte[] path, Entry meta) throws IOException {
        header(path, meta, '2', 0, null, null);
    }

    /** A hard link to {@code target}, an earlier entry's path. */
    public void hardlink(byte[] path, Entry meta, byte[] target) throws IOException {
        header(path, meta, '1', 0, null, null, target);
    }

    /** A FIFO or a device file. */
    public void special(byte[] path, Entry meta) throws IOException {
        int flag = switch (meta.type()) {
            case FIFO -> '6';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            default -> throw new IllegalArgumentException(meta.type() + " is not special");
        };
        header(path, meta, flag, 0, null, null);
    }

    /** The end of the archive: two zero blocks, then zeros to a 10 KiB record as tar writes. */
    public void finish() throws IOException {
        byte[] zero = new byte[BLOCK];
        out.write(zero);
        out.write(zero);
        written += 2 * BLOCK;
        long record = 20L * BLOCK;
        long fill = (record - written % record) % record;
        out.write(new byte[(int) fill]);
        written += fill;
        out.flush();
    }

    private void header(byte[] path, Entry meta, int flag, long size, byte[] realName, String[] extraPax)
            throws IOException {
        header(path, meta, flag, size, realName, extraPax, meta.type() == EntryType.SYMLINK ? meta.target() : null);
    }

    private void header(byte[] path, Entry meta, int flag, long size, byte[] realName, String[] extraPax, byte[] link)
            throws IOException {
        Pax pax = new Pax();
        if (extraPax != null) {
            for (int i = 0; i < extraPax.length; i += 2) {
                pax.add(extraPax[i], extraPax[i + 1].getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (realName != null) {
            pax.add("GNU.sparse.name", realName);
        }
        byte[] h = new byte[BLOCK];
        byte[] name = path;
        byte[] prefix = new byte[0];
        if (path.length > 100) {
            int split = splitPoint(path);
            if (split < 0) {
                pax.add("path", path);
                name = Arrays.copyOf(path, 100);
            } else {
                prefix = Arrays.copyOf(path, split);
                name = Arrays.copyOfRange(path, split + 1, path.length);
            }
        }
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        octal(h, 100, 8, meta.mode() & 07777);
        Owner w = meta.owner();
        long uid = w == null ? 0 : w.uid();
        long gid = w == null ? 0 : w.gid();
        if (!octal(h, 108, 8, uid)) {
            pax.add("uid", Long.toString(uid).getBytes(StandardCharsets.US_ASCII));
        }
        if (!octal(h, 116, 8, gid)) {
            pax.add("gid", Long.toString(gid).getBytes(StandardCharsets.US_ASCII));
        }
        if (!octal(h, 124, 12, size)) {
            pax.add("size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
        }
        long sec = meta.mtimeSeconds();
        int nanos = meta.mtimeNanos();
        if (nanos != 0 || sec < 0 || !octal(h, 136, 12, sec)) {
            octal(h, 136, 12, Math.max(0, Math.min(sec, 077777777777L)));
            pax.add("mtime", paxTime(sec, nanos).getBytes(StandardCharsets.US_ASCII));
        }
        h[156] = (byte) flag;
        if (link != null) {
            if (link.length > 100) {
                pax.add("linkpath", link);
            }
            System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
        }
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        if (w != null) {
            byte[] u = w.user();
            byte[] g = w.group();
            if (u.length > 31) {
                pax.add("uname", u);
            }
            if (g.length > 31) {
                pax.add("gname", g);
            }
            System.arraycopy(u, 0, h, 265, Math.min(31, u.length));
            System.arraycopy(g, 0, h, 297, Math.min(31, g.length));
        }
        if (meta.type().isDevice()) {
            octal(h, 329, 8, meta.major());
            octal(h, 337, 8, meta.minor());
        }
        System.arraycopy(prefix, 0, h, 345, prefix.length);
        for (Xattr x : meta.xattrs()) {
            pax.add("SCHILY.xattr." + new String(x.name(), StandardCharsets.UTF_8), x.value());
        }
        if (pax.size() > 0) {
            byte[] body = pax.bytes();
            byte[] ph = new byte[BLOCK];
            // GNU tar's name for extended headers: DIR/PaxHeaders/NAME, cut to fit
            byte[] pn = concat("PaxHeaders/".getBytes(StandardCharsets.US_ASCII), baseName(path));
            System.arraycopy(pn, 0, ph, 0, Math.min(100, pn.length));
            octal(ph, 100, 8, 0644);
            octal(ph, 108, 8, 0);
            octal(ph, 116, 8, 0);
            octal(ph, 124, 12, body.length);
            octal(ph, 136, 12, 0);
            ph[156] = 'x';
            System.arraycopy(h, 257, ph, 257, 8);
            checksum(ph);
            out.write(ph);
            out.write(body);
            written += BLOCK + body.length;
            pad();
        }
        checksum(h);
        out.write(h);
        written += BLOCK;
    }

    private static String paxTime(long sec, int nanos) {
        if (nanos == 0) {
            return Long.toString(sec);
        }
        String frac = String.format("%09d", nanos).replaceAll("0+$", "");
        if (sec >= 0) {
            return sec + "." + frac;
        }
        // -1.25 means 1.25 s before the epoch: seconds -2 plus 0.75
        long whole = sec + 1;
        String f = String.format("%09d", 1_000_000_000 - nanos).replaceAll("0+$", "");
        return (whole == 0 ? "-0" : Long.toString(whole)) + "." + f;
    }

    private void pad() throws IOException {
        int fill = (int) ((BLOCK - written % BLOCK) % BLOCK);
        out.write(new byte[fill]);
        written += fill;
    }

    /** Where a long path splits into a ustar prefix (up to 155 bytes) and name (up to 100), or -1. */
    private static int splitPoint(byte[] p) {
        for (int i = Math.min(155, p.length - 1); i > 0; i--) {
            if (p[i] == '/' && p.length - i - 1 <= 100 && p.length - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (v < 0 || s.length() > len - 1) {
            return false;
        }
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
        return true;
    }

    private static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String s = String.format("%06o", sum);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }

    private static int lastSlash(byte[] p) {
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] baseName(byte[] p) {
        int s = lastSlash(p);
        return s < 0 ? p : Arrays.copyOfRange(p, s + 1, p.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Pax records: "LEN KEY=VALUE\n" where LEN counts the whole record, its own digits included. */
    private static final class Pax {
        private final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        private int count;

        void add(String key, byte[] value) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            int rest = 1 + k.length + 1 + value.length + 1; // ' ' key '=' value '\n'
            int len = rest + 1;
            while (Integer.toString(len).length() + rest != len) {
                len = Integer.toString(len).length() + rest;
            }
            b.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
            b.write(' ');
            b.writeBytes(k);
            b.write('=');
            b.writeBytes(value);
            b.write('\n');
            count++;
        }

        int size() {
            return count;
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }
}
