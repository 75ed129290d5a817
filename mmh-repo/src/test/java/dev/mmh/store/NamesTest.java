package dev.mmh.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void acceptsRepositoryNames() {
        for (String ok : new String[] {"config", "packs/ab/abcdef0123", "snapshots/2026-12-07T20.00.00_x", "a.b-c_d",
            "x".repeat(Names.MAX_SEGMENT)}) {
            assertEquals(ok, Names.check(ok));
            assertTrue(Names.isValid(ok));
        }
    }

    @Test
    void refusesWhatIsNotPortable() {
        for (String bad : new String[] {"", "/a", "a/", "a//b", "..", "a/../b", ".a", "a/.b", "a b", "a:b", "a\\b",
            "ä", "x".repeat(Names.MAX_SEGMENT + 1), ("abc/").repeat(300) + "x"}) {
            assertFalse(Names.isValid(bad), bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Names.check(bad));
            assertTrue(e.getMessage().startsWith("bad object name"), e.getMessage());
        }
    }

    @Test
    void prefixesMayEndInsideASegmentOrWithASlash() {
        for (String ok : new String[] {"", "p", "packs/", "packs/a", "packs/ab/"}) {
            assertEquals(ok, Names.checkPrefix(ok));
        }
        for (String bad : new String[] {"/", "/a", "a//", "a/.b", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> Names.checkPrefix(bad), bad);
        }
    }
}
