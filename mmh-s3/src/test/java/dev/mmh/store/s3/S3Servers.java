package dev.mmh.store.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two real S3 servers the tests use, each started once per test JVM as a process on loopback, from the jars
 * Maven copies into {@code target/s3-servers} (system properties {@code mmh.s3proxy.jar}, {@code mmh.s3mock.jar}):
 * s3proxy with its file-system backend, and Adobe S3Mock (which implements conditional writes). Stopped when the
 * JVM exits.
 */
final class S3Servers {
    static final String ACCESS = "access";
    static final String SECRET = "secret12345";
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET));

    /** A running server: its endpoint, and a plain SDK client for the tests' own set-up (buckets, checks). */
    record Server(String name, URI endpoint, Process process, Path log) {
        S3Client client() {
            return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                    .credentialsProvider(CREDENTIALS).build();
        }

        int port() {
            return endpoint.getPort();
        }
    }

    private static Server s3proxy;
    private static Server s3proxyUnsigned;
    private static Server s3mock;
    private static final List<Process> STARTED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : STARTED) {
                p.destroy();
            }
        }, "s3-servers-stop"));
    }

    private S3Servers() {
    }

    static synchronized Server s3proxy() throws Exception {
        if (s3proxy == null) {
            Path dir = work("s3proxy");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = freePort();
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS,
                    "s3proxy.credential=" + SECRET,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + data) + "\n");
            s3proxy = start("s3proxy", jar("mmh.s3proxy.jar"), port, dir,
                    List.of("--properties", conf.toString()));
        }
        return s3proxy;
    }

    /**
     * A second s3proxy that checks no signatures ({@code s3proxy.authorization=none}): the fault proxy may then
     * change signed parts of a request (drop a header, flip a body byte) and the server sees what an old or a
     * careless server would: Content-MD5 is then what catches a damaged body.
     */
    static synchronized Server s3proxyUnsigned() throws Exception {
        if (s3proxyUnsigned == null) {
            Path dir = work("s3proxy-unsigned");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = freePort();
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=none",
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + data) + "\n");
            s3proxyUnsigned = start("s3proxy (no signatures)", jar("mmh.s3proxy.jar"), port, dir,
                    List.of("--properties", conf.toString()));
        }
        return s3proxyUnsigned;
    }

    static synchronized Server s3mock() throws Exception {
        if (s3mock == null) {
            Path dir = work("s3mock");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = freePort();
            s3mock = start("S3Mock", jar("mmh.s3mock.jar"), port, dir, List.of(
                    "--http.port=" + port, "--server.port=0", "--spring.main.banner-mode=off",
                    "--com.adobe.testing.s3mock.store.root=" + data,
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=false"));
        }
        return s3mock;
    }

    private static Path work(String name) throws IOException {
        Path base = Path.of(System.getProperty("mmh.s3.work", "target/s3-work"));
        Path dir = base.resolve(name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    private static Path jar(String property) {
        String p = System.getProperty(property);
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new IllegalStateException("system property " + property + " does not name the server's jar (" + p
                    + "): run the tests through Maven, which copies it into mmh-s3/target/s3-servers");
        }
        return Path.of(p).toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Server start(String name, Path jar, int port, Path dir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        STARTED.add(p);
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + "; its log: " + log + "\n"
                        + tail(log));
            }
            if (answers(endpoint)) {
                return new Server(name, endpoint, p, log);
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException(name + " did not answer on " + endpoint + " within 120 s; its log: " + log
                + "\n" + tail(log));
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
