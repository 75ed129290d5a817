package dev.mmh.store;

/**
 * The rule for object names and listing prefixes, the same for every store (see {@link ObjectStore}).
 *
 * <p>A name is 1 to {@value #MAX_LENGTH} characters: segments of {@code [A-Za-z0-9._-]}, 1 to
 * {@value #MAX_SEGMENT} characters each (room for a folder store's temporary-file suffix in a 255-byte file name),
 * separated by single {@code /}, none starting with a dot. The rule keeps names portable (any file system, any S3
 * server, no escaping, no {@code ..}) and leaves names starting with a dot to the stores themselves (a folder
 * store's temporary files, an S3 store's probe objects), which listings skip.
 */
public final class Names {
    /** The longest name, in characters (S3 allows 1,024 bytes; these are ASCII). */
    public static final int MAX_LENGTH = 1024;
    /** The longest segment, in characters (a file name is 255 bytes; a folder store's temporary file adds to it). */
    public static final int MAX_SEGMENT = 200;

    private Names() {
    }

    /**
     * Checks a name.
     *
     * @return the name
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String check(String name) {
        String why = problem(name, false);
        if (why != null) {
            throw new IllegalArgumentException("bad object name \"" + name + "\": " + why);
        }
        return name;
    }

    /**
     * Checks a listing prefix: empty, or the start of a name (it may end inside a segment or with a {@code /}).
     *
     * @return the prefix
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        String why = body.isEmpty() ? "starts with /" : problem(body, true);
        if (why != null) {
            throw new IllegalArgumentException("bad prefix \"" + prefix + "\": " + why);
        }
        return prefix;
    }

    /** Whether {@code name} follows the rule (listings use it to skip what a store keeps for itself). */
    public static boolean isValid(String name) {
        return problem(name, false) == null;
    }

    private static String problem(String name, boolean prefix) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        int segStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '/';
            if (c == '/') {
                int len = i - segStart;
                if (len == 0) {
                    return i == 0 ? "starts with /" : "has an empty segment";
                }
                if (len > MAX_SEGMENT) {
                    return "a segment is longer than " + MAX_SEGMENT + " characters";
                }
                if (name.charAt(segStart) == '.') {
                    return "a segment starts with a dot";
                }
                segStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return "character '" + c + "' at " + i + " is not one of A-Z a-z 0-9 . _ - /";
            }
        }
        return null;
    }
}
