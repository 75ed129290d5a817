package dev.mmh.chunk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes safetensors files for tests: an 8-byte little-endian header size, the JSON header, the tensors in order. */
final class Safetensors {
    private Safetensors() {
    }

    /** A file holding {@code tensors} (name to raw bytes, typed F32 and shaped flat) and a metadata string. */
    static byte[] write(String metadata, Map<String, byte[]> tensors) {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"note\":\"").append(metadata).append("\"}");
        long at = 0;
        for (Map.Entry<String, byte[]> e : tensors.entrySet()) {
            long n = e.getValue().length;
            json.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[").append(n / 4)
                    .append("],\"data_offsets\":[").append(at).append(',').append(at + n).append("]}");
            at += n;
        }
        json.append('}');
        byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write((int) ((long) h.length >>> (8 * i)));
        }
        out.writeBytes(h);
        tensors.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Offsets where each tensor's data starts, and where the last ends. */
    static long[] offsets(byte[] file, Map<String, byte[]> tensors) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h |= (file[i] & 0xFFL) << (8 * i);
        }
        long[] o = new long[tensors.size() + 1];
        o[0] = 8 + h;
        int k = 1;
        for (byte[] t : tensors.values()) {
            o[k] = o[k - 1] + t.length;
            k++;
        }
        return o;
    }

    static Map<String, byte[]> map() {
        return new LinkedHashMap<>();
    }
}
