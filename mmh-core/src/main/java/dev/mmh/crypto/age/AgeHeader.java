package dev.mmh.crypto.age;

import dev.mmh.NotMmhFormatException;
import dev.mmh.UnsupportedFormatException;
import dev.mmh.crypto.CryptoContext;
import dev.mmh.crypto.Hkdf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An age v1 header: the version line, the recipient stanzas (bodies in base64 wrapped at 64 columns, ending with a
 * line shorter than 64) and the {@code ---} line with the HMAC-SHA-256 of everything before its space, keyed by
 * HKDF(file key, "header"). {@link #read} parses one strictly (C2SP age's ABNF: LF only, canonical base64, no empty
 * arguments); {@link #write} writes one. Immutable.
 */
public final class AgeHeader {
    static final String PREFIX = "age-encryption.org/";
    static final String VERSION_LINE = PREFIX + "v1";
    static final int COLUMNS = 64;
    /** The longest header read: far above what any real recipient list needs (a post-quantum stanza is 1.5 KB). */
    static final int MAX_HEADER = 1 << 20;
    static final int MAX_STANZAS = 4096;

    private final List<Stanza> stanzas;
    private final byte[] macInput;
    private final byte[] mac;
    /** The type of the stanza an identity opened, once one did. */
    String opened;

    private AgeHeader(List<Stanza> stanzas, byte[] macInput, byte[] mac) {
        this.stanzas = List.copyOf(stanzas);
        this.macInput = macInput;
        this.mac = mac;
    }

    public List<Stanza> stanzas() {
        return stanzas;
    }

    /** The header's length in bytes, its last line included. */
    public int length() {
        return macInput.length + 1 + 43 + 1;
    }

    /** Whether the header's MAC is the one {@code fileKey} gives. */
    boolean macMatches(byte[] fileKey) {
        return MessageDigest.isEqual(mac, mac(fileKey, macInput));
    }

    static byte[] mac(byte[] fileKey, byte[] macInput) {
        byte[] key = Hkdf.sha256(fileKey, new byte[0], "header", 32);
        try (CryptoContext c = CryptoContext.open()) {
            return c.hmacSha256(key, macInput, 0, macInput.length);
        }
    }

    /**
     * Writes the header for {@code stanzas}, authenticated with {@code fileKey}, and returns its bytes.
     */
    static byte[] write(List<Stanza> stanzas, byte[] fileKey) {
        StringBuilder s = new StringBuilder(VERSION_LINE).append('\n');
        for (Stanza st : stanzas) {
            s.append("-> ").append(st.type());
            for (String a : st.args()) {
                s.append(' ').append(a);
            }
            s.append('\n');
            String body = B64.encode(st.body());
            int i = 0;
            for (; i + COLUMNS <= body.length(); i += COLUMNS) {
                s.append(body, i, i + COLUMNS).append('\n');
            }
            s.append(body, i, body.length()).append('\n'); // the short final line, maybe empty
        }
        s.append("---");
        byte[] macInput = s.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] mac = mac(fileKey, macInput);
        s.append(' ').append(B64.encode(mac)).append('\n');
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a header from {@code in}, leaving it at the first byte after the header (the payload's nonce).
     *
     * @throws NotMmhFormatException the input does not start like an age file
     * @throws UnsupportedFormatException an age version other than v1
     * @throws AgeHeaderException anything else that is not a well-formed v1 header
     */
    public static AgeHeader read(InputStream in) throws IOException {
        Lines r = new Lines(in);
        String first = r.line(true);
        if (first == null || !first.startsWith(PREFIX)) {
            throw new NotMmhFormatException("not an age file (no age-encryption.org/ version line)");
        }
        if (!first.equals(VERSION_LINE)) {
            throw new UnsupportedFormatException("age version " + printable(first.substring(PREFIX.length()))
                    + " (only v1 is known)");
        }
        List<Stanza> stanzas = new ArrayList<>();
        while (true) {
            long at = r.offset;
            String line = r.line(false);
            if (line.startsWith("---")) {
                if (stanzas.isEmpty()) {
                    throw new AgeHeaderException("no recipient stanza", at);
                }
                if (!line.startsWith("--- ")) {
                    throw new AgeHeaderException("malformed MAC line", at);
                }
                byte[] mac = B64.decode(line.substring(4));
                if (mac == null || mac.length != 32) {
                    throw new AgeHeaderException("the MAC is not the canonical base64 of 32 bytes", at);
                }
                byte[] all = r.bytes.toByteArray();
                int macInputLength = (int) (at + 3);
                return new AgeHeader(stanzas, java.util.Arrays.copyOf(all, macInputLength), mac);
            }
            if (!line.startsWith("-> ")) {
                throw new AgeHeaderException("a line that is neither a stanza nor the MAC", at);
            }
            if (stanzas.size() == MAX_STANZAS) {
                throw new AgeHeaderException("more than " + MAX_STANZAS + " stanzas", at);
            }
            String[] parts = line.substring(3).split(" ", -1);
            for (String p : parts) {
                if (p.isEmpty()) {
                    throw new AgeHeaderException("an empty stanza argument", at);
                }
                for (int i = 0; i < p.length(); i++) {
                    if (p.charAt(i) < 0x21 || p.charAt(i) > 0x7e) {
                        throw new AgeHeaderException("a stanza argument with a character outside 0x21-0x7e", at);
                    }
                }
            }
            StringBuilder body = new StringBuilder();
            while (true) {
                long lineAt = r.offset;
                String b = r.line(false);
                if (b.length() > COLUMNS) {
                    throw new AgeHeaderException("a stanza body line longer than 64 columns", lineAt);
                }
                body.append(b);
                if (b.length() < COLUMNS) {
                    break;
                }
            }
            byte[] decoded = B64.decode(body.toString());
            if (decoded == null) {
                throw new AgeHeaderException("a stanza body that is not canonical base64", at);
            }
            stanzas.add(new Stanza(parts[0], List.of(parts).subList(1, parts.length), decoded));
        }
    }

    private static String printable(String s) {
        return s.length() > 40 || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "(unprintable)" : s;
    }

    /** LF-terminated lines of printable ASCII, counted against {@link #MAX_HEADER}, and the bytes read. */
    private static final class Lines {
        final InputStream in;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long offset;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its LF; at the very start, null for an empty input. */
        String line(boolean first) throws IOException {
            StringBuilder s = new StringBuilder();
            long start = offset;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    if (first && offset == 0) {
                        return null;
                    }
                    if (first) {
                        throw new NotMmhFormatException("not an age file (no age-encryption.org/ version line)");
                    }
                    throw new AgeHeaderException("the header ends before its MAC line", offset);
                }
                if (first && s.length() < PREFIX.length() && c != PREFIX.charAt(s.length())) {
                    throw new NotMmhFormatException("not an age file (no age-encryption.org/ version line)");
                }
                offset++;
                bytes.write(c);
                if (c == '\n') {
                    return s.toString();
                }
                if (offset > MAX_HEADER) {
                    throw new AgeHeaderException("header longer than " + MAX_HEADER + " bytes", start);
                }
                if (c < 0x20 || c > 0x7e) {
                    if (first && s.length() < PREFIX.length()) {
                        throw new NotMmhFormatException("not an age file (no age-encryption.org/ version line)");
                    }
                    throw new AgeHeaderException(c == '\r' ? "a CR in the header (lines end with LF alone)"
                            : "a byte 0x" + Integer.toHexString(c) + " that is not printable ASCII", offset - 1);
                }
                s.append((char) c);
            }
        }
    }
}
