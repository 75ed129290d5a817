package dev.mmh.transform;

import dev.mmh.CorruptDataException;
import dev.mmh.codec.rc.Varints;

/**
 * Transform id 1: stores data that repeats with a period of P bytes (param, 1..65536) as the pattern plus a short
 * list of differences, so a block of periodic data becomes a few bytes more than its pattern.
 *
 * <p>Encoding: the first {@code min(P, n)} bytes (the pattern), then operations until {@code n} bytes are
 * described, each {@code varint match, varint literals, literal bytes, varint phase}: {@code match} bytes equal the
 * pattern at the current phase, then {@code literals} bytes follow verbatim; the phase advances over both, and a
 * non-zero {@code phase} field sets it to {@code phase - 1} (the data re-synchronised with the pattern at another
 * offset). Varints are unsigned LEB128. Exactly periodic data is one operation; a corrupted byte adds one; a phase
 * break (data restarting its pattern elsewhere) adds one.
 */
public final class PeriodicTransform implements Transform {
    /** Longest period accepted. */
    public static final int MAX_PERIOD = 65536;
    /** Bytes that must match the pattern to end a literal run. */
    private static final int RESYNC = 12;
    private static final int HASH_BITS = 16;

    @Override
    public int id() {
        return Transforms.PERIODIC;
    }

    @Override
    public String name() {
        return "periodic";
    }

    @Override
    public void validateParam(int param) {
        if (param < 1 || param > MAX_PERIOD) {
            throw new IllegalArgumentException("period must be 1.." + MAX_PERIOD + ", not " + param);
        }
    }

    @Override
    public long maxEncodedLength(int rawLen, int param) {
        // every operation but the first and the last covers >= RESYNC matched bytes, more than its overhead
        return (long) rawLen + 32;
    }

    @Override
    public int encode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff) {
        validateParam(param);
        Transforms.checkRange(src, srcOff, srcLen);
        int p = Math.min(param, srcLen);
        System.arraycopy(src, srcOff, dst, dstOff, p);
        int o = dstOff + p;
        if (p == srcLen) {
            return p;
        }
        int period = param;
        int[] head = null;
        int end = srcOff + srcLen;
        int i = srcOff + period;
        int phase = 0;
        while (i < end) {
            int m = 0;
            while (i < end && src[i] == src[srcOff + phase]) {
                i++;
                m++;
                if (++phase == period) {
                    phase = 0;
                }
            }
            int lit = i;
            int newPhase = -1;
            while (i < end) {
                if (matches(src, srcOff, period, i, end, phase)) {
                    break;
                }
                if (period >= 8 && i + 4 <= end) {
                    if (head == null) {
                        head = index(src, srcOff, period);
                    }
                    int c = head[hash(src, i)];
                    if (c >= 0 && c != phase && matches(src, srcOff, period, i, end, c)) {
                        newPhase = c;
                        break;
                    }
                }
                i++;
                if (++phase == period) {
                    phase = 0;
                }
            }
            o = Varints.put(dst, o, m);
            o = Varints.put(dst, o, i - lit);
            System.arraycopy(src, lit, dst, o, i - lit);
            o += i - lit;
            o = Varints.put(dst, o, newPhase + 1);
            if (newPhase >= 0) {
                phase = newPhase;
            }
        }
        return o - dstOff;
    }

    /** Whether the next RESYNC bytes (or all that remain) equal the pattern from {@code phase}. */
    private static boolean matches(byte[] s, int base, int period, int i, int end, int phase) {
        int k = Math.min(RESYNC, end - i);
        for (int j = 0; j < k; j++) {
            if (s[i + j] != s[base + phase]) {
                return false;
            }
            if (++phase == period) {
                phase = 0;
            }
        }
        return true;
    }

    private static int[] index(byte[] s, int base, int period) {
        int[] head = new int[1 << HASH_BITS];
        java.util.Arrays.fill(head, -1);
        byte[] w = new byte[4];
        for (int ph = period - 1; ph >= 0; ph--) {
            for (int j = 0; j < 4; j++) {
                w[j] = s[base + (ph + j) % period];
            }
            head[hash(w, 0)] = ph;
        }
        return head;
    }

    private static int hash(byte[] s, int i) {
        int v = (s[i] & 0xFF) | (s[i + 1] & 0xFF) << 8 | (s[i + 2] & 0xFF) << 16 | (s[i + 3] & 0xFF) << 24;
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    @Override
    public void decode(byte[] src, int srcOff, int srcLen, int param, byte[] dst, int dstOff, int rawLen)
            throws CorruptDataException {
        if (param < 1 || param > MAX_PERIOD) {
            throw Transforms.corrupt("periodic: invalid period " + param);
        }
        Transforms.checkRange(src, srcOff, srcLen);
        Transforms.checkRange(dst, dstOff, rawLen);
        int p = Math.min(param, rawLen);
        if (srcLen < p) {
            throw Transforms.corrupt("periodic: " + srcLen + " bytes cannot hold a pattern of " + p);
        }
        System.arraycopy(src, srcOff, dst, dstOff, p);
        int period = param;
        int in = srcOff + p;
        int inEnd = srcOff + srcLen;
        int o = dstOff + p;
        int end = dstOff + rawLen;
        int phase = 0;
        int[] cursor = new int[1];
        while (o < end) {
            cursor[0] = in;
            int m = Varints.get(src, cursor, inEnd, "periodic operation");
            int lit = Varints.get(src, cursor, inEnd, "periodic operation");
            in = cursor[0];
            if (m > end - o || lit > end - o - m || lit > inEnd - in) {
                throw Transforms.corrupt("periodic: operation runs past the block");
            }
            for (int k = 0; k < m; k++) {
                dst[o++] = dst[dstOff + phase];
                if (++phase == period) {
                    phase = 0;
                }
            }
            System.arraycopy(src, in, dst, o, lit);
            in += lit;
            o += lit;
            phase = (int) ((phase + (long) lit) % period);
            cursor[0] = in;
            int ph = Varints.get(src, cursor, inEnd, "periodic operation");
            in = cursor[0];
            if (ph > period) {
                throw Transforms.corrupt("periodic: phase " + (ph - 1) + " outside period " + period);
            }
            if (ph > 0) {
                phase = ph - 1;
            }
            if (m == 0 && lit == 0 && ph == 0) {
                throw Transforms.corrupt("periodic: empty operation");
            }
        }
        if (in != inEnd) {
            throw Transforms.corrupt("periodic: " + (inEnd - in) + " bytes left after the block");
        }
    }
}
