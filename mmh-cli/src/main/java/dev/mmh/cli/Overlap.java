package dev.mmh.cli;

import dev.mmh.work.WorkerPool;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs a command's files one after another on one shared {@link WorkerPool}, each file starting as soon as the one
 * before has read its input to the end (its {@link InputEnd} saw it) and fewer than two files are in progress, so
 * its first blocks run beside the last ones of the files before it: files of a few 8 MiB blocks otherwise leave
 * cores idle at every file boundary. Each output still goes to its own temporary file, renamed only when complete,
 * and each file's messages are printed in the order of the arguments, once it and every file before it are done.
 * Used by {@code compress} and {@code decompress} with several files. This scheduling is the command's: the
 * library only offers the shared pool ({@code CompressOptions.pool}, {@code DecompressOptions.pool}).
 */
final class Overlap {
    private Overlap() {
    }

    /** One file's work: returns its exit code and writes its messages to {@code err}. */
    interface Job {
        /**
         * @param pool the workers every file runs on
         * @param inputEnd wraps the file's input: once it has been read to its end, the next file may start
         * @param mayShowProgress whether this file's progress bar may appear now
         */
        int run(String name, PrintWriter err, WorkerPool pool, InputEnd inputEnd, BooleanSupplier mayShowProgress);
    }

    /**
     * Tells {@link Overlap} when a file's input has been read to its end. The engine reads a file's last bytes
     * just before it hands its last block to the workers (compress), or after it has checked the index, content
     * ID and footer (decompress: the reader's last read is the one that finds nothing after the footer), so that
     * is when the next file may start.
     */
    static final class InputEnd {
        private final CompletableFuture<Void> reached;

        InputEnd(CompletableFuture<Void> reached) {
            this.reached = reached;
        }

        /** {@code in}, telling this when a read finds its end. */
        InputStream watch(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        reached.complete(null);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n < 0) {
                        reached.complete(null);
                    }
                    return n;
                }
            };
        }
    }

    /**
     * Runs {@code job} for every input, starting them in order of decreasing {@code cost} (ties in argument order)
     * so that the last block left running alone is a short one.
     *
     * @return the exit code of the first failure in argument order, or {@link ExitCode#OK}
     */
    static int run(List<String> inputs, long[] cost, int threads, String name, Job job, PrintWriter err) {
        int count = inputs.size();
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(cost[b], cost[a])); // stable: ties keep their order
        int status = ExitCode.OK;
        AtomicInteger n = new AtomicInteger();
        ExecutorService drivers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mmh-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Semaphore inProgress = new Semaphore(2);
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] started = new CompletableFuture[count];
        StringWriter[] texts = new StringWriter[count];
        int printed = 0; // files [0, printed) in argument order have had their messages printed
        try (WorkerPool pool = new WorkerPool(threads)) {
            CompletableFuture<?> allBefore = CompletableFuture.completedFuture(null);
            for (int i : order) {
                String file = inputs.get(i);
                inProgress.acquireUninterruptibly();
                CompletableFuture<Void> read = new CompletableFuture<>();
                StringWriter text = new StringWriter();
                CompletableFuture<?> before = allBefore;
                CompletableFuture<Integer> current = CompletableFuture.supplyAsync(() -> {
                    try {
                        return job.run(file, new PrintWriter(text, true), pool, new InputEnd(read), before::isDone);
                    } finally {
                        read.complete(null);
                        inProgress.release();
                    }
                }, drivers);
                started[i] = current;
                texts[i] = text;
                allBefore = CompletableFuture.allOf(before, current);
                read.join(); // this file is read to its end (or done): the next one may start
                while (printed < count && started[printed] != null && started[printed].isDone()) {
                    status = firstFailure(status, finish(started[printed], texts[printed], err));
                    printed++;
                }
            }
            for (; printed < count; printed++) {
                status = firstFailure(status, finish(started[printed], texts[printed], err));
            }
        } finally {
            drivers.shutdown();
        }
        return status;
    }

    private static int firstFailure(int status, int s) {
        return status == ExitCode.OK ? s : status;
    }

    /** Waits for one file and prints its messages. */
    private static int finish(CompletableFuture<Integer> f, StringWriter text, PrintWriter err) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            err.print(text);
            err.flush();
        }
    }

    /**
     * Whether the files can run overlapping without one seeing another's output: none is stdin, no two write the
     * same file and none writes a file that is another one's input (which a run one after another would read only
     * after writing it). Paths are compared with links resolved.
     *
     * @param outputOf the file an input is written to, or {@code null} if it writes none (it is skipped)
     */
    static boolean independent(List<String> inputs, Function<String, String> outputOf) {
        Set<Path> ins = new HashSet<>();
        Set<Path> outs = new HashSet<>();
        for (String name : inputs) {
            if (name.equals("-")) {
                return false;
            }
            ins.add(canonical(Path.of(name)));
            String out = outputOf.apply(name);
            if (out != null && !outs.add(canonical(Path.of(out)))) {
                return false;
            }
        }
        return Collections.disjoint(ins, outs);
    }

    /** The path with its folder's links resolved, and the file's own if it exists. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs)) {
                return abs.toRealPath();
            }
            Path dir = abs.getParent();
            return dir == null ? abs : dir.toRealPath().resolve(abs.getFileName());
        } catch (java.io.IOException e) {
            return abs;
        }
    }
}
