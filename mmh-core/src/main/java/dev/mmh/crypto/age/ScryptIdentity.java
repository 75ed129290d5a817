package dev.mmh.crypto.age;

import dev.mmh.LimitExceededException;
import java.util.List;

/**
 * Opens age's scrypt stanzas with a passphrase, refusing work factors above a limit (age's 22 by default: about
 * 4 GiB and many seconds). Holds a copy of the passphrase; immutable; thread-safe.
 */
public final class ScryptIdentity implements Identity {
    private final byte[] passphrase;
    private final int maxLogN;

    /** With the default limit, {@link ScryptRecipient#MAX_LOG_N}. */
    public ScryptIdentity(byte[] passphrase) {
        this(passphrase, ScryptRecipient.MAX_LOG_N);
    }

    public ScryptIdentity(byte[] passphrase, int maxLogN) {
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("empty passphrase");
        }
        this.passphrase = passphrase.clone();
        this.maxLogN = maxLogN;
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeHeaderException {
        for (Stanza s : stanzas) {
            if (!s.type().equals(ScryptRecipient.TYPE)) {
                continue;
            }
            if (stanzas.size() != 1) {
                throw new AgeHeaderException("an scrypt stanza must be the only one in its header", -1);
            }
            if (s.args().size() != 2) {
                throw new AgeHeaderException("scrypt stanza with " + s.args().size() + " arguments (2 expected)", -1);
            }
            byte[] salt = B64.decode(s.args().get(0));
            if (salt == null || salt.length != ScryptRecipient.SALT_SIZE) {
                throw new AgeHeaderException("scrypt stanza: the salt is not the canonical base64 of 16 bytes", -1);
            }
            String w = s.args().get(1);
            if (!w.matches("[1-9][0-9]{0,8}")) {
                throw new AgeHeaderException("scrypt stanza: work factor '" + w + "' is not a decimal number", -1);
            }
            int logN = Integer.parseInt(w);
            if (logN > maxLogN) {
                throw new AgeHeaderException("scrypt work factor " + logN + " is above the limit of " + maxLogN, -1);
            }
            Wrap.checkBody(s);
            byte[] key;
            try {
                key = ScryptRecipient.derive(passphrase, salt, logN);
            } catch (LimitExceededException e) {
                throw new AgeHeaderException(e.getMessage(), -1);
            }
            return Wrap.open(key, null, s.body());
        }
        return null;
    }

    @Override
    public String toString() {
        return "passphrase";
    }
}
