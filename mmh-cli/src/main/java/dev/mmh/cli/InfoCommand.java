package dev.mmh.cli;

import dev.mmh.codec.CodecParams;
import dev.mmh.codec.Codecs;
import dev.mmh.format.FileHeader;
import dev.mmh.format.Format;
import dev.mmh.format.IndexEntry;
import dev.mmh.format.SeekableArchive;
import dev.mmh.json.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code mmh info}: what an archive holds, from its header, index and footer. Its command line: {@link Commands#INFO}.
 */
final class InfoCommand implements Callable<Integer> {
    final List<Path> files;
    final boolean json;
    final boolean blocks;

    /** Picocli's model of the command. */
    final CommandLine.Model.CommandSpec spec;

    InfoCommand(Args a) {
        files = a.params();
        json = a.isSet(Commands.INFO_JSON);
        blocks = a.isSet(Commands.BLOCKS);
        if (a.isSet(Commands.TRACES)) {
            Errors.verbose = true;
        }
        spec = a.spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = ExitCode.OK;
        List<Object> all = new ArrayList<>();
        for (Path f : files) {
            try {
                Files2.checkInput(f);
                try (SeekableArchive a = SeekableArchive.open(f)) {
                    Map<String, Object> m = describe(f, a);
                    if (FolderHead.is(f)) {
                        // an encrypted folder archive's catalog is sealed: info reads no key, list -i shows it
                        m.put("folder", a.header().encrypted() ? FolderInfo.sealed() : FolderInfo.describe(f));
                    }
                    if (json) {
                        all.add(m);
                    } else {
                        print(out, m, a);
                    }
                }
            } catch (Exception | OutOfMemoryError e) {
                int s = Errors.report(err, f.toString(), e);
                if (status == ExitCode.OK) {
                    status = s;
                }
            }
        }
        if (json) {
            out.print(Json.write(all.size() == 1 ? all.get(0) : all));
            out.flush();
        }
        return status;
    }

    private static final String[] GOALS = {"none", "fast", "default", "max"};

    private static String transformName(int id) {
        try {
            return dev.mmh.transform.Transforms.byId(id).name();
        } catch (Exception e) {
            return "unknown(" + id + ")";
        }
    }

    private static String codecName(int id) {
        if (id == FileHeader.AUTO) {
            return "auto";
        }
        try {
            return Codecs.byId(id).name();
        } catch (Exception e) {
            return "unknown(" + id + ")";
        }
    }

    private static Map<String, Object> describe(Path f, SeekableArchive a) {
        FileHeader h = a.header();
        long raw = a.index().totalRawSize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.toString());
        m.put("formatVersion", h.layout().version());
        m.put("layout", h.layout().name().toLowerCase(Locale.ROOT));
        m.put("codec", codecName(h.codecId()));
        m.put("goal", h.goal() < GOALS.length ? GOALS[h.goal()] : "unknown(" + h.goal() + ")");
        m.put("level", h.params().level());
        m.put("windowLog", h.params().windowLog());
        m.put("long", h.params().has(CodecParams.LONG));
        m.put("extreme", h.params().has(CodecParams.EXTREME));
        m.put("blockSize", h.blockSize());
        m.put("hash", h.hash().name().toLowerCase(Locale.ROOT));
        m.put("blocks", a.index().entries().size());
        Map<String, Integer> perCodec = new TreeMap<>();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < a.index().entries().size(); i++) {
            IndexEntry e = a.index().entries().get(i);
            String c = codecName(e.codecId());
            String how = (e.transformId() == 0 ? "" : transformName(e.transformId()) + "+") + c;
            perCodec.merge(how, 1, Integer::sum);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("number", i);
            b.put("offset", e.offset());
            b.put("rawSize", e.rawSize());
            b.put("storedSize", e.storedSize());
            b.put("codec", c);
            b.put("level", e.level());
            b.put("transform", e.transformId() == 0 ? "none" : transformName(e.transformId()));
            b.put("transformParam", e.transformParam());
            b.put("reason", dev.mmh.analysis.Reasons.describe(e.reason()));
            b.put("hash", Format.hex(e.rawHash()));
            list.add(b);
        }
        m.put("blocksPerCodec", perCodec);
        m.put("rawSize", raw);
        m.put("archiveSize", a.size());
        m.put("ratio", a.size() == 0 ? 0.0 : (double) raw / a.size());
        m.put("recovery", a.footer().recoveryOffset() != 0);
        m.put("contentId", Format.hex(a.index().contentId()));
        if (h.encrypted()) {
            // the recipients' types and count, never key material (stanza arguments and bodies stay unread)
            Map<String, Object> enc = new LinkedHashMap<>();
            try {
                byte[] body = a.encryptionBody();
                enc.put("aead", dev.mmh.crypto.ArchiveCipher.aeadName(body));
                enc.put("recipients", dev.mmh.crypto.ArchiveCipher.recipientCount(body, h.length()));
                enc.put("recipientTypes", dev.mmh.crypto.ArchiveCipher.recipientTypes(body, h.length()));
            } catch (java.io.IOException e) {
                enc.put("error", Errors.describe(e));
            }
            m.put("encryption", enc);
        }
        if (!h.compact() && !h.folder()) {
            // shown, not checked: verify --signed-by checks them
            try {
                List<Object> sigs = new ArrayList<>();
                for (dev.mmh.engine.ArchiveSignatures.Embedded e : dev.mmh.engine.ArchiveSignatures.read(a)) {
                    Map<String, Object> sg = new LinkedHashMap<>();
                    sg.put("keyId", e.keyIdHex());
                    sg.put("trustedComment", e.trustedComment());
                    sg.put("offset", e.offset());
                    sigs.add(sg);
                }
                if (!sigs.isEmpty()) {
                    m.put("signatures", sigs);
                }
            } catch (java.io.IOException e) {
                m.put("signatures", Errors.describe(e));
            }
        }
        m.put("blockList", list);
        return m;
    }

    @SuppressWarnings("unchecked")
    private void print(PrintWriter out, Map<String, Object> m, SeekableArchive a) {
        long raw = (Long) m.get("rawSize");
        long size = (Long) m.get("archiveSize");
        FileHeader h = a.header();
        StringBuilder params = new StringBuilder(h.goal() != 0 ? "chosen per block, goal " + m.get("goal")
                : "level " + h.params().level());
        if (h.params().has(CodecParams.LONG)) {
            params.append(", long window 2^").append(h.params().windowLog());
        }
        if (h.params().has(CodecParams.EXTREME)) {
            params.append(", extreme");
        }
        out.printf(Locale.ROOT, "%s%n", m.get("file"));
        out.printf(Locale.ROOT, "  format       mmh version %d (%s layout), block hash %s%n", m.get("formatVersion"),
                m.get("layout"), m.get("hash"));
        out.printf(Locale.ROOT, "  codec        %s (%s)%n", m.get("codec"), params);
        out.printf(Locale.ROOT, "  blocks       %d of up to %s (%s)%n", m.get("blocks"), Report.bytes(h.blockSize()),
                perCodec((Map<String, Integer>) m.get("blocksPerCodec")));
        out.printf(Locale.ROOT, "  raw size     %,d bytes (%s)%n", raw, Report.bytes(raw));
        out.printf(Locale.ROOT, "  archive size %,d bytes (%s)%n", size, Report.bytes(size));
        out.printf(Locale.ROOT, "  ratio        %.3f (%.2f%% of raw)%n", (Double) m.get("ratio"),
                raw == 0 ? 0.0 : 100.0 * size / raw);
        out.printf(Locale.ROOT, "  recovery     %s%n", a.footer().recoveryOffset() != 0 ? "yes" : "none");
        out.printf(Locale.ROOT, "  content ID   %s%n", m.get("contentId"));
        if (m.get("encryption") instanceof Map<?, ?> enc) {
            out.printf(Locale.ROOT, "  encryption   %s%n", enc.get("error") != null ? enc.get("error")
                    : enc.get("aead") + ", " + enc.get("recipients") + " recipient" + (((Integer) enc.get("recipients"))
                    == 1 ? "" : "s") + " (" + String.join(", ", (List<String>) enc.get("recipientTypes")) + ")");
        }
        if (m.get("signatures") instanceof List<?> sigs) {
            for (Object o : sigs) {
                Map<String, Object> sg = (Map<String, Object>) o;
                out.printf(Locale.ROOT, "  signature    signed by key %s (unchecked), trusted comment: %s%n",
                        sg.get("keyId"), sg.get("trustedComment"));
            }
        } else if (m.get("signatures") != null) {
            out.printf(Locale.ROOT, "  signature    %s%n", m.get("signatures"));
        }
        if (m.get("folder") != null) {
            FolderInfo.print(out, (Map<String, Object>) m.get("folder"));
        }
        if (blocks) {
            out.printf(Locale.ROOT, "  %8s %14s %12s %12s  %-28s %s%n", "block", "offset", "raw", "stored",
                    "transform+codec level", "why");
            for (Object o : (List<Object>) m.get("blockList")) {
                Map<String, Object> b = (Map<String, Object>) o;
                String t = "none".equals(b.get("transform")) ? "" : b.get("transform") + "(" + b.get("transformParam")
                        + ")+";
                out.printf(Locale.ROOT, "  %8d %14d %12d %12d  %-28s %s%n", b.get("number"), b.get("offset"),
                        b.get("rawSize"), b.get("storedSize"), t + b.get("codec") + " " + b.get("level"),
                        b.get("reason"));
            }
        }
        out.flush();
    }

    private static String perCodec(Map<String, Integer> m) {
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return s.length() == 0 ? "empty" : s.toString();
    }
}
