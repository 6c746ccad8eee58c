package io.dcmon.transport.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the web dashboard's routes share: its paths, the cookie and header names, the security headers, and the
 * assets, which are read only from this jar's class path (never from a directory on disk) and cached.
 */
final class Dashboard {

    /** The session cookie: HttpOnly, SameSite=Strict, Secure under TLS. */
    static final String SESSION_COOKIE = "dcmon_session";
    /** Header carrying the session's CSRF token on every state-changing request made with the cookie. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Class-path folder of the pages and static files. */
    static final String RESOURCES = "io/dcmon/transport/dashboard/";
    /** Class-path folder of uPlot's files in its webjar. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    /**
     * Scripts only from this server (no inline script, no eval), styles from this server, data via fetch to this
     * server only, never framed.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** Static file names: a flat folder, so no path can climb out of it. */
    private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}\\.(js|css|svg)");
    private static final Map<String, String> UPLOT_FILES = Map.of("uPlot.iife.min.js", "uPlot.iife.min.js",
            "uPlot.min.css", "uPlot.min.css");

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Dashboard() {
    }

    /** True for the only paths a request without credentials may reach: the login page and static files. */
    static boolean anonymousPath(String path) {
        String p = strip(path);
        return p.equals("ui/login") || p.startsWith("ui/static/");
    }

    /** True for the server's root, whose GET is a bare redirect to the dashboard ({@link RootResource}). */
    static boolean rootPath(String path) {
        return strip(path).isEmpty();
    }

    /** True for the dashboard's HTML pages, which answer a visitor without a session with the login page. */
    static boolean pagePath(String path) {
        String p = strip(path);
        return p.equals("ui") || p.equals("ui/") || p.equals("ui/machine");
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** A page of the dashboard ({@code login.html}, {@code fleet.html}, {@code machine.html}). */
    static byte[] page(String name) {
        return load(RESOURCES + name);
    }

    /** A static file by its public name, or null when there is no such file. */
    static byte[] staticFile(String name) {
        if (!STATIC_NAME.matcher(name).matches()) {
            return null;
        }
        return loadOrNull(RESOURCES + "static/" + name);
    }

    /** One of uPlot's two dist files, or null. */
    static byte[] uplotFile(String name) {
        String file = UPLOT_FILES.get(name);
        return file == null ? null : loadOrNull(UPLOT + file);
    }

    /** The content type for a file name. */
    static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (n.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (n.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/html; charset=utf-8";
    }

    private static byte[] load(String resource) {
        byte[] b = loadOrNull(resource);
        if (b == null) {
            throw new IllegalStateException("dashboard resource " + resource + " is missing from the dcmon-transport jar; "
                    + "rebuild the jar (the dashboard's files are packaged with it)");
        }
        return b;
    }

    private static byte[] loadOrNull(String resource) {
        byte[] cached = CACHE.get(resource);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] b = in.readAllBytes();
            CACHE.put(resource, b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("reading dashboard resource " + resource + " failed", e);
        }
    }
}
