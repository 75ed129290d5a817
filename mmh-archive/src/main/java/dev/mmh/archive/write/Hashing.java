package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.chunk.IdFunction;
import dev.mmh.crypto.CryptoContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes the chunks of {@link Packer.Batch}es on worker threads and hands the batches back in order, at most a few
 * in flight (bounded memory); the batch buffers are recycled. Each worker hashes with its own crypto context.
 */
public final class Hashing implements AutoCloseable {
    /** Receives a hashed batch on the calling thread, in submission order. */
    public interface Done {
        void accept(Packer.Batch b) throws IOException;
    }

    private final IdFunction ids;
    private final int batchSize;
    private final int maxInFlight;
    private final ExecutorService workers;
    private final ArrayDeque<Future<Packer.Batch>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Packer.Batch> free = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<CryptoContext> contexts = new ConcurrentLinkedQueue<>();

    public Hashing(IdFunction ids, int threads, int batchSize) {
        this.ids = ids;
        this.batchSize = batchSize;
        this.maxInFlight = threads + 1;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mmh-hash");
            t.setDaemon(true);
            return t;
        });
    }

    Packer.Batch newBatch() {
        Packer.Batch b = free.poll();
        if (b == null) {
            return new Packer.Batch(batchSize);
        }
        b.reset();
        return b;
    }

    void recycle(Packer.Batch b) {
        if (free.size() < maxInFlight + 2) {
            free.push(b);
        }
    }

    /** Hands {@code b} to a worker, first taking back (in order) what is done, and the oldest batch when full. */
    void submit(Packer.Batch b, Done done) throws IOException {
        while (!inFlight.isEmpty() && (inFlight.size() >= maxInFlight || inFlight.peekFirst().isDone())) {
            done.accept(await(inFlight.pollFirst()));
        }
        inFlight.addLast(workers.submit(() -> hash(b)));
    }

    /** Takes back every batch still in flight. */
    void finish(Done done) throws IOException {
        while (!inFlight.isEmpty()) {
            done.accept(await(inFlight.pollFirst()));
        }
    }

    private Packer.Batch hash(Packer.Batch b) {
        CryptoContext ctx = contexts.poll();
        if (ctx == null) {
            ctx = CryptoContext.open();
        }
        try {
            int at = 0;
            for (int i = 0; i < b.count; i++) {
                if (b.files[i] != null) {
                    ids.id(ctx, b.buf, at, b.lengths[i], b.ids, i * BlobId.LENGTH);
                }
                at += b.lengths[i];
            }
            return b;
        } finally {
            contexts.add(ctx);
        }
    }

    private static Packer.Batch await(Future<Packer.Batch> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    @Override
    public void close() {
        for (Future<Packer.Batch> f : inFlight) {
            f.cancel(true);
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CryptoContext c; (c = contexts.poll()) != null; ) {
            c.close();
        }
    }
}
