package dev.mmh.store.s3;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A TCP proxy on loopback between an HTTP/1.1 client and a server that injects faults, one decision per request:
 * answer 500 or 503 itself, delay the response, drop the connection halfway through the request body, cut the
 * response short, flip a byte of the request or response body, or strip {@code If-None-Match} or {@code Range} (a
 * server that ignores conditional writes or ranges). It reads just enough HTTP to find requests and bodies (Content-Length and chunked);
 * {@code Expect: 100-continue} it answers itself. Test code only.
 */
final class FaultProxy implements Closeable {

    /** What to do with one request. */
    enum Fault {
        PASS,
        /** Answer 503 SlowDown without forwarding (throttling). */
        SLOW_DOWN,
        /** Answer 500 InternalError without forwarding. */
        SERVER_ERROR,
        /** Forward, then hold the response back {@link #delayMillis} before sending it. */
        DELAY,
        /** Forward half the request body, then close both connections. */
        DROP_REQUEST,
        /** Forward the request, send the response head and half its body, then close. */
        CUT_RESPONSE,
        /** Forward the request with one byte of its body flipped. */
        CORRUPT_REQUEST,
        /** Forward the request, flip one byte in the middle of the response body. */
        CORRUPT_RESPONSE,
        /** Forward the request without its If-None-Match header. */
        STRIP_IF_NONE_MATCH,
        /** Forward the request without its Range header (a server that ignores ranges). */
        STRIP_RANGE,
        /** Forward the request, read the server's answer, and close the connection instead of sending it. */
        LOSE_RESPONSE
    }

    /** A request as the proxy saw it. */
    record Request(int number, String method, String target, List<String[]> headers) {
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        boolean isGet() {
            return method.equals("GET");
        }

        boolean isPut() {
            return method.equals("PUT");
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private final ConcurrentHashMap<Fault, AtomicInteger> byFault = new ConcurrentHashMap<>();
    private volatile Function<Request, Fault> plan = r -> Fault.PASS;
    volatile long delayMillis = 3000;
    private volatile boolean closed;

    FaultProxy(URI upstream) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "fault-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Sets how each request is treated from now on. */
    void plan(Function<Request, Fault> plan) {
        this.plan = plan;
    }

    /** Requests seen so far. */
    int requests() {
        return requests.get();
    }

    /** Faults injected so far. */
    int faults() {
        return faults.get();
    }

    /** Faults of one kind injected so far. */
    int faults(Fault f) {
        AtomicInteger n = byFault.get(f);
        return n == null ? 0 : n.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket c = server.accept();
                synchronized (open) {
                    open.add(c);
                }
                Thread t = new Thread(() -> serve(c), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try (client) {
            InputStream cin = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream cout = client.getOutputStream();
            InputStream uin = null;
            OutputStream uout = null;
            while (true) {
                List<String> head = readHead(cin);
                if (head == null) {
                    return;
                }
                String[] line = head.get(0).split(" ", 3);
                List<String[]> headers = new ArrayList<>();
                for (String h : head.subList(1, head.size())) {
                    int colon = h.indexOf(':');
                    headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
                }
                Request req = new Request(requests.incrementAndGet(), line[0], line[1], headers);
                Fault fault = plan.apply(req);
                if (fault != Fault.PASS) {
                    faults.incrementAndGet();
                    byFault.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
                }
                if ("100-continue".equalsIgnoreCase(req.header("Expect"))) {
                    headers.removeIf(h -> h[0].equalsIgnoreCase("Expect"));
                    cout.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    cout.flush();
                }
                if (fault == Fault.STRIP_IF_NONE_MATCH) {
                    headers.removeIf(h -> h[0].equalsIgnoreCase("If-None-Match"));
                }
                if (fault == Fault.STRIP_RANGE) {
                    headers.removeIf(h -> h[0].equalsIgnoreCase("Range"));
                }
                Body body = Body.of(req.header("Content-Length"), req.header("Transfer-Encoding"), false);
                if (fault == Fault.SLOW_DOWN || fault == Fault.SERVER_ERROR) {
                    body.copy(cin, OutputStream.nullOutputStream(), -1, false);
                    boolean slow = fault == Fault.SLOW_DOWN;
                    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                            + (slow ? "SlowDown" : "InternalError") + "</Code><Message>injected</Message></Error>";
                    // a response to HEAD has no body (a body here would be read as the next response)
                    String resp = "HTTP/1.1 " + (slow ? "503 Slow Down" : "500 Internal Server Error")
                            + "\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length() + "\r\n\r\n"
                            + (req.method.equals("HEAD") ? "" : xml);
                    cout.write(resp.getBytes(StandardCharsets.ISO_8859_1));
                    cout.flush();
                    continue;
                }
                if (up == null) {
                    up = new Socket();
                    up.connect(upstream, 5000);
                    uin = new java.io.BufferedInputStream(up.getInputStream());
                    uout = up.getOutputStream();
                }
                StringBuilder sb = new StringBuilder(head.get(0)).append("\r\n");
                for (String[] h : headers) {
                    sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
                uout.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                if (fault == Fault.DROP_REQUEST) {
                    body.copy(cin, uout, body.length / 2, false);
                    uout.flush();
                    up.close();
                    return;
                }
                body.copy(cin, uout, -1, fault == Fault.CORRUPT_REQUEST);
                uout.flush();
                // the response
                List<String> rhead = readHead(uin);
                while (rhead != null && rhead.get(0).matches("HTTP/1\\.1 1\\d\\d.*")) {
                    rhead = readHead(uin); // an interim response the client did not ask for
                }
                if (rhead == null) {
                    return;
                }
                int status = Integer.parseInt(rhead.get(0).split(" ")[1]);
                String cl = null;
                String te = null;
                boolean close = false;
                for (String h : rhead.subList(1, rhead.size())) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        cl = h.substring(15).trim();
                    } else if (lower.startsWith("transfer-encoding:")) {
                        te = h.substring(18).trim();
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                boolean noBody = req.method.equals("HEAD") || status == 204 || status == 304;
                Body rbody = noBody ? Body.of("0", null, false) : Body.of(cl, te, true);
                if (fault == Fault.DELAY) {
                    Thread.sleep(delayMillis);
                }
                if (fault == Fault.LOSE_RESPONSE) {
                    rbody.copy(uin, OutputStream.nullOutputStream(), -1, false);
                    return;
                }
                cout.write((String.join("\r\n", rhead) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (fault == Fault.CUT_RESPONSE) {
                    rbody.copy(uin, cout, Math.max(0, rbody.length / 2), false);
                    cout.flush();
                    return;
                }
                rbody.copy(uin, cout, -1, fault == Fault.CORRUPT_RESPONSE);
                cout.flush();
                if (close || rbody.untilClose) {
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client or the server went away, or a fault closed the connection: this connection ends
        } finally {
            if (up != null) {
                try {
                    up.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** The framing of a body: a length, chunked, or (responses only) until the connection closes. */
    private static final class Body {
        final long length;
        final boolean chunked;
        final boolean untilClose;

        private Body(long length, boolean chunked, boolean untilClose) {
            this.length = length;
            this.chunked = chunked;
            this.untilClose = untilClose;
        }

        static Body of(String contentLength, String transferEncoding, boolean response) {
            if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                return new Body(-1, true, false);
            }
            if (contentLength != null) {
                return new Body(Long.parseLong(contentLength), false, false);
            }
            return response ? new Body(-1, false, true) : new Body(0, false, false);
        }

        /**
         * Copies the body (at most {@code limit} bytes of a sized body when {@code limit >= 0}), flipping the byte in
         * its middle when {@code corrupt}.
         */
        void copy(InputStream in, OutputStream out, long limit, boolean corrupt) throws IOException {
            if (chunked) {
                copyChunked(in, out, limit);
                return;
            }
            long n = untilClose ? Long.MAX_VALUE : length;
            if (limit >= 0) {
                n = Math.min(n, limit);
            }
            long flipAt = corrupt && length > 0 ? length / 2 : -1;
            byte[] buf = new byte[1 << 16];
            long done = 0;
            while (done < n) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    if (untilClose) {
                        return;
                    }
                    throw new IOException("body ended early");
                }
                if (flipAt >= done && flipAt < done + r) {
                    buf[(int) (flipAt - done)] ^= 0x5A;
                }
                out.write(buf, 0, r);
                done += r;
            }
        }

        private void copyChunked(InputStream in, OutputStream out, long limit) throws IOException {
            long sent = 0;
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("chunked body ended early");
                }
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    // trailers, then an empty line
                    for (String t; (t = readLine(in)) != null; ) {
                        out.write((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (t.isEmpty()) {
                            return;
                        }
                    }
                    return;
                }
                byte[] data = in.readNBytes((int) size);
                if (limit >= 0 && sent + data.length > limit) {
                    out.write(data, 0, (int) (limit - sent));
                    return;
                }
                out.write(data);
                sent += data.length;
                out.write(in.readNBytes(2)); // CRLF
            }
        }
    }

    /** Header lines up to the empty line; {@code null} at a clean end of stream before any byte. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                if (lines.isEmpty()) {
                    return null;
                }
                throw new IOException("headers ended early");
            }
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // a stray CRLF between messages
                }
                return lines;
            }
            lines.add(line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
