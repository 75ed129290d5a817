package dev.mmh.archive.tar;

import dev.mmh.CorruptDataException;
import dev.mmh.archive.format.EntryType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tar stream front to back: POSIX ustar headers, pax extended headers (per entry and global: path,
 * linkpath, size, mtime with nanoseconds, uid, gid, uname, gname, {@code SCHILY.xattr.*}, GNU sparse format 1.0),
 * GNU long names and link names ({@code L}, {@code K}) and base-256 numbers. {@link #next()} gives the next entry;
 * {@link #content()} then reads its data (for a sparse file: the data regions, in order, with {@link #sparseMap()}
 * saying where they go). Every header is checked (checksum, octal fields, sizes against limits) and failures name
 * the entry and its offset in the stream. Not thread-safe.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** Longest pax header or GNU long name this reader reads into memory. */
    private static final int MAX_META = 1 << 20;
    private static final int MAX_SPARSE_REGIONS = 1 << 20;

    /** One entry: its path and link target as stored (bytes), type and metadata. */
    public record Header(byte[] path, EntryType type, int mode, long uid, long gid, String uname, String gname,
            long size, long mtimeSeconds, int mtimeNanos, byte[] linkTarget, long major, long minor,
            Map<String, byte[]> xattrs, long offset, boolean sparse, long realSize) {
        /** The path for messages. */
        public String shown() {
            return dev.mmh.archive.format.Names.display(path);
        }
    }

    private final InputStream in;
    private long pos;
    private long left; // data bytes of the current entry not yet read
    private long pad;
    private final Map<String, byte[]> global = new LinkedHashMap<>();
    private long[] sparseMap; // offset, length pairs of the current sparse entry
    private int regionIndex;
    private long regionLeft;
    private boolean done;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or {@code null} at the end of the archive; skips what was left of the previous one's data. */
    public Header next() throws IOException {
        skip(left + pad);
        left = 0;
        pad = 0;
        sparseMap = null;
        if (done) {
            return null;
        }
        Map<String, byte[]> pax = new LinkedHashMap<>(global);
        byte[] longName = null;
        byte[] longLink = null;
        while (true) {
            long at = pos;
            byte[] h = new byte[BLOCK];
            int n = readUpTo(h);
            if (n == 0) {
                // a tar ends with two zero blocks: without them it was cut off (or never finished)
                throw new CorruptDataException("tar stream ends without its end-of-archive blocks (truncated?)", at, -1);
            }
            if (n < BLOCK) {
                throw new CorruptDataException("tar stream ends inside a header", at, -1);
            }
            if (allZero(h)) {
                done = true;
                return null;
            }
            checkSum(h, at);
            int flag = h[156] & 0xff;
            long size = number(h, 124, 12, "size", at);
            switch (flag) {
                case 'x', 'g' -> {
                    Map<String, byte[]> recs = pax(readMeta(size, at), at);
                    if (flag == 'g') {
                        global.putAll(recs);
                        pax.putAll(recs);
                    } else {
                        pax.putAll(recs);
                    }
                    continue;
                }
                case 'L' -> {
                    longName = cString(readMeta(size, at));
                    continue;
                }
                case 'K' -> {
                    longLink = cString(readMeta(size, at));
                    continue;
                }
                default -> {
                }
            }
            return header(h, flag, size, pax, longName, longLink, at);
        }
    }

    private Header header(byte[] h, int flag, long size, Map<String, byte[]> pax, byte[] longName, byte[] longLink,
            long at) throws IOException {
        byte[] path;
        if (pax.containsKey("path")) {
            path = pax.get("path");
        } else if (longName != null) {
            path = longName;
        } else {
            byte[] name = field(h, 0, 100);
            boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
            boolean gnu = ustar && h[262] == ' ';
            byte[] prefix = ustar && !gnu ? field(h, 345, 155) : new byte[0];
            path = prefix.length == 0 ? name : join(prefix, name);
        }
        byte[] link = pax.containsKey("linkpath") ? pax.get("linkpath") : longLink != null ? longLink : field(h, 157, 100);
        EntryType type = switch (flag) {
            case '0', 0, '7' -> EntryType.FILE;
            case '1' -> EntryType.HARDLINK;
            case '2' -> EntryType.SYMLINK;
            case '3' -> EntryType.CHAR_DEVICE;
            case '4' -> EntryType.BLOCK_DEVICE;
            case '5' -> EntryType.DIRECTORY;
            case '6' -> EntryType.FIFO;
            default -> null;
        };
        if (type == null) {
            throw new dev.mmh.UnsupportedFormatException("tar entry " + dev.mmh.archive.format.Names.display(path)
                    + " at offset " + at + ": unsupported type '" + (char) flag + "'");
        }
        if (type == EntryType.FILE && path.length > 0 && path[path.length - 1] == '/') {
            type = EntryType.DIRECTORY; // old tars mark directories by a trailing slash only
        }
        int mode = (int) (number(h, 100, 8, "mode", at) & 07777);
        long uid = pax.containsKey("uid") ? decimal(pax.get("uid"), "uid", at) : number(h, 108, 8, "uid", at);
        long gid = pax.containsKey("gid") ? decimal(pax.get("gid"), "gid", at) : number(h, 116, 8, "gid", at);
        if (pax.containsKey("size")) {
            size = decimal(pax.get("size"), "size", at);
        }
        long sec;
        int nanos = 0;
        if (pax.containsKey("mtime")) {
            String t = new String(pax.get("mtime"), StandardCharsets.US_ASCII);
            boolean negative = t.startsWith("-");
            String u = negative ? t.substring(1) : t;
            int dot = u.indexOf('.');
            sec = decimal((dot < 0 ? u : u.substring(0, dot)).getBytes(StandardCharsets.US_ASCII), "mtime", at);
            if (dot >= 0) {
                String frac = (u.substring(dot + 1) + "000000000").substring(0, 9);
                if (!frac.chars().allMatch(Character::isDigit)) {
                    throw new CorruptDataException("tar entry mtime " + t + " is not a number", at, -1);
                }
                nanos = Integer.parseInt(frac);
            }
            if (negative) { // "-1.25" is 1.25 s before the epoch: second -2, plus 0.75
                sec = -sec;
                if (nanos > 0) {
                    sec -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
            }
        } else {
            sec = number(h, 136, 12, "mtime", at);
        }
        String uname = pax.containsKey("uname") ? new String(pax.get("uname"), StandardCharsets.UTF_8)
                : new String(field(h, 265, 32), StandardCharsets.UTF_8);
        String gname = pax.containsKey("gname") ? new String(pax.get("gname"), StandardCharsets.UTF_8)
                : new String(field(h, 297, 32), StandardCharsets.UTF_8);
        long major = type.isDevice() ? number(h, 329, 8, "devmajor", at) : 0;
        long minor = type.isDevice() ? number(h, 337, 8, "devminor", at) : 0;
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            if (e.getKey().startsWith("SCHILY.xattr.")) {
                xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
            }
        }
        // whatever the type, 'size' bytes of data follow (zero for links and devices as tars write them): skipping
        // them keeps the reader in step with the stream
        left = size;
        pad = (BLOCK - left % BLOCK) % BLOCK;
        boolean sparse = false;
        long real = size;
        if (type == EntryType.FILE && pax.containsKey("GNU.sparse.major")) {
            String maj = new String(pax.get("GNU.sparse.major"), StandardCharsets.US_ASCII);
            String min = new String(pax.getOrDefault("GNU.sparse.minor", new byte[] {'0'}), StandardCharsets.US_ASCII);
            if (!maj.equals("1") || !min.equals("0")) {
                throw new dev.mmh.UnsupportedFormatException("tar entry at offset " + at + ": GNU sparse format "
                        + maj + "." + min + " (only 1.0 is read)");
            }
            if (pax.containsKey("GNU.sparse.name")) {
                path = pax.get("GNU.sparse.name");
            }
            real = decimal(pax.getOrDefault("GNU.sparse.realsize", new byte[] {'0'}), "sparse real size", at);
            sparse = true;
            readSparseMap(at, real);
        }
        if (type == EntryType.FILE && !sparse) {
            real = size;
        }
        return new Header(path, type, mode, uid, gid, uname, gname, type == EntryType.FILE ? real : 0, sec, nanos,
                type == EntryType.HARDLINK || type == EntryType.SYMLINK ? link : null, major, minor, xattrs, at,
                sparse, real);
    }

    /** GNU sparse 1.0: the data starts with decimal lines (count, then offset/length pairs), padded to a block. */
    private void readSparseMap(long at, long real) throws IOException {
        StringBuilder line = new StringBuilder();
        long consumed = 0;
        List<Long> nums = new ArrayList<>();
        long count = -1;
        while (count < 0 || nums.size() < 2 * count) {
            int c = readDataByte(at);
            consumed++;
            if (c == '\n') {
                if (line.length() == 0 || line.length() > 20) {
                    throw new CorruptDataException("tar sparse map line is not a number", at, -1);
                }
                long v = decimal(line.toString().getBytes(StandardCharsets.US_ASCII), "sparse map", at);
                line.setLength(0);
                if (count < 0) {
                    if (v > MAX_SPARSE_REGIONS) {
                        throw new dev.mmh.LimitExceededException("tar sparse map regions", v, MAX_SPARSE_REGIONS);
                    }
                    count = v;
                } else {
                    nums.add(v);
                }
            } else {
                line.append((char) c);
            }
        }
        long fill = (BLOCK - consumed % BLOCK) % BLOCK;
        for (long i = 0; i < fill; i++) {
            readDataByte(at);
        }
        sparseMap = new long[nums.size()];
        long end = 0;
        long data = 0;
        for (int i = 0; i < nums.size(); i += 2) {
            long off = nums.get(i);
            long len = nums.get(i + 1);
            if (off < end || len < 0 || off + len > real || off + len < 0) {
                throw new CorruptDataException("tar sparse map region " + off + "+" + len + " is out of order or past "
                        + "the size " + real, at, -1);
            }
            sparseMap[i] = off;
            sparseMap[i + 1] = len;
            end = off + len;
            data += len;
        }
        long padded = 0;
        for (int i = 1; i < sparseMap.length; i += 2) {
            padded += sparseMap[i] + (BLOCK - sparseMap[i] % BLOCK) % BLOCK; // each region starts on a block
        }
        if (padded != left) {
            throw new CorruptDataException("tar sparse map holds " + data + " bytes (" + padded + " in blocks), the "
                    + "entry " + left, at, -1);
        }
        regionIndex = 0;
        regionLeft = sparseMap.length > 0 ? sparseMap[1] : 0;
    }

    private int readDataByte(long at) throws IOException {
        if (left <= 0) {
            throw new CorruptDataException("tar sparse map runs past the entry's data", at, -1);
        }
        int c = in.read();
        if (c < 0) {
            throw new CorruptDataException("tar stream ends inside an entry", pos, -1);
        }
        pos++;
        left--;
        return c;
    }

    /** For a sparse entry: where its data regions go (offset, length pairs, in order); else {@code null}. */
    public long[] sparseMap() {
        return sparseMap == null ? null : sparseMap.clone();
    }

    /** The current entry's data (for a sparse entry, its regions back to back); ends at the entry's end. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sparseMap != null) {
                    while (regionLeft == 0) {
                        if (regionIndex >= sparseMap.length) {
                            return -1;
                        }
                        // past a region: skip its padding to the next block, then start the next region
                        long r = sparseMap[regionIndex + 1];
                        long fill = (BLOCK - r % BLOCK) % BLOCK;
                        skip(fill);
                        left -= fill;
                        regionIndex += 2;
                        regionLeft = regionIndex < sparseMap.length ? sparseMap[regionIndex + 1] : 0;
                        if (regionIndex >= sparseMap.length) {
                            return -1;
                        }
                    }
                    len = (int) Math.min(len, regionLeft);
                }
                if (left == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new CorruptDataException("tar stream ends inside an entry's data", pos, -1);
                }
                pos += n;
                left -= n;
                if (sparseMap != null) {
                    regionLeft -= n;
                }
                return n;
            }
        };
    }

    private byte[] readMeta(long size, long at) throws IOException {
        if (size > MAX_META) {
            throw new dev.mmh.LimitExceededException("tar extended header at offset " + at, size, MAX_META);
        }
        byte[] b = new byte[(int) size];
        if (in.readNBytes(b, 0, b.length) != b.length) {
            throw new CorruptDataException("tar stream ends inside an extended header", at, -1);
        }
        pos += size;
        skip((BLOCK - size % BLOCK) % BLOCK);
        return b;
    }

    /** Parses pax records: "LEN KEY=VALUE\n", LEN counting the whole record. */
    private static Map<String, byte[]> pax(byte[] b, long at) throws CorruptDataException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        int i = 0;
        while (i < b.length) {
            int sp = i;
            while (sp < b.length && b[sp] != ' ') {
                sp++;
            }
            if (sp == i || sp == b.length || sp - i > 10) {
                throw new CorruptDataException("tar pax record without a length", at, -1);
            }
            int len = 0;
            for (int k = i; k < sp; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    throw new CorruptDataException("tar pax record length is not a number", at, -1);
                }
                len = len * 10 + (b[k] - '0');
            }
            int end = i + len;
            if (len <= sp - i + 1 || end > b.length || b[end - 1] != '\n') {
                throw new CorruptDataException("tar pax record of length " + len + " does not fit", at, -1);
            }
            int eq = sp + 1;
            while (eq < end - 1 && b[eq] != '=') {
                eq++;
            }
            if (eq == end - 1) {
                throw new CorruptDataException("tar pax record without '='", at, -1);
            }
            String key = new String(b, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            m.put(key, Arrays.copyOfRange(b, eq + 1, end - 1));
            i = end;
        }
        return m;
    }

    /** A numeric header field: octal (spaces and NULs around it), or base-256 when the first byte has bit 7 set. */
    static long number(byte[] h, int off, int len, String what, long at) throws CorruptDataException {
        if ((h[off] & 0x80) != 0) {
            if ((h[off] & 0x40) != 0) {
                throw new CorruptDataException("tar " + what + " is a negative base-256 number", at, -1);
            }
            long v = h[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if (v >>> 55 != 0) {
                    throw new CorruptDataException("tar " + what + " is too large", at, -1);
                }
                v = v << 8 | h[off + i] & 0xff;
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        long v = 0;
        boolean any = false;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            if (v >>> 60 != 0) {
                throw new CorruptDataException("tar " + what + " is too large", at, -1);
            }
            v = v << 3 | (h[i] - '0');
            any = true;
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new CorruptDataException("tar " + what + " field is not an octal number", at, -1);
            }
        }
        return any ? v : 0;
    }

    private static long decimal(byte[] b, String what, long at) throws CorruptDataException {
        if (b.length == 0 || b.length > 19) {
            throw new CorruptDataException("tar " + what + " is not a decimal number", at, -1);
        }
        long v = 0;
        for (byte x : b) {
            if (x < '0' || x > '9') {
                throw new CorruptDataException("tar " + what + " is not a decimal number", at, -1);
            }
            v = v * 10 + (x - '0');
        }
        return v;
    }

    private static void checkSum(byte[] h, long at) throws CorruptDataException {
        long stored = number(h, 148, 8, "checksum", at);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new CorruptDataException("tar header checksum " + stored + " does not match " + unsigned
                    + " (not a tar stream, or damaged)", at, -1);
        }
    }

    private static byte[] field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(h, off, end);
    }

    private static byte[] cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return Arrays.copyOf(b, end);
    }

    private static byte[] join(byte[] prefix, byte[] name) {
        byte[] p = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        p[prefix.length] = '/';
        System.arraycopy(name, 0, p, prefix.length + 1, name.length);
        return p;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private int readUpTo(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        pos += n;
        return n;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new CorruptDataException("tar stream ends inside an entry", pos, -1);
                }
                s = 1;
            }
            n -= s;
            pos += s;
        }
    }
}
