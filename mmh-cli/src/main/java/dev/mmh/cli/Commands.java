package dev.mmh.cli;

import dev.mmh.cli.CommandDef.Opt;
import dev.mmh.cli.CommandDef.Param;
import dev.mmh.cli.CommandDef.Value;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The command line of mmh's own commands, defined once: every option, every command's names, help, parameters and
 * options. Picocli's model ({@link CommandDef#commandLine()}) and {@link QuickArgs} are both built from this table;
 * each command takes the values from the {@link Args} either one parsed ({@link #create}); docs/CLI.md documents it
 * ({@code CliDocTest} holds the two together). The commands of the other modules (gzip, gunzip, bench) keep picocli's
 * annotations.
 */
final class Commands {
    private Commands() {
    }

    // Most commands' (Common)
    static final Opt<Boolean> QUIET = Opt.flag("-q, --quiet", "Print nothing but errors; no progress bar.");
    static final Opt<Integer> THREADS = Opt.integer("-T, --threads", "N",
            "Worker threads; 0 (the default) uses all ${sys:mmh.cores} cores.");
    static final Opt<Boolean> VERBOSE = Opt.flag("-v, --verbose", "Say more; print stack traces of errors.");
    static final List<Opt<?>> COMMON = List.of(QUIET, THREADS, VERBOSE);

    // Where compress and decompress write (OutputOptions)
    static final Opt<java.nio.file.Path> OUTPUT = Opt.path("-o, --output", "OUT", "Write to OUT (one input only).");
    static final Opt<Boolean> STDOUT = Opt.flag("-c, --stdout", "Write to standard output.");
    static final Opt<Boolean> FORCE = Opt.flag("-f, --force", "Overwrite existing output files.");
    static final Opt<Boolean> REMOVE = Opt.flag("--rm",
            "Delete each input once its output is complete (and, for compress, decoded back and checked).");
    static final Opt<Boolean> KEEP = Opt.flag("-k, --keep", "Keep inputs (the default).").hide();
    static final List<Opt<?>> DESTINATION = List.of(OUTPUT, STDOUT, FORCE, REMOVE, KEEP);

    // compress
    static final Opt<String> CODEC = Opt.string("--codec", "NAME", "Use this codec for every block: ${sys:mmh.codecs}.",
            "Without --codec (and without -l), mmh analyses each block and picks transform, codec and level.");
    static final Opt<Integer> LEVEL = Opt.integer("-l, --level", "N",
            "Codec level (zstd -7..22); without --codec it applies to zstd.");
    static final Opt<Boolean> FAST = Opt.flag("--fast", "Goal: speed (with --codec: the codec's fast level).");
    static final Opt<Boolean> MAX = Opt.flag("--max",
            "Goal: smallest output (with --codec: the codec's strongest level).");
    static final Opt<Integer> LONG = Opt.integer("--long", "WLOG",
            "zstd long-distance matching with a window of 2^WLOG bytes (default 27).").optionalValue("27");
    static final Opt<Boolean> EXTREME = Opt.flag("--extreme", "xz extreme presets (slower, sometimes smaller).");
    static final Opt<Long> BLOCK_SIZE = Opt.size("-B, --block-size", "SIZE",
            "Raw bytes per block, e.g. 4M, 64MiB (default 8M). Blocks compress in parallel.");
    static final Opt<String> RECOVERY = Opt.string("--recovery", "PCT",
            "Add recovery data (e.g. 5%%) that mmh repair uses to rebuild damaged bytes; default from the "
                    + "MMH_RECOVERY environment variable, else none.");
    static final Opt<String> HASH = Opt.string("--hash", "ALG", "Block hash: xxh64 (default) or sha256.");

    // info, analyze
    static final Opt<Boolean> INFO_JSON = Opt.flag("--json",
            "Print JSON for programs (one object per file, in a list if several).");
    static final Opt<Boolean> BLOCKS = Opt.flag("--blocks", "List every block (always included in --json).");
    /** -v of the commands that say no more with it: stack traces only. */
    static final Opt<Boolean> TRACES = Opt.flag("-v, --verbose", "Print stack traces of errors.");
    static final Opt<Long> REGION_SIZE = Opt.size("-B, --region-size", "SIZE",
            "Bytes per analysed region (default 1M).");
    static final Opt<Boolean> ANALYZE_JSON = Opt.flag("--json", "Print JSON for programs.");

    // protect, repair
    static final Opt<String> SHARE = Opt.string("--recovery", "PCT",
            "Recovery data as a share of the protected bytes, e.g. 5%%.").require();
    static final Opt<java.nio.file.Path> REPAIRED = Opt.path("-o, --output", "OUT", "Write the repaired file to OUT.");
    static final Opt<Boolean> OVERWRITE = Opt.flag("-f, --force", "Overwrite OUT if it exists.");

    // keygen, encrypt, decrypt, sign, verify --signed-by
    static final Opt<Boolean> PQ = Opt.flag("--pq",
            "A post-quantum hybrid identity (ML-KEM-768 + X25519, age1pq1...), as age-keygen -pq makes.");
    static final Opt<Boolean> SIGN_KEYS = Opt.flag("--sign",
            "A minisign key pair for mmh sign: the secret key to OUT, the public key to OUT.pub.");
    static final Opt<List<String>> RECIPIENT = Opt.strings("-r, --recipient", "RECIPIENT",
            "Encrypt to RECIPIENT (age1... or age1pq1...); may be given several times.");
    static final Opt<List<String>> RECIPIENTS_FILE = Opt.strings("-R, --recipients-file", "FILE",
            "Encrypt to every recipient in FILE (one a line, # comments); may be given several times.");
    static final Opt<List<String>> IDENTITY = Opt.strings("-i, --identity", "FILE",
            "Decrypt with the identities in FILE (as age-keygen or mmh keygen write it); may be given several times.");
    static final Opt<Boolean> PASSPHRASE = Opt.flag("--passphrase",
            "Use a passphrase: asked on the terminal without echo, or taken from --passphrase-file or the "
                    + "MMH_PASSPHRASE environment variable; never from the command line.");
    static final Opt<java.nio.file.Path> PASSPHRASE_FILE = Opt.path("--passphrase-file", "FILE",
            "Read the passphrase from the first line of FILE (implies --passphrase).");
    static final Opt<Boolean> PAD = Opt.flag("--pad",
            "With a recipient or passphrase: pad each block's sealed bytes to a Padme length, so stored sizes say "
                    + "less about the contents (at most about 12% larger, less for large blocks).");
    static final Opt<Boolean> ARMOR = Opt.flag("-a, --armor", "Write ASCII armor (PEM) instead of binary.");
    static final Opt<java.nio.file.Path> SECRET_KEY = Opt.path("-k, --secret-key", "KEY",
            "The minisign secret key (minisign -G or mmh keygen --sign).").require();
    static final Opt<String> TRUSTED_COMMENT = Opt.string("-t, --trusted-comment", "TEXT",
            "The signed comment (default: timestamp and file name, as minisign writes it).");
    static final Opt<String> SIGNED_BY = Opt.string("--signed-by", "PUBLIC",
            "Also check FILE.minisig, the minisign signature of FILE, against this public key (a key file or the "
                    + "RW... string); FILE need not be an archive. Without FILE.minisig, check the signatures inside "
                    + "the archive (mmh sign --embed).");
    static final Opt<Boolean> EMBED = Opt.flag("--embed",
            "Put the signature inside each archive FILE.mmh (kept by protect and repair) instead of FILE.minisig "
                    + "beside it; the archive needs SHA-256 block hashes (compress --hash sha256).");

    // compress: folder archives
    static final Opt<Boolean> APPEND = Opt.flag("--append",
            "Add a version of the folders to the folder archive -o X.mmh (or DIR.mmh), storing only what it lacks; "
                    + "makes the archive if there is none.");
    static final Opt<String> FROM_TAR = Opt.string("--from-tar", "TAR",
            "Pack the tar stream TAR (a file, or - for stdin) into a folder archive.");
    static final Opt<Boolean> OWNER = Opt.flag("--owner", "Folders: store owners (user and group, names and ids).");
    static final Opt<Boolean> XATTRS = Opt.flag("--xattrs", "Folders: store extended attributes (user.*).");
    static final Opt<Boolean> SPECIAL = Opt.flag("--special",
            "Folders: store FIFOs and device files (else they are skipped with a warning).");
    static final Opt<Boolean> REHASH = Opt.flag("--rehash",
            "With --append: read every file, even those whose size and time say they are unchanged.");

    // decompress, list, cat: folder archives
    static final Opt<java.nio.file.Path> DIRECTORY = Opt.path("-C, --directory", "DEST",
            "Extract a folder archive into DEST (made if missing; default: the current folder).");
    static final Opt<Integer> ARCHIVE_VERSION = Opt.integer("--version", "N",
            "Folder archives: version N (1 is the oldest; default: the latest).");
    static final Opt<Boolean> TO_TAR = Opt.flag("--to-tar",
            "Write the folder archive as a tar stream to standard output (or to -o FILE).");
    static final Opt<Boolean> RESTORE_OWNER = Opt.flag("--owner",
            "Restore stored owners (numeric ids; needs root).");
    static final Opt<Boolean> RESTORE_XATTRS = Opt.flag("--xattrs", "Restore stored extended attributes.");
    static final Opt<Boolean> RESTORE_SPECIAL = Opt.flag("--special",
            "Restore stored FIFOs and device files (devices need root); else they are skipped with a warning.");

    // list, diff
    static final Opt<Boolean> LONG_LISTING = Opt.flag("-l, --long",
            "Mode, owner (if stored), size, time and link target of each entry.");
    static final Opt<Boolean> LIST_JSON = Opt.flag("--json", "Print one JSON document for programs.");
    static final Opt<Boolean> VERSIONS = Opt.flag("--versions",
            "List the versions: number, date, files, bytes, new bytes stored, label.");

    static final CommandDef COMPRESS = CommandDef.command("compress").aliases("c").quick()
            .description("Compress FILEs into FILE.mmh archives (stdin to stdout with - or no FILE); a DIR, or "
                    + "several paths with -o X.mmh, into one folder archive.",
                    "The input is kept unless --rm is given.")
            .param(Param.list("FILE", 0, Value.STRING, "Files or folders to compress; - for stdin."))
            .options(DESTINATION)
            .options(CODEC, LEVEL, FAST, MAX, LONG, EXTREME, BLOCK_SIZE, RECOVERY, HASH)
            .options(APPEND, FROM_TAR, OWNER, XATTRS, SPECIAL, REHASH)
            .options(RECIPIENT, RECIPIENTS_FILE, IDENTITY, PASSPHRASE, PASSPHRASE_FILE, PAD)
            .options(COMMON)
            .build();

    static final CommandDef DECOMPRESS = CommandDef.command("decompress").aliases("d", "x").quick()
            .description("Decompress FILE.mmh archives into FILE (stdin to stdout with - or no FILE); a folder "
                    + "archive into DEST (-C), all of it or the PATHs named after it.",
                    "Every block, the index and the content ID are checked; on any damage no output file is left.")
            .param(Param.list("FILE", 0, Value.STRING,
                    "Archives to decompress; - for stdin. After a folder archive: paths in it to restore."))
            .options(DESTINATION)
            .options(DIRECTORY, ARCHIVE_VERSION, TO_TAR, RESTORE_OWNER, RESTORE_XATTRS, RESTORE_SPECIAL)
            .options(IDENTITY, PASSPHRASE, PASSPHRASE_FILE)
            .options(COMMON)
            .build();

    static final CommandDef VERIFY = CommandDef.command("verify").aliases("t", "test").quick()
            .description("Check every block, the index and the content ID of FILE.mmh archives without writing "
                    + "anything.", "Each damaged block is reported with its number and offset.")
            .param(Param.list("FILE", 1, Value.PATH, "Archives (or, with --signed-by, any files) to verify."))
            .options(SIGNED_BY, IDENTITY, PASSPHRASE, PASSPHRASE_FILE)
            .options(COMMON)
            .build();

    static final CommandDef INFO = CommandDef.command("info").aliases("l")
            .description("Show codecs, levels, block count, sizes, ratio and content ID of FILE.mmh archives "
                    + "(reads the header, index and footer only; use verify to check the data).")
            .param(Param.list("FILE", 1, Value.PATH, "Archives to describe."))
            .options(INFO_JSON, BLOCKS, TRACES)
            .build();

    static final CommandDef LIST = CommandDef.command("list").aliases("ls").quick()
            .description("List the entries of a folder archive (reads its catalog only), or its versions; a "
                    + "single-file archive lists its one file.")
            .param(Param.list("FILE", 1, Value.STRING,
                    "The archive, then paths in it to list (with everything below them); default: all."))
            .options(LONG_LISTING, LIST_JSON, ARCHIVE_VERSION, VERSIONS, TRACES)
            .options(IDENTITY, PASSPHRASE, PASSPHRASE_FILE)
            .build();

    static final CommandDef CAT = CommandDef.command("cat").quick()
            .description("Write files of a folder archive to standard output, one after another, decoding only the "
                    + "blocks that hold them.")
            .param(Param.list("FILE", 2, Value.STRING, "The archive, then the paths of files in it."))
            .options(ARCHIVE_VERSION, TRACES)
            .options(IDENTITY, PASSPHRASE, PASSPHRASE_FILE)
            .build();

    static final CommandDef DIFF = CommandDef.command("diff")
            .description("What changed in a folder archive from version N to version M: + added, - removed, "
                    + "M content changed, m metadata only; one line per entry, in path order.")
            .param(Param.list("ARG", 3, Value.STRING, "The archive, then the versions N and M."))
            .options(LIST_JSON, TRACES)
            .options(IDENTITY, PASSPHRASE, PASSPHRASE_FILE)
            .build();

    static final CommandDef PROTECT = CommandDef.command("protect")
            .description("Add (or replace) recovery data: inside FILE.mmh archives without recompressing them, or as "
                    + "a sidecar FILE.mmhr beside any other file. mmh repair uses it to rebuild damaged bytes.")
            .param(Param.list("FILE", 1, Value.PATH, "Archives or other files to protect."))
            .options(SHARE)
            .options(COMMON)
            .build();

    static final CommandDef REPAIR = CommandDef.command("repair").quick()
            .description("Find damaged regions of FILE.mmh (or of FILE, from its sidecar FILE.mmhr), rebuild them "
                    + "from the recovery data and check the result. Without -o only the damaged bytes of FILE are "
                    + "rewritten, after the repair was checked in memory; with -o the whole repaired file is written "
                    + "atomically and every block is decoded again.", "When the damage exceeds what the recovery data "
                    + "can fix, nothing is changed and the exit code is 3.")
            .param(Param.one("FILE", Value.PATH, "The damaged archive (or file with a sidecar)."))
            .options(REPAIRED, OVERWRITE)
            .options(COMMON)
            .build();

    static final CommandDef ANALYZE = CommandDef.command("analyze")
            .description("Report what mmh's analysis sees in FILE, region by region (kind of data, and what each goal "
                    + "would choose), and the ratio each codec reaches on samples of it. Writes nothing.")
            .param(Param.list("FILE", 1, Value.PATH, "Files to analyse."))
            .options(REGION_SIZE, ANALYZE_JSON, TRACES)
            .build();

    static final CommandDef KEYGEN = CommandDef.command("keygen")
            .description("Make an age identity (X25519, or post-quantum with --pq) and print its recipient, as "
                    + "age-keygen does: to OUT (readable by its owner only) or to stdout; or with --sign a minisign "
                    + "key pair.")
            .options(PQ, SIGN_KEYS, OUTPUT, FORCE, PASSPHRASE, PASSPHRASE_FILE)
            .build();

    static final CommandDef ENCRYPT = CommandDef.command("encrypt").quick()
            .description("Encrypt FILE (stdin if none or -) into a standard age file: FILE.age, OUT with -o, or "
                    + "stdout for stdin. Chunks are encrypted on all cores; age and rage decrypt the result.")
            .param(Param.list("FILE", 0, Value.STRING, "The file to encrypt; - for stdin."))
            .options(RECIPIENT, RECIPIENTS_FILE, PASSPHRASE, PASSPHRASE_FILE, ARMOR, OUTPUT, FORCE)
            .options(COMMON)
            .build();

    static final CommandDef DECRYPT = CommandDef.command("decrypt").quick()
            .description("Decrypt an age file (binary or armored): FILE.age to FILE, to OUT with -o, or stdin to "
                    + "stdout. A wrong key or any altered byte fails with exit code 8 (3 for a damaged header) and "
                    + "leaves no output file.")
            .param(Param.list("FILE", 0, Value.STRING, "The age file; - for stdin."))
            .options(IDENTITY, PASSPHRASE, PASSPHRASE_FILE, OUTPUT, FORCE)
            .options(COMMON)
            .build();

    static final CommandDef SIGN = CommandDef.command("sign")
            .description("Sign FILEs with a minisign secret key: FILE.minisig beside each, which minisign -V and "
                    + "mmh verify --signed-by check; with --embed, inside each archive instead.")
            .param(Param.list("FILE", 1, Value.PATH, "Files to sign."))
            .options(SECRET_KEY, TRUSTED_COMMENT, EMBED, PASSPHRASE_FILE)
            .options(COMMON)
            .build();

    /** Every command defined here, in the order {@code mmh --help} lists them. */
    static final List<CommandDef> ALL = List.of(COMPRESS, DECOMPRESS, VERIFY, INFO, LIST, CAT, DIFF, PROTECT, REPAIR,
            ANALYZE, KEYGEN, ENCRYPT, DECRYPT, SIGN);

    /**
     * Sets the system properties that the help's texts name ({@code ${sys:mmh.cores}}, {@code ${sys:mmh.codecs}}),
     * which picocli reads when it prints the help.
     */
    static void helpVariables() {
        System.setProperty("mmh.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.setProperty("mmh.codecs", dev.mmh.codec.Codecs.names());
    }

    /** The command object for what was parsed into {@code a}: it takes its settings from {@code a}. */
    static Callable<Integer> create(Args a) {
        CommandDef d = a.def;
        if (d == COMPRESS) {
            return new CompressCommand(a);
        }
        if (d == DECOMPRESS) {
            return new DecompressCommand(a);
        }
        if (d == VERIFY) {
            return new VerifyCommand(a);
        }
        if (d == INFO) {
            return new InfoCommand(a);
        }
        if (d == LIST) {
            return new ListCommand(a);
        }
        if (d == CAT) {
            return new CatCommand(a);
        }
        if (d == DIFF) {
            return new DiffCommand(a);
        }
        if (d == PROTECT) {
            return new ProtectCommand(a);
        }
        if (d == REPAIR) {
            return new RepairCommand(a);
        }
        if (d == ANALYZE) {
            return new AnalyzeCommand(a);
        }
        if (d == KEYGEN) {
            return new KeygenCommand(a);
        }
        if (d == ENCRYPT) {
            return new EncryptCommand(a);
        }
        if (d == DECRYPT) {
            return new DecryptCommand(a);
        }
        if (d == SIGN) {
            return new SignCommand(a);
        }
        throw new IllegalArgumentException("no command class for " + d.name());
    }
}
