package dev.mmh.cli;

import dev.mmh.codec.Codec;
import dev.mmh.codec.Codecs;
import dev.mmh.engine.ArchiveProtection;
import dev.mmh.engine.Examination;
import dev.mmh.engine.CompressOptions;
import dev.mmh.engine.DecompressOptions;
import dev.mmh.engine.Mmh;
import dev.mmh.engine.Verifier;
import dev.mmh.work.WorkerPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden: runs every codec through the engine once on a small input, so that the launcher can record the
 * classes a real run loads into a class-data-sharing archive (faster JVM start-up): every codec, recovery data
 * (protect, repair in place, verify), the command line and quick runs of compress, decompress, gzip and gunzip on
 * temporary files, of folder archives (compress, list, cat, decompress), age encryption and minisign signatures.
 * Prints nothing.
 */
@Command(name = "__warmup", hidden = true)
final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        byte[] data = new byte[256 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("mmh warm-up text ".charAt(i % 17) + (i >> 12));
        }
        try (WorkerPool shared = new WorkerPool(2)) {
            for (Codec c : Codecs.all()) {
                ByteArrayOutputStream packed = new ByteArrayOutputStream();
                Mmh.compress(new ByteArrayInputStream(data), packed, CompressOptions.builder().codec(c.name())
                        .level(c.fastLevel()).threads(2).blockSize(64 * 1024).build());
                Mmh.decompress(new ByteArrayInputStream(packed.toByteArray()), new ByteArrayOutputStream(),
                        DecompressOptions.builder().threads(2).build());
                // as decompress of several archives does
                Mmh.decompress(new ByteArrayInputStream(packed.toByteArray()), new ByteArrayOutputStream(),
                        DecompressOptions.builder().pool(shared).build());
            }
        }
        recovery(data);
        CommandLine cl = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(
                java.io.Writer.nullWriter()));
        cl.getUsageMessage();
        cl.parseArgs("repair", "-q", "-T", "2", "warm-up.mmh");
        QuickArgs.parse(new String[] {"repair", "-q", "--threads=2", "-o", "out.mmh", "-f", "warm-up.mmh"});
        QuickArgs.parse(new String[] {"verify", "-q", "a.mmh", "b.mmh"});
        commands(data);
        crypto(data);
        return 0;
    }

    /** age (every recipient type, binary and armored, to and from channels) and minisign, on small inputs. */
    private static void crypto(byte[] data) throws Exception {
        var x = dev.mmh.crypto.age.X25519Identity.generate();
        var pq = dev.mmh.crypto.age.HybridIdentity.generate();
        dev.mmh.crypto.age.AgeKeys.parseRecipient(x.recipient().toString());
        dev.mmh.crypto.age.AgeKeys.parseIdentity(pq.encode());
        dev.mmh.crypto.age.AgeKeys.identityFile(x);
        byte[] pass = "warm-up".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (boolean armor : new boolean[] {false, true}) {
            for (var r : java.util.List.of(x.recipient(), pq.recipient(), new dev.mmh.crypto.age.ScryptRecipient(pass,
                    10))) {
                ByteArrayOutputStream sealed = new ByteArrayOutputStream();
                dev.mmh.crypto.age.Age.encrypt(java.nio.channels.Channels.newChannel(new ByteArrayInputStream(data)),
                        java.nio.channels.Channels.newChannel(sealed), java.util.List.of(r), armor, 2);
                dev.mmh.crypto.age.Age.decrypt(java.nio.channels.Channels.newChannel(new ByteArrayInputStream(
                        sealed.toByteArray())), java.nio.channels.Channels.newChannel(new ByteArrayOutputStream()),
                        java.util.List.of(x, pq, new dev.mmh.crypto.age.ScryptIdentity(pass)), 2);
            }
        }
        var k = dev.mmh.crypto.minisign.Minisign.generate();
        String sig = dev.mmh.crypto.minisign.Minisign.sign(new ByteArrayInputStream(data), "w", k, null);
        dev.mmh.crypto.minisign.Minisign.verify(new ByteArrayInputStream(data), sig, k.publicKeyOf(), "w.minisig");
        dev.mmh.crypto.minisign.Minisign.parsePublicKey(k.publicKeyOf().file(), "w.pub");
        CommandLine cl = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(
                java.io.Writer.nullWriter()), "encrypt");
        cl.parseArgs("encrypt", "-r", x.recipient().toString(), "-o", "w.age", "w");
        cl = Main.commandLine(new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(
                java.io.Writer.nullWriter()), "decrypt");
        cl.parseArgs("decrypt", "-i", "k", "-o", "w", "w.age");
    }

    /** The commands' own classes (files, atomic output, analysis, several archives at once) through quick runs. */
    private static void commands(byte[] data) throws Exception {
        Path dir = Files.createTempDirectory("mmh-warmup");
        java.io.PrintWriter none = new java.io.PrintWriter(java.io.Writer.nullWriter());
        try {
            Path f = dir.resolve("w");
            Files.write(f, data);
            QuickArgs.tryRun(new String[] {"compress", "-q", "-f", "-T", "2", f.toString()}, none, none);
            QuickArgs.tryRun(new String[] {"compress", "-q", "-f", "--max", "-B", "64K", f.toString(), "-o",
                dir.resolve("m.mmh").toString()}, none, none);
            Files.delete(f);
            QuickArgs.tryRun(new String[] {"decompress", "-q", "-f", f + ".mmh", dir.resolve("m.mmh").toString()},
                    none, none);
            // gzip's classes (its command, libdeflate's binding, the streams) were not in the archive at all
            Main.execute(new String[] {"gzip", "-q", "-k", "-f", f.toString()}, none, none);
            Main.execute(new String[] {"gunzip", "-q", "-f", f + ".gz"}, none, none);
            folders(dir, data, none);
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Folder archives: compress a small tree, list it, cat a file (mmh cat of one file is meant to start as fast as
     * a decompress of a small archive), extract it.
     */
    private static void folders(Path dir, byte[] data, java.io.PrintWriter none) throws Exception {
        Path t = Files.createDirectories(dir.resolve("tree").resolve("sub"));
        Files.write(t.resolve("a"), data);
        Files.write(t.getParent().resolve("b"), java.util.Arrays.copyOf(data, 1000));
        String a = dir.resolve("tree.mmh").toString();
        QuickArgs.tryRun(new String[] {"compress", "-q", "-f", "-T", "2", t.getParent().toString(), "-o", a}, none,
                none);
        QuickArgs.tryRun(new String[] {"list", "-l", a}, none, none);
        Stdio.redirect(null, java.io.OutputStream.nullOutputStream());
        try {
            QuickArgs.tryRun(new String[] {"cat", a, "tree/sub/a"}, none, none);
        } finally {
            Stdio.redirect(null, null);
        }
        QuickArgs.tryRun(new String[] {"decompress", "-q", a, "-C", dir.resolve("x").toString()}, none, none);
    }

    /** Protect, damage, examine, repair in place and verify a small archive in a temporary file. */
    private static void recovery(byte[] data) throws Exception {
        Path tmp = Files.createTempFile("mmh-warmup", ".mmh");
        try {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            Mmh.compress(new ByteArrayInputStream(data), packed,
                    CompressOptions.builder().codec("store").threads(2).blockSize(64 * 1024).compact(false).build());
            byte[] a = packed.toByteArray();
            Files.write(tmp, a);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ArchiveProtection.protectInPlace(ch, 0.05, 2);
                ByteBuffer zeros = ByteBuffer.allocate(3000);
                ch.write(zeros, 5000);
                Examination e = Examination.examine(ch, 2);
                if (e.repairable()) {
                    Recovery.repairInPlace(ch, e, 2);
                }
            }
            Verifier.verify(tmp, DecompressOptions.builder().threads(2).build());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
