package dev.mmh.crypto.age;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * age's key encodings and files: recipients ({@code age1...}, {@code age1pq1...}), identities
 * ({@code AGE-SECRET-KEY-1...}, {@code AGE-SECRET-KEY-PQ-1...}), identity files as {@code age-keygen} writes them
 * ({@code # created:} and {@code # public key:} comment lines, then the key) and recipients files (one recipient a
 * line, {@code #} comments). Errors never repeat a secret key's text. Stateless.
 */
public final class AgeKeys {
    /** The longest identity or recipients file read. */
    static final long MAX_FILE = 1 << 20;

    private AgeKeys() {
    }

    /**
     * The recipient {@code s} names.
     *
     * @throws IllegalArgumentException not an {@code age1} or {@code age1pq1} recipient, or a bad checksum or length
     */
    public static Recipient parseRecipient(String s) {
        Bech32.Decoded d;
        try {
            d = Bech32.decode(s.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an age recipient: " + e.getMessage());
        }
        if (!s.strip().equals(s.strip().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not an age recipient: recipients are lowercase");
        }
        switch (d.hrp()) {
            case X25519Recipient.HRP:
                return new X25519Recipient(d.data());
            case HybridRecipient.HRP:
                return new HybridRecipient(d.data());
            default:
                throw new IllegalArgumentException("unknown recipient type " + d.hrp() + "1... (age1 and age1pq1 are "
                        + "known)");
        }
    }

    /**
     * The identity {@code s} encodes.
     *
     * @throws IllegalArgumentException not an age secret key (the message does not repeat it)
     */
    public static Identity parseIdentity(String s) {
        Bech32.Decoded d;
        try {
            d = Bech32.decode(s.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an age secret key: " + e.getMessage());
        }
        switch (d.hrp()) {
            case X25519Identity.HRP:
                return new X25519Identity(d.data());
            case HybridIdentity.HRP:
                return new HybridIdentity(d.data());
            default:
                throw new IllegalArgumentException("not an age secret key (AGE-SECRET-KEY-1 or AGE-SECRET-KEY-PQ-1)");
        }
    }

    /** The identities of an identity file: every line that is not empty or a {@code #} comment. */
    public static List<Identity> readIdentities(Path file) throws IOException {
        return readKeys(file, AgeKeys::parseIdentity, "identity");
    }

    /** The recipients of a recipients file: every line that is not empty or a {@code #} comment. */
    public static List<Recipient> readRecipients(Path file) throws IOException {
        return readKeys(file, AgeKeys::parseRecipient, "recipient");
    }

    /** Each line that is not empty or a {@code #} comment, parsed; a line that does not parse names its number. */
    private static <T> List<T> readKeys(Path file, java.util.function.Function<String, T> parse, String what)
            throws IOException {
        List<T> keys = new ArrayList<>();
        int n = 0;
        for (String line : lines(file)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(parse.apply(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ", line " + n + ": " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IOException(file + ": no " + what + " in the file");
        }
        return keys;
    }

    private static List<String> lines(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE) {
            throw new IOException(file + ": " + size + " bytes, too long for a key file");
        }
        return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n"));
    }

    /** The text of an identity file as age-keygen writes it, created now. */
    public static String identityFile(X25519Identity id) {
        return identityFile(id.encode(), id.recipient().toString());
    }

    /** The text of a post-quantum identity file. */
    public static String identityFile(HybridIdentity id) {
        return identityFile(id.encode(), id.recipient().toString());
    }

    private static String identityFile(String secret, String recipient) {
        String created = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return "# created: " + created + "\n# public key: " + recipient + "\n" + secret + "\n";
    }
}
