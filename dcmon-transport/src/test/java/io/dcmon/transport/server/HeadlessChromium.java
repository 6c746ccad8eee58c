package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven through the Debian {@code chromium-driver} (chromedriver) with the W3C WebDriver
 * protocol: plain JSON over HTTP on 127.0.0.1, spoken with the JDK HttpClient, so the test needs no driver library
 * and nothing is downloaded. Only the handful of commands the dashboard tests use.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Process driver;
    private final URI base;
    private final String session;

    private HeadlessChromium(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /**
     * Starts chromedriver and a browser with a fresh profile in {@code profileDir}. Without chromium or
     * chromedriver the calling test is skipped with the reason, or fails when {@code CI=true} (CI installs both).
     */
    static HeadlessChromium start(Path profileDir) throws Exception {
        Optional<Path> browser = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driverExe = onPath("chromedriver");
        if (browser.isEmpty() || driverExe.isEmpty()) {
            String why = "the browser tests need the Debian packages chromium and chromium-driver (apt-get install chromium "
                    + "chromium-driver); missing: " + (browser.isEmpty() ? "chromium " : "") + (driverExe.isEmpty() ? "chromedriver" : "");
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(driverExe.get().toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(profileDir.resolveSibling(profileDir.getFileName() + "-chromedriver.log").toFile())
                .start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HeadlessChromium tmp = new HeadlessChromium(p, base, null);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (tmp.call("GET", "status", null).path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("chromedriver did not become ready on port " + port);
            }
            Thread.sleep(100);
        }
        ObjectNode caps = tmp.json.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        // an alert stays open and is reported, so the XSS test can see one
        always.put("unhandledPromptBehavior", "ignore");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", browser.get().toString());
        ArrayNode args = chrome.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1600,1000", "--user-data-dir=" + profileDir.toAbsolutePath())) {
            args.add(a);
        }
        JsonNode created;
        try {
            created = tmp.call("POST", "session", caps);
        } catch (RuntimeException | IOException e) {
            p.destroyForcibly();
            throw e;
        }
        return new HeadlessChromium(p, base, created.path("sessionId").asText());
    }

    private static Optional<Path> onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String n : names) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, n);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** One WebDriver command; returns its {@code value}, throws with the driver's message on an error. */
    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
        JsonNode value = n.path("value");
        if (r.statusCode() != 200) {
            throw new WebDriverError(value.path("error").asText("http " + r.statusCode()), value.path("message").asText(r.body()));
        }
        return value;
    }

    private JsonNode cmd(String method, String path, JsonNode body) throws IOException, InterruptedException {
        return call(method, "session/" + session + "/" + path, body);
    }

    /** A WebDriver error answer, e.g. {@code no such alert}. */
    static final class WebDriverError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String error;

        WebDriverError(String error, String message) {
            super(error + ": " + message);
            this.error = error;
        }
    }

    void open(URI uri) throws Exception {
        cmd("POST", "url", json.createObjectNode().put("url", uri.toString()));
    }

    /** Forgets every cookie of the browser (a fresh visitor). */
    void clearCookies() throws Exception {
        cmd("DELETE", "cookie", null);
    }

    String currentUrl() throws Exception {
        return cmd("GET", "url", null).asText();
    }

    /** The element matching the CSS selector, waiting for it to exist. */
    String find(String css) throws Exception {
        return waitFor("element " + css, () -> {
            List<String> all = findAll(css);
            return all.isEmpty() ? null : all.get(0);
        }, x -> x != null);
    }

    List<String> findAll(String css) throws Exception {
        JsonNode v = cmd("POST", "elements", json.createObjectNode().put("using", "css selector").put("value", css));
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.path(ELEMENT).asText()));
        return out;
    }

    void click(String css) throws Exception {
        cmd("POST", "element/" + find(css) + "/click", json.createObjectNode());
    }

    void type(String css, String text) throws Exception {
        cmd("POST", "element/" + find(css) + "/value", json.createObjectNode().put("text", text));
    }

    String text(String css) throws Exception {
        return cmd("GET", "element/" + find(css) + "/text", null).asText();
    }

    /** Runs a script in the page (WebDriver's own channel, not subject to the page's CSP) and returns its result. */
    JsonNode script(String js, Object... args) throws Exception {
        ObjectNode body = json.createObjectNode().put("script", js);
        ArrayNode a = body.putArray("args");
        for (Object o : args) {
            a.add(json.valueToTree(o));
        }
        return cmd("POST", "execute/sync", body);
    }

    /** Waits until the script returns true. */
    void until(String what, String js) throws Exception {
        waitFor(what, () -> script(js).asBoolean(), Boolean::booleanValue);
    }

    /** The text of an open alert/confirm/prompt dialog, or empty when none is open. */
    Optional<String> openDialog() throws Exception {
        try {
            return Optional.of(cmd("GET", "alert/text", null).asText());
        } catch (WebDriverError e) {
            if (e.error.equals("no such alert")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Writes a PNG screenshot of the viewport. */
    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(cmd("GET", "screenshot", null).asText()));
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T waitFor(String what, Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (WebDriverError e) {
                lastError = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; last value " + last
                + (lastError == null ? "" : ", last error " + lastError.getMessage()));
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        } catch (Exception e) {
            // the driver is killed below anyway
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
