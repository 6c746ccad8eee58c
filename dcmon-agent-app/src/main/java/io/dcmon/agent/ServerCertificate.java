package io.dcmon.agent;

import io.dcmon.transport.client.PinnedTrust;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLEngine;

/**
 * First contact with an HTTPS server, SSH style: read the certificate it presents (without trusting it) so the
 * operator can compare its fingerprint, and tell whether a public CA already vouches for it.
 */
public final class ServerCertificate {

    private ServerCertificate() {
    }

    /**
     * The SHA-256 fingerprint (lowercase hex) of the certificate the server at {@code server} presents.
     * Nothing is sent over the connection; it is closed right after the handshake.
     */
    public static String fingerprint(URI server) throws IOException {
        Capture capture = new Capture();
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {capture}, new SecureRandom());
            int port = server.getPort() > 0 ? server.getPort() : 443;
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(server.getHost(), port), 10_000);
                raw.setSoTimeout(10_000);
                try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, server.getHost(), port, false)) {
                    tls.startHandshake();
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
        if (capture.leaf == null) {
            throw new IOException(server + " presented no certificate");
        }
        return PinnedTrust.sha256Fingerprint(capture.leaf);
    }

    /** True when the JDK's trusted CAs vouch for the server's certificate and host name (then no pin is needed). */
    public static boolean trustedByCa(URI server) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            http.send(HttpRequest.newBuilder(server.resolve("/health")).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (SSLHandshakeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while contacting " + server, e);
        }
    }

    /** Fingerprint formatted for people: {@code SHA256:AB:CD:…}. */
    public static String display(String hexFingerprint) {
        StringBuilder sb = new StringBuilder("SHA256:");
        String hex = PinnedTrust.normalize(hexFingerprint).toUpperCase(java.util.Locale.ROOT);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** Accepts any certificate and remembers the leaf; used only to show it, never to send data. */
    private static final class Capture extends X509ExtendedTrustManager {
        X509Certificate leaf;

        private void keep(X509Certificate[] chain) {
            if (chain != null && chain.length > 0) {
                leaf = chain[0];
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            keep(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            keep(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            keep(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
