package dev.imm.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1, on a
 * free port, storing in a temporary directory, with deletes enabled. Started and stopped by the tests;
 * {@code .ci/run} installs the package when it is missing. Where it is not installed, outside CI, the
 * tests that need it are skipped with a message saying how to install it; in CI they fail.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * One registry for a whole test class, with its own storage:
     * {@code @RegisterExtension static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();}
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private Path storage;
        private LocalRegistry registry;

        /** {@code 127.0.0.1:PORT} of the running registry. */
        public String host() {
            return registry.host();
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            storage = Files.createTempDirectory("imm-registry-");
            registry = start(storage);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (registry != null) {
                registry.close();
            }
            try (var walk = Files.walk(storage)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** {@code 127.0.0.1:PORT}: the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public static LocalRegistry start(Path storage) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            String message = "no OCI registry to test against: install it with `apt-get install -y docker-registry`";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (.ci/run installs it)");
            }
            Assumptions.abort(message);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(storage);
        Path config = storage.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + storage.resolve("data").toAbsolutePath(),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                ""));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(storage.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(storage.resolve("registry.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + registry.host() + "/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        registry.close();
        throw new IllegalStateException("docker-registry did not answer on " + registry.host() + " within 30 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
