package dev.mmh.analysis;

/** Recognises compressed and media formats by the magic bytes at the start of a block. */
public final class Magic {
    private Magic() {
    }

    /**
     * The name of the format whose signature starts at {@code b[off]}, or {@code null}. All names returned are
     * formats whose payload is already compressed (a codec gains little on them).
     */
    public static String detect(byte[] b, int off, int len) {
        if (starts(b, off, len, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (starts(b, off, len, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (starts(b, off, len, 'G', 'I', 'F', '8')) {
            return "gif";
        }
        if (starts(b, off, len, 'P', 'K', 3, 4) || starts(b, off, len, 'P', 'K', 5, 6)) {
            return "zip";
        }
        if (starts(b, off, len, 0x1F, 0x8B, 8)) {
            return "gzip";
        }
        if (starts(b, off, len, 0x28, 0xB5, 0x2F, 0xFD)) {
            return "zstd";
        }
        if (starts(b, off, len, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return "xz";
        }
        if (starts(b, off, len, 'B', 'Z', 'h') && len > 3 && b[off + 3] >= '1' && b[off + 3] <= '9') {
            return "bzip2";
        }
        if (starts(b, off, len, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return "7z";
        }
        if (starts(b, off, len, 0x04, 0x22, 0x4D, 0x18)) {
            return "lz4";
        }
        if (starts(b, off, len, 'R', 'a', 'r', '!', 0x1A, 0x07)) {
            return "rar";
        }
        if (len >= 12 && starts(b, off, len, 'R', 'I', 'F', 'F') && starts(b, off + 8, len - 8, 'W', 'E', 'B', 'P')) {
            return "webp";
        }
        if (len >= 12 && starts(b, off + 4, len - 4, 'f', 't', 'y', 'p')) {
            return "mp4";
        }
        if (starts(b, off, len, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "matroska";
        }
        if (starts(b, off, len, 'O', 'g', 'g', 'S')) {
            return "ogg";
        }
        if (starts(b, off, len, 'f', 'L', 'a', 'C')) {
            return "flac";
        }
        if (starts(b, off, len, 'I', 'D', '3') || (len >= 2 && (b[off] & 0xFF) == 0xFF && (b[off + 1] & 0xE0) == 0xE0
                && (b[off + 1] & 0x06) != 0)) {
            return "mp3";
        }
        return null;
    }

    private static boolean starts(byte[] b, int off, int len, int... sig) {
        if (len < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[off + i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
