package dev.mmh.crypto.age;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * age's ASCII armor: strict PEM (RFC 7468 section 3) with the label {@code AGE ENCRYPTED FILE}, padded base64 in
 * lines of 64 columns, the last one shorter or full. The reader accepts whitespace before and after the block and LF
 * or CRLF line ends, and nothing else: no headers, no checksum, no spaces inside, canonical base64 only (the
 * CCTV armor vectors hold it to that).
 */
public final class Armor {
    static final String BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    static final String END = "-----END AGE ENCRYPTED FILE-----";
    private static final int LINE_BYTES = 48;
    private static final int COLUMNS = 64;

    private Armor() {
    }

    /**
     * Whether a file starting with {@code b[0, n)} is to be read as armor: it does not start like a binary age file,
     * and it is text (printable ASCII and whitespace), so that bad armor is reported as bad armor.
     */
    public static boolean isArmor(byte[] b, int n) {
        byte[] binary = AgeHeader.PREFIX.getBytes(StandardCharsets.US_ASCII);
        int k = 0;
        while (k < binary.length && k < n && b[k] == binary[k]) {
            k++;
        }
        if (k == Math.min(n, binary.length)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isSpace(b[i]) && (b[i] < 0x20 || b[i] > 0x7e)) {
                return false;
            }
        }
        return n > 0;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * An output stream that armors what is written to it; {@link Writer#finish} (or {@code close}, which also closes
     * {@code out}) writes the last line and the end line.
     */
    public static Writer writer(OutputStream out) throws IOException {
        return new Writer(out);
    }

    /** An input stream of the bytes the armored {@code in} encodes; throws {@link AgeArmorException} on bad armor. */
    public static InputStream reader(InputStream in) {
        return new Reader(in);
    }

    /** See {@link Armor#writer}. Not thread-safe. */
    public static final class Writer extends FilterOutputStream {
        private final byte[] line = new byte[LINE_BYTES];
        private int n;
        private boolean finished;
        private final Base64.Encoder enc = Base64.getEncoder();
        private final Base64.Encoder lines = Base64.getMimeEncoder(COLUMNS, new byte[] {'\n'});

        Writer(OutputStream out) throws IOException {
            super(out);
            out.write((BEGIN + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (finished) {
                throw new IOException("armor already finished");
            }
            if (n > 0) {
                int k = Math.min(len, LINE_BYTES - n);
                System.arraycopy(b, off, line, n, k);
                n += k;
                off += k;
                len -= k;
                if (n < LINE_BYTES) {
                    return;
                }
                out.write(enc.encode(line));
                out.write('\n');
                n = 0;
            }
            while (len >= LINE_BYTES) {
                // whole lines at once: 48 bytes are 64 columns without padding
                int k = Math.min(len / LINE_BYTES, 1024) * LINE_BYTES;
                out.write(lines.encode(java.util.Arrays.copyOfRange(b, off, off + k)));
                out.write('\n');
                off += k;
                len -= k;
            }
            System.arraycopy(b, off, line, 0, len);
            n = len;
        }

        /** Writes the last line and the end line; the stream takes no more bytes. */
        public void finish() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            StringBuilder s = new StringBuilder();
            if (n > 0) {
                s.append(enc.encodeToString(java.util.Arrays.copyOf(line, n))).append('\n');
            }
            s.append(END).append('\n');
            out.write(s.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                finish();
            } finally {
                out.close();
            }
        }
    }

    /** See {@link Armor#reader}. Not thread-safe. */
    private static final class Reader extends InputStream {
        private final InputStream in;
        private final byte[] decoded = new byte[LINE_BYTES];
        private int pos;
        private int len;
        private long lineNo;
        private boolean begun;
        private boolean ended;
        /** The last data line was shorter than 64 columns or padded: only the end line may follow. */
        private boolean sawLast;
        private final Base64.Decoder dec = Base64.getDecoder();

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int r = read(b, 0, 1);
            return r < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            int done = 0;
            while (done < n) {
                if (pos == len) {
                    if (ended || !nextLine()) {
                        break;
                    }
                    continue;
                }
                int k = Math.min(n - done, len - pos);
                System.arraycopy(decoded, pos, b, off + done, k);
                pos += k;
                done += k;
            }
            return done == 0 ? -1 : done;
        }

        /** Reads the next line; false at the end line. */
        private boolean nextLine() throws IOException {
            if (!begun) {
                int c = in.read();
                while (c >= 0 && isSpace(c)) {
                    c = in.read();
                }
                String first = c < 0 ? "" : (char) c + line(COLUMNS);
                lineNo = 1;
                if (!first.equals(BEGIN)) {
                    throw new AgeArmorException(c < 0 ? "empty input" : "the first line is not " + BEGIN, lineNo);
                }
                begun = true;
            }
            String l = line(COLUMNS);
            lineNo++;
            if (l == null) {
                throw new AgeArmorException("no end line", lineNo);
            }
            if (l.equals(END)) {
                ended = true;
                int c;
                while ((c = in.read()) >= 0) {
                    if (!isSpace(c)) {
                        throw new AgeArmorException("data after the end line", lineNo);
                    }
                }
                return false;
            }
            if (sawLast) {
                throw new AgeArmorException("a line after the short or padded last line", lineNo);
            }
            if (l.isEmpty() || l.length() % 4 != 0) {
                throw new AgeArmorException(l.isEmpty() ? "an empty line" : "a line of " + l.length()
                        + " columns (64, or a multiple of 4 for the last)", lineNo);
            }
            int pad = l.endsWith("==") ? 2 : l.endsWith("=") ? 1 : 0;
            for (int i = 0; i < l.length() - pad; i++) {
                char ch = l.charAt(i);
                if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+'
                        || ch == '/')) {
                    throw new AgeArmorException("a character that is not base64", lineNo);
                }
            }
            byte[] d = dec.decode(l);
            if (!Base64.getEncoder().encodeToString(d).equals(l)) {
                throw new AgeArmorException("base64 that is not canonical", lineNo);
            }
            if (l.length() < COLUMNS || pad > 0) {
                sawLast = true;
            }
            System.arraycopy(d, 0, decoded, 0, d.length);
            pos = 0;
            len = d.length;
            return true;
        }

        /**
         * The next line without its LF or CRLF (at most {@code max} characters; longer is an error), or null at the
         * end of the input; the end line may also end at the end of the input.
         */
        private String line(int max) throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return s.length() == 0 ? null : s.toString();
                }
                if (c == '\n') {
                    return s.toString();
                }
                if (c == '\r') {
                    if (in.read() != '\n') {
                        throw new AgeArmorException("a CR not followed by LF", lineNo + 1);
                    }
                    return s.toString();
                }
                if (s.length() == Math.max(max, END.length())) {
                    throw new AgeArmorException("a line longer than 64 columns", lineNo + 1);
                }
                s.append((char) c);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
