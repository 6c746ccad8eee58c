package io.dcmon.transport.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Trust by certificate pin, the way SSH trusts a host key: the server is accepted exactly when the SHA-256 of its
 * leaf certificate (DER) equals the pinned fingerprint. No CA and no host-name check take part; the pin names one
 * certificate, which is stronger than both. This lets agents reach a server with a self-signed certificate by IP
 * or name without trusting everything.
 */
public final class PinnedTrust extends X509ExtendedTrustManager {

    private final String pin;

    /**
     * @param sha256Pin the fingerprint: 64 hex digits, colons and case ignored ({@code AB:CD:...} as openssl prints it works)
     * @throws IllegalArgumentException when it is not a SHA-256 fingerprint
     */
    public PinnedTrust(String sha256Pin) {
        this.pin = normalize(sha256Pin);
    }

    /** An SSLContext trusting only the pinned certificate. */
    public static SSLContext sslContext(String sha256Pin) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new PinnedTrust(sha256Pin)}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the certificate's DER encoding, lowercase hex without separators. */
    public static String sha256Fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * A fingerprint in canonical form (lowercase hex, no separators).
     *
     * @throws IllegalArgumentException when it is not 64 hex digits
     */
    public static String normalize(String sha256Pin) {
        if (sha256Pin == null) {
            throw new IllegalArgumentException("the certificate pin is missing; give the server's SHA-256 fingerprint");
        }
        String hex = sha256Pin.trim().toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256/") || hex.startsWith("sha256:")) {
            hex = hex.substring(7);
        }
        hex = hex.replace(":", "");
        if (hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("the certificate pin '" + (sha256Pin.length() > 80 ? sha256Pin.substring(0, 80) + "…" : sha256Pin)
                    + "' is not a SHA-256 fingerprint: expected 64 hex digits (colons allowed), as 'dcmon-server fingerprint' prints it");
        }
        return hex;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        String actual = sha256Fingerprint(chain[0]);
        if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new CertificateException("the server's certificate has SHA-256 fingerprint " + actual
                    + " but the pinned one is " + pin + ": this is not the server you registered with, or its "
                    + "certificate was replaced; check it and register again with the new fingerprint");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager only checks servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager only checks servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager only checks servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
