package looma.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Embedded Neo4j (neo4j-harness) for Looma's integration tests.
 *
 * <p>Usage: {@code java -cp ... looma.testservers.Neo4jTestServer [port]} (default 7687).
 * Bolt on 127.0.0.1:port, no HTTP, no auth, data in a fresh temp directory that is removed on
 * shutdown. Prints {@code NEO4J READY bolt://127.0.0.1:<port>} once Bolt accepts connections and
 * stops cleanly on SIGTERM / SIGINT.
 */
public final class Neo4jTestServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7687;
        long started = System.nanoTime();

        Path workDir = Files.createTempDirectory("looma-neo4j-" + port + "-");
        System.out.println("neo4j: starting, data in " + workDir);

        // Registered before the build so that a SIGTERM during startup still cleans up.
        AtomicReference<Neo4j> server = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j: shutting down");
            long t0 = System.nanoTime();
            try {
                Neo4j neo4j = server.get();
                if (neo4j != null) {
                    neo4j.close();
                }
            } catch (RuntimeException e) {
                System.err.println("neo4j: error while closing: " + e);
            } finally {
                deleteQuietly(workDir);
                System.out.println("neo4j: stopped (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            server.set(Neo4jBuilders.newInProcessBuilder(workDir)
                    .withDisabledServer() // no HTTP connector
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .withConfig(GraphDatabaseSettings.auth_enabled, false)
                    // small, fixed memory: tests hold tiny graphs
                    .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                    // Bolt's Netty event loops otherwise wait a 5 s quiet period each (about
                    // 10 s in all) before the JVM can exit on SIGTERM
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                            Duration.ofSeconds(5))
                    .build());
            waitForBolt(port, 30_000);
        } catch (Exception e) {
            System.err.println("neo4j: failed to start on " + HOST + ":" + port);
            e.printStackTrace();
            printDebugLogTail(workDir); // Neo4j's own log lives in workDir, removed on exit
            System.exit(1); // runs the shutdown hook; Neo4j threads may still be alive
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("NEO4J READY bolt://" + HOST + ":" + port
                + " (started in " + ms + " ms, pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();

        stopped.await(); // the shutdown hook releases this; the JVM then exits
    }

    private static void waitForBolt(int port, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Bolt did not accept connections on "
                            + HOST + ":" + port + " within " + timeoutMs + " ms", e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void printDebugLogTail(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path log : (Iterable<Path>) paths.filter(p -> p.endsWith("debug.log"))::iterator) {
                var lines = Files.readAllLines(log);
                System.err.println("neo4j: last lines of " + log + ":");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("neo4j: could not read the debug log: " + e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("neo4j: could not remove " + dir + ": " + e);
        }
    }
}
