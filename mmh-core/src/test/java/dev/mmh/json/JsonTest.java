package dev.mmh.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmh.CorruptDataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The writer's output read back by an independent parser (Jackson), and the reader on valid and broken text. */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** Writes {@code v}, checks that the text is valid UTF-8 once encoded, and parses it with Jackson. */
    private static JsonNode roundTrip(Object v) throws Exception {
        String text = Json.write(v);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw new AssertionError("not valid UTF-8: " + text, e);
        }
        return JACKSON.readTree(utf8);
    }

    @Test
    void nanAndInfinitiesBecomeNull() throws Exception {
        JsonNode n = roundTrip(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0 / 0.0));
        assertEquals(7, n.size());
        for (JsonNode x : n) {
            assertTrue(x.isNull(), n.toString());
        }
    }

    @Test
    void doublesReadBackToTheSameValue() throws Exception {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 0.1, 1.0 / 3, 2.0 / 3 * 1e10, 1e-7, 1.5e-300, 1e300,
                123456789.123456789, 2.775000001, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 4.35, 100.0, 1e21, 9007199254740993.0));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                values.add(d);
            }
        }
        JsonNode n = roundTrip(values);
        for (int i = 0; i < values.size(); i++) {
            assertTrue(n.get(i).isNumber(), n.get(i).toString());
            assertEquals(Double.doubleToLongBits(values.get(i)), Double.doubleToLongBits(n.get(i).doubleValue()),
                    "value " + values.get(i) + " written as " + n.get(i));
        }
    }

    @Test
    void floatsReadBackToTheSameFloat() throws Exception {
        float[] values = {0.1f, 1f / 3, 3.4028235e38f, 1.4e-45f, -7.5f};
        JsonNode n = roundTrip(values);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], n.get(i).floatValue(), "float " + values[i] + " written as " + n.get(i));
        }
    }

    @Test
    void integersAreExact() throws Exception {
        BigInteger huge = BigInteger.TWO.pow(100).add(BigInteger.ONE);
        JsonNode n = roundTrip(List.of(Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, Integer.MIN_VALUE,
                (short) -3, (byte) 7, huge, new BigDecimal("12345678901234567890.000000000000000001")));
        assertEquals(Long.MAX_VALUE, n.get(0).longValue());
        assertEquals(Long.MIN_VALUE, n.get(1).longValue());
        assertEquals((1L << 53) + 1, n.get(2).longValue());
        assertEquals(Integer.MIN_VALUE, n.get(3).intValue());
        assertEquals(-3, n.get(4).intValue());
        assertEquals(7, n.get(5).intValue());
        assertEquals(huge, n.get(6).bigIntegerValue());
        assertTrue(Json.write(new BigDecimal("12345678901234567890.000000000000000001"))
                .startsWith("12345678901234567890.000000000000000001"));
    }

    @Test
    void everyControlCharacterQuoteAndBackslashIsEscaped() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append("\"\\/\u007f é ü 中 \uD83D\uDE00 end");
        String text = Json.write(all.toString());
        for (int i = 0; i < text.length() - 1; i++) { // the text's own final newline aside
            assertTrue(text.charAt(i) >= 0x20, "raw control character " + (int) text.charAt(i) + " in " + text);
        }
        assertTrue(text.contains("\\n") && text.contains("\\t") && text.contains("\\r") && text.contains("\\b")
                && text.contains("\\f") && text.contains("\\u0000") && text.contains("\\u001f"), text);
        assertEquals(all.toString(), roundTrip(all.toString()).textValue());
    }

    @Test
    void unpairedSurrogatesAreEscapedSoTheTextIsValidUtf8() throws Exception {
        for (String s : new String[] {"\uD800", "a\uDC00b", "\uDBFF\uDBFF", "x\uD83D", "\uDE00\uD83D",
            "ok \uD83D\uDE00 \uD800"}) {
            String text = Json.write(s);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isSurrogate(c)) {
                    assertTrue(Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1)), "unpaired surrogate left raw: " + text);
                    i++;
                }
            }
            assertEquals(s, roundTrip(s).textValue(), "read back as the same UTF-16 string");
        }
    }

    record Part(String name, double share, List<Integer> sizes) {
    }

    enum Kind { TEXT }

    @Test
    void mapsKeepTheirOrderAndRecordsListsArraysNest() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1);
        m.put("alpha", new Part("p", 0.25, List.of(1, 2)));
        m.put("mid", new int[] {3, 4});
        m.put("empty", Map.of());
        m.put("none", List.of());
        m.put("kind", Kind.TEXT);
        m.put("flag", true);
        m.put("nothing", null);
        m.put("path", java.nio.file.Path.of("a", "b"));
        JsonNode n = roundTrip(m);
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("zeta", "alpha", "mid", "empty", "none", "kind", "flag", "nothing", "path"), names);
        JsonNode part = n.get("alpha");
        List<String> parts = new ArrayList<>();
        part.fieldNames().forEachRemaining(parts::add);
        assertEquals(List.of("name", "share", "sizes"), parts);
        assertEquals(0.25, part.get("share").doubleValue());
        assertEquals(2, part.get("sizes").get(1).intValue());
        assertEquals(4, n.get("mid").get(1).intValue());
        assertEquals(0, n.get("empty").size());
        assertTrue(n.get("none").isArray());
        assertEquals("TEXT", n.get("kind").textValue());
        assertTrue(n.get("flag").booleanValue());
        assertTrue(n.get("nothing").isNull());
        assertEquals("a/b", n.get("path").textValue());
    }

    @Test
    void aValueThatContainsItselfFailsInsteadOfOverflowingTheStack() {
        Map<String, Object> m = new HashMap<>();
        m.put("self", m);
        assertThrows(IllegalArgumentException.class, () -> Json.write(m));
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", Long.MIN_VALUE);
        m.put("d", List.of(0.1, -2.5e-8, 1e300));
        m.put("s", "q\"\\\u0001\uD800 é");
        m.put("b", List.of(true, false));
        m.put("o", new LinkedHashMap<>(Map.of("k", "v")));
        m.put("z", null);
        assertEquals(m, Json.parse(Json.write(m)));
        Iterator<String> keys = ((Map<String, Object>) Json.parse(Json.write(m))).keySet().iterator();
        assertEquals("n", keys.next());
        assertEquals("d", keys.next());
    }

    @Test
    void readerReadsValues() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, null, \"x\\u0041\\n\", 0, -0.5, 1E+2], \"b\": {}} ");
        assertEquals(Map.of("a", Arrays.asList(1L, -25.0, true, null, "xA\n", 0L, -0.5, 100.0), "b", Map.of()), v);
        assertEquals(1e19, Json.parse("10000000000000000000"), "beyond a long: a double");
    }

    @Test
    void readerRejectsMalformedText() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "\"x", "[1] 2", "tru", "[".repeat(100), "01",
            "1.", "-", "+1", ".5", "1e", "\"\\u12G4\"", "\"\\u+1ab\"", "\"a\u0001\"", "\"\\x\"", "NaN", "[1 2]"}) {
            assertThrows(CorruptDataException.class, () -> Json.parse(bad), bad);
        }
    }
}
