package looma.testservers;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * A single-node Elasticsearch 8 for Looma's integration tests, in this JVM.
 *
 * <p>Usage (see start.sh, which sets the module path to the distribution's lib/):
 * {@code java ... -Des.path.home=<home> -Dlooma.es.work=<dir> looma.testservers.ElasticsearchTestServer [port]}
 * (default 9200). HTTP on 127.0.0.1:port, transport on an ephemeral loopback port, no security,
 * data in {@code <dir>/data} (wiped at start), logs in {@code <dir>/logs}. Prints
 * {@code ELASTICSEARCH READY http://127.0.0.1:<port>} once the node has started and stops
 * cleanly on SIGTERM / SIGINT. Elasticsearch's own log is {@code <dir>/logs/looma-test-<port>.log}.
 *
 * <p>Why not the distribution's own bin/elasticsearch: it refuses to run as root (CI runs as
 * root here) and runs a second JVM (its CLI) beside the server. This does what its bootstrap
 * does that matters for a test node: settings, logging, the modules and plugins, the node.
 */
public final class ElasticsearchTestServer {
    private static final String HOST = "127.0.0.1";
    // Elasticsearch's logging takes over System.out/err (into its log files): keep the real ones.
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9200;
        long started = System.nanoTime();
        Path home = Path.of(required("es.path.home")).toAbsolutePath();
        Path work = Path.of(required("looma.es.work")).toAbsolutePath();
        Path data = work.resolve("data");
        Path logs = work.resolve("logs");
        deleteRecursively(data);
        Files.createDirectories(data);
        Files.createDirectories(logs);
        OUT.println("elasticsearch: starting, home " + home + ", data in " + data);

        Settings.Builder builder = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", data.toString())
                .put("path.logs", logs.toString())
                .put("cluster.name", "looma-test-" + port)
                .put("node.name", "looma-es-" + port)
                .put("discovery.type", "single-node")
                .put("network.host", HOST)
                .put("http.port", port)
                .put("transport.port", 0) // ephemeral: nothing connects to it
                // tests delete their indices by pattern (DELETE /looma-test-*)
                .put("action.destructive_requires_name", false)
                // never turn indices read-only because this machine's disk is nearly full
                .put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (Files.isDirectory(home.resolve("modules/x-pack-security"))) {
            // Security is on by default in 8.x: tests talk plain HTTP without auth. (Enabled, it
            // would also fail to create its .security index: that needs analysis-common.)
            builder.put("xpack.security.enabled", false);
            builder.put("xpack.security.autoconfiguration.enabled", false);
        }
        Settings settings = builder.build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.configureESLogging(); // before any Elasticsearch class logs
        Environment env = InternalSettingsPreparer.prepareEnvironment(
                settings, Map.of(), home.resolve("config"), () -> "looma-es-" + port);
        LogConfigurator.setNodeName("looma-es-" + port);
        LogConfigurator.setClusterName("looma-test-" + port);
        // Elasticsearch's own log files, in <work>/logs (looma-test-<port>.log is the readable one)
        LogConfigurator.configure(env, false);

        // Registered before the node starts so that a SIGTERM during startup still closes it.
        AtomicReference<Node> node = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OUT.println("elasticsearch: shutting down");
            long t0 = System.nanoTime();
            try {
                Node n = node.get();
                if (n != null) {
                    n.prepareForClose();
                    n.close();
                    if (!n.awaitClose(10, TimeUnit.SECONDS)) {
                        ERR.println("elasticsearch: node did not close within 10 s");
                    }
                }
            } catch (Exception e) {
                ERR.println("elasticsearch: error while closing: " + e);
            } finally {
                OUT.println("elasticsearch: stopped (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
                OUT.flush();
                stopped.countDown();
            }
        }, "elasticsearch-shutdown"));

        try {
            PluginsLoader plugins = PluginsLoader.createPluginsLoader(
                    PluginsLoader.loadModulesBundles(env.modulesDir()),
                    PluginsLoader.loadPluginsBundles(env.pluginsDir()),
                    Map.of());
            Node n = new Node(env, plugins);
            node.set(n);
            n.start();
        } catch (Throwable e) {
            ERR.println("elasticsearch: failed to start on " + HOST + ":" + port);
            e.printStackTrace(ERR);
            ERR.flush();
            System.exit(1); // runs the shutdown hook
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        OUT.println("ELASTICSEARCH READY http://" + HOST + ":" + port
                + " (started in " + ms + " ms, pid " + ProcessHandle.current().pid() + ")");
        OUT.flush();

        stopped.await(); // the shutdown hook releases this; the JVM then exits
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is not set (use start.sh)");
        }
        return value;
    }

    private static void deleteRecursively(Path dir) throws IOException {
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
        }
    }
}
