/**
 * The one way mmh runs work on several threads: a {@link dev.mmh.work.WorkerPool} of workers shared by any number
 * of runs, {@link dev.mmh.work.OrderedPipeline}s on it (submit pieces in order, get results back in the same order,
 * with a bound on the pieces in flight), and {@link dev.mmh.work.IndexedTasks} for numbered tasks whose results go
 * to disjoint places.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Order and bound.</b> A pipeline hands results to its caller in submission order and has at most
 *       {@code maxInFlight} tasks at once, so memory is bounded by the pieces, not the input.
 *   <li><b>Failure.</b> The caller gets the failure of the first failing task in submission order, after every
 *       result before it: an {@link java.io.IOException} as thrown, an {@link java.io.UncheckedIOException}'s
 *       cause, any other exception or error unchanged. No task submitted after a failing one starts; a failed
 *       pipeline refuses further use.
 *   <li><b>Shutdown.</b> Closing a pipeline cancels its queued tasks, interrupts its running ones and returns once
 *       none is running; closing a pool does the same for every task and then closes every worker's resources.
 *       There are no time-outs: tasks must be interruptible or bounded in time.
 *   <li><b>Interrupts.</b> A caller interrupted while it waits gets an {@link java.io.InterruptedIOException},
 *       its pipeline's tasks are stopped, and its interrupt flag stays set.
 *   <li><b>Worker state.</b> Each task gets its worker's {@link dev.mmh.work.WorkerState}: resources named by
 *       {@link dev.mmh.work.ResourceKey}s (codec contexts, scratch), made on first use, reused by later tasks of any
 *       run on the pool, bounded in number, closed with the pool and never while a task may use them.
 * </ul>
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * try (WorkerPool pool = new WorkerPool(threads);                 // or shared by the caller
 *      OrderedPipeline<Piece> p = new OrderedPipeline<>(pool, 2 * threads + 2, out::write)) {
 *     for (Chunk c; (c = reader.next()) != null; ) {
 *         Chunk chunk = c;
 *         p.submit(worker -> compress(worker.get(CONTEXT), chunk));  // on a worker
 *     }
 *     p.finish();                                                  // every result written, in order
 * }
 * }</pre>
 */
package dev.mmh.work;
