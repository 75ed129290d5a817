package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmh.archive.format.BlobId;
import dev.mmh.archive.format.Entry;
import dev.mmh.archive.format.EntryType;
import dev.mmh.archive.format.Names;
import dev.mmh.archive.format.Owner;
import dev.mmh.format.Format;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the folder commands share: paths from the command line, how an entry is shown, the header check. */
class FoldersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPathIsGivenAsTheListingShowsIt() throws Exception {
        byte[] odd = {'d', '/', (byte) 0xff, 'x', '\\', 'y'};
        assertEquals("d/\\xffx\\\\y", Names.display(odd));
        assertArrayEquals(odd, Folders.path(Names.display(odd)), "display form back to the bytes");
        assertArrayEquals(b("a/b"), Folders.path("./a/b/"), "leading ./ and a directory's trailing / dropped");
        assertArrayEquals(b("a\\b"), Folders.path("a\\b"), "a backslash that starts no escape is itself");
        assertArrayEquals(b("\u00e9t\u00e9"), Folders.path("\u00e9t\u00e9"));
        for (String bad : List.of("", "/", "/etc/passwd", "a/../b", "a//b", "..", "./", "a/./b")) {
            assertThrows(Folders.BadPath.class, () -> Folders.path(bad), bad);
        }
    }

    private static Entry dir(int mode) {
        return Entry.builder(b("d"), EntryType.DIRECTORY).mode(mode).tree(BlobId.of(new byte[32])).build();
    }

    private static Entry file(int mode) {
        return Entry.builder(b("f"), EntryType.FILE).mode(mode).content(0, List.of(), false).build();
    }

    @Test
    void modesReadAsLsShowsThem() {
        assertEquals("drwxr-x---", Folders.mode(dir(0750)));
        assertEquals("-rwsr-sr-t", Folders.mode(file(07755)));
        assertEquals("-rwSr-Sr-T", Folders.mode(file(07644)));
        assertEquals("----------", Folders.mode(file(0)));
        assertEquals("lrwxrwxrwx", Folders.mode(Entry.builder(b("l"), EntryType.SYMLINK).mode(0777).target("x")
                .build()));
        assertEquals("crw-rw-rw-", Folders.mode(Entry.builder(b("c"), EntryType.CHAR_DEVICE).mode(0666).major(1)
                .minor(3).build()));
    }

    @Test
    void timesAreIsoUtcWithAFractionOnlyWhenThereIsOne() {
        assertEquals("2023-11-14T22:13:20Z", Folders.time(1_700_000_000L, 0));
        assertEquals("2023-11-14T22:13:20.000000001Z", Folders.time(1_700_000_000L, 1));
        assertEquals("1969-12-31T23:59:59.500Z", Folders.time(-1, 500_000_000));
        assertEquals("@" + Long.MAX_VALUE, Folders.time(Long.MAX_VALUE, 0), "beyond what a date can say");
    }

    @Test
    void longLinesHaveModeOwnerSizeTimePathAndTarget() {
        Entry g = Entry.builder(b("f"), EntryType.FILE).mode(0644).mtime(1_700_000_000L, 0)
                .owner(Owner.of(1000, 100, "ann", "")).content(0, List.of(), false).build();
        assertEquals("-rw-r--r-- ann/100                      0 2023-11-14T22:13:20Z top/f",
                Folders.longLine(b("top/f"), g));
        Entry l = Entry.builder(b("l"), EntryType.SYMLINK).mode(0777).mtime(0, 0).target("../x").build();
        assertEquals("lrwxrwxrwx            0 1970-01-01T00:00:00Z top/l -> ../x", Folders.longLine(b("top/l"), l));
        Entry d = Entry.builder(b("d"), EntryType.DIRECTORY).mode(0755).tree(BlobId.of(new byte[32])).build();
        assertTrue(Folders.longLine(b("top/d"), d).endsWith(" top/d/"));
        Entry c = Entry.builder(b("c"), EntryType.CHAR_DEVICE).mode(0600).major(4).minor(64).build();
        assertTrue(Folders.longLine(b("c"), c).startsWith("crw-------         4,64 "), Folders.longLine(b("c"), c));
    }

    @Test
    void jsonOfAnEntryCarriesRawBytesOnlyWhenTheNameIsNotShownAsItIs() {
        Entry e = Entry.builder(new byte[] {'x', (byte) 0x80}, EntryType.SYMLINK).mode(0777)
                .target(new byte[] {'t', (byte) 0xfe}).build();
        Map<String, Object> m = Folders.json(new byte[] {'x', (byte) 0x80}, e);
        assertEquals("x\\x80", m.get("path"));
        assertEquals("eIA=", m.get("pathBase64"));
        assertEquals("t\\xfe", m.get("target"));
        assertEquals("dP4=", m.get("targetBase64"));
        assertEquals("symlink", m.get("type"));
        Map<String, Object> plain = Folders.json(b("\u00e9"), Entry.builder(b("\u00e9"), EntryType.FIFO).build());
        assertFalse(plain.containsKey("pathBase64"));
        Map<String, Object> ctl = Folders.json(b("a\nb"), Entry.builder(b("a\nb"), EntryType.FIFO).build());
        assertEquals("a\\x0ab", ctl.get("path"));
        assertTrue(ctl.containsKey("pathBase64"), "a control character is escaped: the raw bytes say what it is");
    }

    @Test
    void theHeaderTellsAFolderArchiveByItsVersion() {
        byte[] h = java.util.Arrays.copyOf(Format.MAGIC, FolderHead.SIZE);
        h[Format.MAGIC.length] = 3;
        assertTrue(FolderHead.is(h));
        h[Format.MAGIC.length] = 1;
        assertFalse(FolderHead.is(h), "version 1: a single-file archive");
        h[Format.MAGIC.length] = 3;
        h[0] ^= 1;
        assertFalse(FolderHead.is(h), "not the magic");
        assertFalse(FolderHead.is(java.util.Arrays.copyOf(h, 5)), "too short");
    }

    @Test
    void aJsonArrayIsWrittenOneElementAtATimeAndParses() throws Exception {
        java.io.StringWriter s = new java.io.StringWriter();
        Folders.JsonArray a = new Folders.JsonArray(new java.io.PrintWriter(s));
        a.end();
        assertEquals("[]\n", s.toString());
        s = new java.io.StringWriter();
        a = new Folders.JsonArray(new java.io.PrintWriter(s));
        a.add(Map.of("k", "line\nbreak"));
        a.add(List.of(1, 2));
        a.end();
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(s.toString());
        assertEquals(2, n.size());
        assertEquals("line\nbreak", n.get(0).get("k").asText());
        assertEquals(2, n.get(1).get(1).asInt());
    }
}
