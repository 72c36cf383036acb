package looma.testservers;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB wire-compatible server (mongo-java-server, in-memory backend) for Looma's
 * integration tests.
 *
 * <p>Usage: {@code java -cp ... looma.testservers.MongoTestServer [port]} (default 27017).
 * Listens on 127.0.0.1:port, no auth, no TLS, standalone (no replica set, no oplog: like a
 * standalone mongod, it has no transactions and no change streams; {@code -Dlooma.mongo.oplog=true}
 * turns the oplog on, and with it change streams). Data lives in this JVM's heap only: every
 * start begins empty. Prints {@code MONGO READY mongodb://127.0.0.1:<port>} once
 * it accepts connections and stops cleanly on SIGTERM / SIGINT.
 */
public final class MongoTestServer {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        long started = System.nanoTime();
        boolean oplog = Boolean.getBoolean("looma.mongo.oplog");
        System.out.println("mongo: starting (mongo-java-server, in memory" + (oplog ? ", oplog on" : "") + ")");

        // Registered before bind so that a SIGTERM during startup still releases the port.
        AtomicReference<MongoServer> server = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("mongo: shutting down");
            long t0 = System.nanoTime();
            try {
                MongoServer s = server.get();
                if (s != null) {
                    s.shutdownNow(); // closes client connections and cursors, then the backend
                }
            } catch (RuntimeException e) {
                System.err.println("mongo: error while closing: " + e);
            } finally {
                System.out.println("mongo: stopped (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
                System.out.flush();
                stopped.countDown();
            }
        }, "mongo-shutdown"));

        try {
            // MemoryBackend reports MongoDB 5.0 with maxWireVersion 8 by default (see README.md).
            MongoServer s = new MongoServer(new MemoryBackend());
            server.set(s);
            if (oplog) {
                s.enableOplog();
            }
            s.bind(HOST, port); // returns once the socket is listening
        } catch (Throwable e) {
            System.err.println("mongo: failed to start on " + HOST + ":" + port);
            e.printStackTrace();
            System.err.flush();
            System.exit(1); // runs the shutdown hook
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("MONGO READY mongodb://" + HOST + ":" + port
                + " (started in " + ms + " ms, pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();

        stopped.await(); // the shutdown hook releases this; the JVM then exits
    }
}
