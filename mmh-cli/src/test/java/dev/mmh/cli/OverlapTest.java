package dev.mmh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command's own scheduling: the next file starts when the one before has read its input to the end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverlapTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text, true);

    private static void readAll(InputStream in) {
        try (in) {
            in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean await(CountDownLatch l, long ms) {
        try {
            return l.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNextFileStartsWhileTheOneBeforeRunsOnceItsInputIsReadToTheEnd() {
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicBoolean startedEarly = new AtomicBoolean();
        Overlap.Job job = (name, e, pool, end, show) -> {
            if (name.equals("b")) {
                secondStarted.countDown();
                readAll(end.watch(new ByteArrayInputStream(new byte[100])));
                return ExitCode.OK;
            }
            InputStream in = end.watch(new ByteArrayInputStream(new byte[100_000]));
            try {
                in.readNBytes(50_000);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            startedEarly.set(await(secondStarted, 300)); // half read: the next file must wait
            readAll(in);
            // read to the end: the next file starts while this one is still running
            e.println("a done, b started: " + await(secondStarted, 30_000));
            return ExitCode.OK;
        };
        assertEquals(ExitCode.OK, Overlap.run(List.of("a", "b"), new long[] {2, 1}, 2, "test", job, err));
        assertTrue(!startedEarly.get(), "the next file started before the input was read");
        assertEquals("a done, b started: true", text.toString().strip());
    }

    @Test
    void aFileThatFailsBeforeItsEndStillLetsTheNextOneStartAndMessagesKeepTheirOrder() {
        Overlap.Job job = (name, e, pool, end, show) -> {
            if (name.equals("a")) {
                e.println("mmh: a: damaged");
                return ExitCode.DAMAGED; // never read its input to the end
            }
            readAll(end.watch(new ByteArrayInputStream(new byte[10])));
            e.println("mmh: " + name + ": ok");
            return ExitCode.OK;
        };
        assertEquals(ExitCode.DAMAGED, Overlap.run(List.of("a", "b", "c"), new long[] {1, 1, 1}, 2, "test", job,
                err));
        assertEquals(List.of("mmh: a: damaged", "mmh: b: ok", "mmh: c: ok"), text.toString().lines().toList());
    }
}
