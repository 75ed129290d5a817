package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/CLI.md's tables against the command line the code builds (picocli's model of every command, {@link ExitCode}):
 * the commands with their aliases, each command's options with all their names, and the exit codes with their
 * meanings. A command, alias, option name or exit code in one and not the other fails.
 */
class CliDocTest {
    /** A table of the document: the heading above it and its rows (without the header), cells trimmed. */
    record Table(String heading, List<List<String>> rows) {
    }

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern OPTION = Pattern.compile("-{1,2}[A-Za-z0-9][A-Za-z0-9-]*");

    static List<Table> tables(List<String> lines) {
        List<Table> tables = new ArrayList<>();
        String heading = "";
        List<List<String>> rows = null;
        for (String line : lines) {
            if (line.startsWith("#")) {
                heading = line.replaceFirst("^#+\\s*", "");
            }
            if (!line.startsWith("|")) {
                rows = null;
                continue;
            }
            List<String> cells = cells(line);
            if (rows == null) {
                rows = new ArrayList<>(); // the header row
                tables.add(new Table(heading, rows));
            } else if (!cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                rows.add(cells);
            }
        }
        return tables;
    }

    /** The cells of a table row; {@code \|} is a | inside a cell. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder c = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
                c.append('|');
                i++;
            } else if (ch == '|') {
                cells.add(c.toString().trim());
                c.setLength(0);
            } else {
                c.append(ch);
            }
        }
        return cells;
    }

    /** The option names in a cell: each word of its code spans that looks like one, without a value. */
    static Set<String> optionNames(String cell) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            for (String word : m.group(1).split("[,\\s]+")) {
                String w = word.replaceFirst("[\\[=].*", "");
                if (OPTION.matcher(w).matches()) {
                    names.add(w);
                }
            }
        }
        return names;
    }

    /** The words of a cell's code spans. */
    private static List<String> codeWords(String cell) {
        List<String> words = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            words.addAll(List.of(m.group(1).trim().split("\\s+")));
        }
        return words;
    }

    private static List<Table> doc() throws IOException {
        Path p = Path.of("../docs/CLI.md");
        assertTrue(Files.isRegularFile(p), "run from mmh-cli: " + p.toAbsolutePath());
        return tables(Files.readAllLines(p));
    }

    /** The one table under a heading that names {@code command} in code and contains {@code what}. */
    private static Table table(List<Table> doc, String command, String what) {
        Table found = null;
        for (Table t : doc) {
            if (t.heading().contains("`" + command + "`") && t.heading().contains(what)) {
                assertTrue(found == null, "two tables of " + what + " for " + command);
                found = t;
            }
        }
        return found;
    }

    /** The one table under the heading {@code heading}. */
    private static Table headed(List<Table> doc, String heading) {
        List<Table> found = doc.stream().filter(t -> t.heading().equals(heading)).toList();
        assertEquals(1, found.size(), "tables under the heading " + heading);
        return found.get(0);
    }

    private static CommandLine model() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
    }

    /** Every command of the model, {@code mmh} itself first, hidden ones left out, by name. */
    private static Map<String, CommandSpec> commands(CommandLine root) {
        Map<String, CommandSpec> all = new LinkedHashMap<>();
        all.put("mmh", root.getCommandSpec());
        for (CommandLine c : root.getSubcommands().values()) {
            if (!c.getCommandSpec().usageMessage().hidden()) {
                all.put(c.getCommandName(), c.getCommandSpec());
            }
        }
        return all;
    }

    @Test
    void theCommandsTableHoldsEveryCommandWithItsAliasesAndNothingElse() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        Table t = headed(doc(), "Commands");
        for (List<String> row : t.rows()) {
            List<String> words = codeWords(row.get(0));
            assertTrue(words.size() >= 2 && words.get(0).equals("mmh"), "a command: " + row);
            documented.put(words.get(1), new TreeSet<>(codeWords(row.get(1))));
        }
        Map<String, Set<String>> registered = new TreeMap<>();
        commands(model()).forEach((name, spec) -> {
            if (!name.equals("mmh")) {
                registered.put(name, new TreeSet<>(List.of(spec.aliases())));
            }
        });
        assertEquals(registered, documented);
    }

    @Test
    void everyOptionIsDocumentedWithAllItsNamesAndNothingElse() throws IOException {
        List<Table> doc = doc();
        int checked = 0;
        for (Map.Entry<String, CommandSpec> e : commands(model()).entrySet()) {
            String command = e.getKey();
            List<OptionSpec> options = new ArrayList<>();
            Set<String> names = new TreeSet<>();
            for (OptionSpec o : e.getValue().options()) {
                names.addAll(List.of(o.names()));
                // every subcommand has -h (and most -V): the document says so once, in words
                boolean standard = !command.equals("mmh") && (o.usageHelp() || o.versionHelp());
                if (!o.hidden() && !standard) {
                    options.add(o);
                }
            }
            Table t = table(doc, command, "options");
            if (options.isEmpty() && t == null) {
                continue; // mmh help: nothing to document
            }
            assertNotNull(t, "a table under a heading \"`" + command + "` options\"");
            List<Set<String>> rows = new ArrayList<>();
            for (List<String> row : t.rows()) {
                rows.add(optionNames(row.get(0)));
            }
            for (OptionSpec o : options) {
                List<String> all = List.of(o.names());
                assertTrue(rows.stream().anyMatch(r -> r.containsAll(all)),
                        command + ": no row of its options table names " + String.join(", ", all));
            }
            for (Set<String> r : rows) {
                for (String n : r) {
                    assertTrue(names.contains(n), command + " has no option " + n + " (documented in " + r + ")");
                }
            }
            checked += options.size();
        }
        assertTrue(checked > 60, "options checked: " + checked);
    }

    /** The code's exit codes: every constant of {@link ExitCode}, by value. */
    private static Map<String, String> constants() throws IllegalAccessException {
        Map<String, String> codes = new TreeMap<>();
        for (Field f : ExitCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                assertEquals(null, codes.put(Integer.toString(f.getInt(null)), f.getName()), "two with one value");
            }
        }
        return codes;
    }

    /** Each code of {@code expected} (as --help lists it) is in {@code t} with a meaning that starts with its text. */
    private static void sameCodes(Map<String, String> expected, Table t, String what) {
        Map<String, String> documented = new TreeMap<>();
        for (List<String> row : t.rows()) {
            documented.put(row.get(0), row.get(1).replace("`", ""));
        }
        assertEquals(new TreeSet<>(expected.keySet()), documented.keySet(), what + ": the codes");
        expected.forEach((code, text) -> {
            String meaning = text.replaceFirst("\\.$", "").toLowerCase(Locale.ROOT);
            assertTrue(documented.get(code).toLowerCase(Locale.ROOT).startsWith(meaning),
                    what + ": " + code + " is documented as \"" + documented.get(code) + "\", --help says \"" + text
                            + "\"");
        });
    }

    @Test
    void everyExitCodeIsDocumentedWithItsMeaningAsHelpListsIt() throws Exception {
        Map<String, String> help = new LinkedHashMap<>();
        for (String line : ExitCode.HELP) {
            int i = line.indexOf(':');
            help.put(line.substring(0, i), line.substring(i + 1));
        }
        assertEquals(constants().keySet(), new TreeSet<>(help.keySet()), "ExitCode's constants and its HELP lines");
        List<Table> doc = doc();
        sameCodes(help, headed(doc, "Exit codes"), "Exit codes");
        int own = 0;
        for (Map.Entry<String, CommandSpec> e : commands(model()).entrySet()) {
            Map<String, String> listed = e.getValue().usageMessage().exitCodeList();
            assertTrue(!listed.isEmpty(), e.getKey() + " --help lists its exit codes");
            if (listed.equals(help)) {
                continue;
            }
            Table t = table(doc, e.getKey(), "exit codes");
            if (t == null) {
                fail(e.getKey() + " has exit codes of its own and no table under \"`" + e.getKey() + "` exit codes\"");
            }
            sameCodes(listed, t, e.getKey());
            own++;
        }
        assertEquals(3, own, "gzip, gunzip and bench have exit codes of their own");
    }
}
