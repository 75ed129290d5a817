package dev.mmh.io;

import java.util.HexFormat;

/**
 * {@link NativeFilesTest}'s other process: runs one {@link NativeFiles} call in a JVM that the test starts with
 * another user or other system properties, and prints {@code ok}, {@code ok VALUE} or {@code CLASS|MESSAGE} of what
 * it threw. Paths come as hex (any bytes survive the command line). No JUnit here: the child's class path is only
 * mmh-core's classes and test classes, which another user can read.
 */
public final class NativeFilesChild {
    private NativeFilesChild() {
    }

    public static void main(String[] args) {
        System.out.println(run(args));
    }

    private static String run(String[] args) {
        try {
            byte[] path = args.length > 1 ? HexFormat.of().parseHex(args[1]) : null;
            switch (args[0]) {
                case "status":
                    return NativeFiles.available() + "|" + NativeFiles.loadError();
                case "mknod":
                    NativeFiles.mknod(path, 0600, NativeFiles.CHAR_DEVICE, 1, 3);
                    return "ok";
                case "mkfifo":
                    NativeFiles.mkfifo(path, 0600);
                    return "ok";
                case "regions":
                    return "ok " + java.util.Arrays.toString(NativeFiles.dataRegions(path));
                default:
                    return "unknown operation " + args[0];
            }
        } catch (Throwable e) {
            return e.getClass().getSimpleName() + "|" + e.getMessage();
        }
    }
}
