package dev.mmh.archive.write;

import dev.mmh.archive.format.BlobId;
import dev.mmh.chunk.IdFunction;
import dev.mmh.crypto.CryptoContext;
import dev.mmh.work.OrderedPipeline;
import dev.mmh.work.ResourceKey;
import dev.mmh.work.WorkerPool;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Hashes the chunks of {@link Packer.Batch}es on the workers of a {@link WorkerPool} and hands the batches back in
 * order, at most a few in flight (bounded memory), through an {@link OrderedPipeline}; each worker hashes with its
 * own crypto context (a resource of its worker state, closed with the pool). The batch buffers are recycled.
 * Called from one thread; {@link #close()} stops the pipeline (not the pool).
 */
public final class Hashing implements AutoCloseable {
    /** Receives a hashed batch on the calling thread, in submission order. */
    public interface Done {
        void accept(Packer.Batch b) throws IOException;
    }

    /** Each worker's crypto context. */
    private static final ResourceKey<CryptoContext> CONTEXT = new ResourceKey<>() {
        @Override
        public CryptoContext create() {
            return CryptoContext.open();
        }
    };

    private final IdFunction ids;
    private final int batchSize;
    private final int maxInFlight;
    private final OrderedPipeline<Packer.Batch> pipe;
    private final ArrayDeque<Packer.Batch> free = new ArrayDeque<>();
    private Done done;

    /**
     * @param batchSize bytes per batch (a batch is hashed by one worker; a few per worker are in flight)
     */
    public Hashing(IdFunction ids, WorkerPool pool, int batchSize) {
        this.ids = ids;
        this.batchSize = batchSize;
        this.maxInFlight = pool.parallelism() + 1;
        this.pipe = new OrderedPipeline<>(pool, maxInFlight, b -> done.accept(b));
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

    /** Hands {@code b} to a worker; batches done meanwhile go to {@code to}, in order. */
    void submit(Packer.Batch b, Done to) throws IOException {
        this.done = to;
        pipe.submit(t -> hash(t.get(CONTEXT), b));
    }

    /** Takes back every batch still in flight. */
    void finish(Done to) throws IOException {
        this.done = to;
        pipe.finish();
    }

    private Packer.Batch hash(CryptoContext ctx, Packer.Batch b) {
        int at = 0;
        for (int i = 0; i < b.count; i++) {
            if (b.holes[i]) {
                continue;
            }
            if (b.files[i] != null) {
                ids.id(ctx, b.buf, at, b.lengths[i], b.ids, i * BlobId.LENGTH);
            }
            at += b.lengths[i];
        }
        return b;
    }

    @Override
    public void close() {
        pipe.close();
    }
}
