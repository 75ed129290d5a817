package dev.mmh.cli;

import dev.mmh.cli.CommandDef.Opt;
import java.io.PrintWriter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * What one command line gave one of mmh's own commands: the values of the options it named and the parameters, as
 * picocli or {@link QuickArgs} parsed them by the command's {@link CommandDef}. A command takes its settings from it
 * when it is made ({@link Commands#create}). Not thread-safe; one per command line.
 */
final class Args {
    final CommandDef def;
    /** The options given, by their very {@link Opt} object: a flag's value is {@code true}. */
    final Map<Opt<?>, Object> values = new IdentityHashMap<>();
    /** The parameter, the list of them, or {@code null} when none was given. */
    Object params;
    /** Picocli's model of the command when picocli parsed the line; {@code null} in a quick run. */
    CommandLine.Model.CommandSpec spec;
    /** The streams of a quick run; {@code null} when picocli runs the command, which then takes them from spec. */
    PrintWriter out;
    PrintWriter err;

    /** Nothing given yet to the command {@code def}. */
    Args(CommandDef def) {
        this.def = def;
    }

    /** The value given for option {@code o}, or {@code null} if it was not given. */
    @SuppressWarnings("unchecked")
    <V> V get(Opt<V> o) {
        if (!def.has(o)) {
            // a command that reads an option it does not define could never be given it
            throw new IllegalArgumentException(def.name() + " has no option " + o.names());
        }
        return (V) values.get(o);
    }

    /** The value given for option {@code o}, or {@code otherwise} if it was not given. */
    <V> V get(Opt<V> o, V otherwise) {
        V v = get(o);
        return v != null ? v : otherwise;
    }

    /** Whether the flag {@code o} was given. */
    boolean isSet(Opt<Boolean> o) {
        return Boolean.TRUE.equals(get(o));
    }

    /** The parameters, or {@code null} when none was given. */
    @SuppressWarnings("unchecked")
    <V> List<V> params() {
        return (List<V>) params;
    }

    /** The one parameter (of a command that takes exactly one). */
    @SuppressWarnings("unchecked")
    <V> V param() {
        return (V) params;
    }
}
