package dev.mmh.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One of mmh's own commands as data: its names, help text, parameters and options. {@link Commands} holds one for
 * every command of this module, and they are the only definition of those command lines: {@link #commandLine()}
 * builds picocli's model of the command from it through picocli's programmatic API, and {@link QuickArgs} parses the
 * common command lines of the commands run most often with it, without picocli. Both give the command an {@link Args}
 * from which it takes its values, so an option is in both, with the same names, arity and conversion.
 *
 * <p>The definitions are plain data (no annotations, no lambdas): reading annotations costs 60-100 ms of start-up (a
 * proxy class for each annotation type), and linking a lambda ~0.1 ms, which for a table of 45 options would cost
 * more than the whole quick parse.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
final class CommandDef {
    /** What an option's value or a parameter becomes. */
    enum Value {
        STRING(String.class),
        PATH(Path.class),
        /** An int; a quick run takes at most 9 plain digits and leaves anything else to picocli. */
        INT(Integer.class),
        /** A size such as {@code 4M} or {@code 1GiB} ({@link SizeConverter}). */
        SIZE(Long.class),
        /** Strings of an option that may be given several times: a {@code List<String>}, in the order given. */
        STRINGS(List.class);

        private final Class<?> type;

        Value(Class<?> type) {
            this.type = type;
        }

        /** The value's class, which picocli's model declares. */
        Class<?> type() {
            return type;
        }

        /** Picocli's converter, or {@code null} for picocli's built-in one for {@link #type()}. */
        CommandLine.ITypeConverter<?> converter() {
            return this == SIZE ? new SizeConverter() : null;
        }

        /**
         * The conversion of {@link QuickArgs}: the value, or {@code null} to leave the command line to picocli, which
         * then reports what is wrong with it. For every string it accepts it gives what picocli gives.
         */
        Object quick(String s) {
            try {
                return switch (this) {
                    case STRING -> s;
                    case PATH -> Path.of(s);
                    case INT -> digits(s);
                    case SIZE -> SizeConverter.parse(s);
                    case STRINGS -> s; // one occurrence: QuickArgs adds it to the list
                };
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static Integer digits(String s) {
            if (s.isEmpty() || s.length() > 9) {
                return null;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return null;
                }
            }
            return Integer.parseInt(s);
        }
    }

    /**
     * An option; commands read its value from {@link Args} with it, typed as {@code V}.
     *
     * @param names its names, short first ({@code -l}, {@code --level})
     * @param value what its value becomes, or {@code null} for a flag (no value: {@code true} when given)
     * @param label the value's name in the help, e.g. {@code N}
     * @param fallback for an option whose value may be left out, the value it then has; else {@code null}
     * @param required whether the command line must give it
     * @param hidden whether the help leaves it out
     * @param description the help's lines
     * @param <V> the class of its value
     */
    record Opt<V>(List<String> names, Value value, String label, String fallback, boolean required, boolean hidden,
            List<String> description) {
        /** A flag named {@code names} ({@code "-f, --force"}): {@code true} when given. */
        static Opt<Boolean> flag(String names, String... description) {
            return new Opt<>(names(names), null, null, null, false, false, List.of(description));
        }

        static Opt<String> string(String names, String label, String... description) {
            return new Opt<>(names(names), Value.STRING, label, null, false, false, List.of(description));
        }

        static Opt<Path> path(String names, String label, String... description) {
            return new Opt<>(names(names), Value.PATH, label, null, false, false, List.of(description));
        }

        static Opt<Integer> integer(String names, String label, String... description) {
            return new Opt<>(names(names), Value.INT, label, null, false, false, List.of(description));
        }

        /** An option that may be given several times; its value is the list of what was given, in order. */
        static Opt<List<String>> strings(String names, String label, String... description) {
            return new Opt<>(names(names), Value.STRINGS, label, null, false, false, List.of(description));
        }

        static Opt<Long> size(String names, String label, String... description) {
            return new Opt<>(names(names), Value.SIZE, label, null, false, false, List.of(description));
        }

        private static List<String> names(String names) {
            int i = names.indexOf(", ");
            return i < 0 ? List.of(names) : List.of(names.substring(0, i), names.substring(i + 2));
        }

        /** This option, which the command line must give. */
        Opt<V> require() {
            return new Opt<>(names, value, label, fallback, true, hidden, description);
        }

        /** This option, left out of the help. */
        Opt<V> hide() {
            return new Opt<>(names, value, label, fallback, required, true, description);
        }

        /** This option, whose value may be left out ({@code --long} or {@code --long=24}): it is then {@code v}. */
        Opt<V> optionalValue(String v) {
            return new Opt<>(names, value, label, v, required, hidden, description);
        }

        OptionSpec spec(Args args) {
            Binding b = new Binding(args, this);
            OptionSpec.Builder o = OptionSpec.builder(names.toArray(new String[0])).required(required)
                    .hidden(hidden).description(description.toArray(new String[0])).hasInitialValue(false)
                    .getter(b).setter(b);
            if (value == null) {
                return o.type(boolean.class).build();
            }
            o.type(value.type()).paramLabel(label);
            if (value == Value.STRINGS) {
                o.auxiliaryTypes(String.class);
            }
            if (value.converter() != null) {
                o.converters(value.converter());
            }
            if (fallback != null) {
                o.arity("0..1").fallbackValue(fallback);
            }
            return o.build();
        }
    }

    /**
     * The positional parameters: exactly one, or {@code min} or more (a list).
     *
     * @param value what each becomes
     */
    record Param(String label, int min, boolean many, Value value, String description) {
        /** Exactly one parameter. */
        static Param one(String label, Value value, String description) {
            return new Param(label, 1, false, value, description);
        }

        /** {@code min} or more parameters. */
        static Param list(String label, int min, Value value, String description) {
            return new Param(label, min, true, value, description);
        }

        PositionalParamSpec spec(Args args) {
            Binding b = new Binding(args, null);
            PositionalParamSpec.Builder p = PositionalParamSpec.builder().paramLabel(label).description(description)
                    .required(min > 0).hasInitialValue(false).getter(b).setter(b);
            if (many) {
                p.type(List.class).auxiliaryTypes(value.type()).arity(min + "..*");
            } else {
                p.type(value.type()).arity("1");
            }
            if (value.converter() != null) {
                p.converters(value.converter());
            }
            return p.build();
        }
    }

    private final String name;
    private final List<String> aliases;
    private final List<String> description;
    private final boolean hidden;
    private final boolean quick;
    private final Param param;
    private final List<Opt<?>> options;

    private CommandDef(Builder b) {
        name = b.name;
        aliases = List.copyOf(b.aliases);
        description = List.copyOf(b.description);
        hidden = b.hidden;
        quick = b.quick;
        param = b.param;
        options = List.copyOf(b.options);
    }

    /** Starts the definition of the command {@code name}. */
    static Builder command(String name) {
        return new Builder(name);
    }

    String name() {
        return name;
    }

    List<String> aliases() {
        return aliases;
    }

    /** Whether {@code word} names this command (its name or an alias). */
    boolean isCalled(String word) {
        return name.equals(word) || aliases.contains(word);
    }

    /** Its positional parameters, or {@code null} if it takes none. */
    Param param() {
        return param;
    }

    /** Its options in the help's order, without {@code -h} and {@code -V}. */
    List<Opt<?>> options() {
        return options;
    }

    /** Whether it has the option {@code o} (the very one: an equal option of another command is another option). */
    boolean has(Opt<?> o) {
        for (Opt<?> x : options) {
            if (x == o) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link QuickArgs} may run it. */
    boolean quick() {
        return quick;
    }

    /**
     * Picocli's model of the command: the options and parameters of this definition, then {@code -h, --help} and
     * {@code -V, --version} as picocli's standard help options have them. Picocli parses into a new {@link Args} and
     * runs the command that {@link Commands#create} makes from it.
     */
    CommandLine commandLine() {
        Commands.helpVariables();
        Args args = new Args(this);
        CommandSpec s = CommandSpec.wrapWithoutInspection(new Run(args));
        s.name(name).aliases(aliases.toArray(new String[0]));
        s.usageMessage().description(description.toArray(new String[0])).sortOptions(false).hidden(hidden);
        if (param != null) {
            s.addPositional(param.spec(args));
        }
        for (Opt<?> o : options) {
            s.addOption(o.spec(args));
        }
        boolean versionTaken = false;
        for (Opt<?> o : options) {
            versionTaken |= o.names().contains("--version");
        }
        standardHelpOptions(s, !versionTaken);
        args.spec = s;
        return new CommandLine(s);
    }

    /** Adds {@code -h, --help} and {@code -V, --version} as picocli's {@code mixinStandardHelpOptions} would. */
    static void standardHelpOptions(CommandSpec s) {
        standardHelpOptions(s, true);
    }

    /**
     * Adds {@code -h, --help} and {@code -V}, with its long name {@code --version} unless the command has an option of
     * its own by that name (decompress, list and cat: the version of a folder archive).
     */
    static void standardHelpOptions(CommandSpec s, boolean longVersion) {
        s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        s.addOption((longVersion ? OptionSpec.builder("-V", "--version") : OptionSpec.builder("-V")).versionHelp(true)
                .description("Print version information and exit.").build());
        s.versionProvider(new VersionProvider());
    }

    /** The object picocli calls: makes the command from what picocli parsed and runs it. */
    static final class Run implements Callable<Integer> {
        private final Args args;

        private Run(Args args) {
            this.args = args;
        }

        /** The command for what picocli parsed (a new one each call). */
        Callable<Integer> command() {
            return Commands.create(args);
        }

        @Override
        public Integer call() throws Exception {
            return command().call();
        }
    }

    /** Picocli's getter and setter of one option (or of the parameters) of one {@link Args}. */
    private static final class Binding implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Args args;
        private final Opt<?> option;

        Binding(Args args, Opt<?> option) {
            this.args = args;
            this.option = option;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) (option == null ? args.params : args.values.get(option));
        }

        @Override
        public <T> T set(T v) {
            T old = get();
            if (option == null) {
                args.params = v;
            } else {
                args.values.put(option, v);
            }
            return old;
        }
    }

    /** Collects a definition; see {@link CommandDef#command}. */
    static final class Builder {
        private final String name;
        private final List<String> aliases = new ArrayList<>();
        private final List<String> description = new ArrayList<>();
        private boolean hidden;
        private boolean quick;
        private Param param;
        private final List<Opt<?>> options = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder aliases(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        /** The help's description, one paragraph per line. */
        Builder description(String... lines) {
            description.addAll(List.of(lines));
            return this;
        }

        /** Leaves the command out of {@code mmh --help}. */
        Builder hidden() {
            hidden = true;
            return this;
        }

        /** Lets {@link QuickArgs} run the command. */
        Builder quick() {
            quick = true;
            return this;
        }

        Builder param(Param p) {
            param = p;
            return this;
        }

        /** Options, in the help's order. */
        Builder options(Opt<?>... opts) {
            options.addAll(List.of(opts));
            return this;
        }

        Builder options(List<Opt<?>> opts) {
            options.addAll(opts);
            return this;
        }

        CommandDef build() {
            return new CommandDef(this);
        }
    }
}
