package dev.imm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real browser for tests: Debian's {@code chromium}, headless, driven through {@code chromedriver}
 * (package {@code chromium-driver}) on 127.0.0.1 with the W3C WebDriver protocol, spoken here over
 * {@code java.net.http} (no Selenium). {@code .ci/run} installs both packages when they are missing; when
 * they are not installed the test is skipped with a message saying so, and in CI it fails unless
 * {@code .ci/run} said the install failed ({@code IMM_NO_BROWSER}).
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;
    private final Path profile;

    private HeadlessChromium(Process driver, String base, String session, Path profile) {
        this.driver = driver;
        this.base = base;
        this.session = session;
        this.profile = profile;
    }

    /** A browser with a window of {@code width}×{@code height} CSS pixels, or the test is skipped (see the class). */
    public static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        Path browser = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (browser == null || !Files.isExecutable(DRIVER)) {
            String message = "headless Chromium is not installed: `apt-get install -y chromium chromium-driver`";
            if ("true".equals(System.getenv("CI")) && System.getenv("IMM_NO_BROWSER") == null) {
                throw new IllegalStateException(message + " (.ci/run installs it)");
            }
            Assumptions.abort(message + (System.getenv("IMM_NO_BROWSER") == null ? "" : "; " + System.getenv("IMM_NO_BROWSER")));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("imm-chromedriver-", ".log");
        Process process = new ProcessBuilder(DRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        Path profile = Files.createTempDirectory("imm-chromium-");
        HeadlessChromium started = null;
        try {
            waitForDriver(base, process, log);
            ObjectNode caps = JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            ObjectNode options = always.putObject("goog:chromeOptions");
            options.put("binary", browser.toString());
            var args = options.putArray("args");
            for (String arg : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--force-device-scale-factor=1", "--window-size=" + width + "," + height,
                    "--user-data-dir=" + profile)) {
                args.add(arg);
            }
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/session"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(caps.toString())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            if (response.statusCode() != 200 || !value.has("sessionId")) {
                throw new IOException("chromedriver did not start Chromium: " + response.body());
            }
            started = new HeadlessChromium(process, base, value.get("sessionId").asText(), profile);
            return started;
        } finally {
            if (started == null) {
                process.destroyForcibly();
            }
        }
    }

    private static void waitForDriver(String base, Process process, Path log) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("chromedriver exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("chromedriver did not answer within 20 s: " + Files.readString(log));
    }

    /** Opens {@code page} (a file) and waits for it to load. */
    public void open(Path page) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("url", page.toAbsolutePath().toUri().toString());
        call("POST", "/url", body);
    }

    /** Runs {@code script} (a function body) in the page and returns what it returns. */
    public JsonNode script(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", "/execute/sync", body);
    }

    /** A screenshot of the whole page, as PNG, written to {@code file}. */
    public void screenshot(Path file) throws IOException, InterruptedException {
        // the window is made as tall as the page first, so that the screenshot holds all of it
        int height = script("return Math.ceil(document.documentElement.scrollHeight);").asInt();
        int width = script("return Math.ceil(document.documentElement.scrollWidth);").asInt();
        ObjectNode rect = JSON.createObjectNode().put("width", Math.max(width, 800)).put("height", Math.min(Math.max(height, 600), 16_000));
        call("POST", "/window/rect", rect);
        String png = call("GET", "/screenshot", null).asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/session/" + session + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + ": " + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/session/" + session)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the driver goes anyway
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var walk = Files.walk(profile)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
