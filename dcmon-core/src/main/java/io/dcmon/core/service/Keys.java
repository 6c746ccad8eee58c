package io.dcmon.core.service;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA key helpers shared by agent and server: generation, PEM, fingerprints. */
public final class Keys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final String BEGIN_PRIVATE = "-----BEGIN PRIVATE KEY-----";
    private static final String END_PRIVATE = "-----END PRIVATE KEY-----";

    private Keys() {
    }

    /** A new RSA-2048 key pair. */
    public static KeyPair generateRsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(RegistrationRequest.MIN_KEY_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required of every JDK", e);
        }
    }

    /** PEM text of a public key (SubjectPublicKeyInfo). */
    public static String toPem(PublicKey key) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return BEGIN + "\n" + b64 + "\n" + END + "\n";
    }

    /**
     * Parses a PEM "PUBLIC KEY" holding an RSA key.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static PublicKey parsePublicPem(String pem) {
        if (pem == null || !pem.contains(BEGIN) || !pem.contains(END)) {
            throw new IllegalArgumentException("expected a PEM block starting with " + BEGIN);
        }
        String body = pem.substring(pem.indexOf(BEGIN) + BEGIN.length(), pem.indexOf(END)).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM body is not valid base64");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key (" + e.getMessage() + ")");
        }
    }

    /** SHA-256 of the key's DER encoding, lowercase hex: a client's stable identity. */
    public static String fingerprint(PublicKey key) {
        return Tokens.sha256Hex(key.getEncoded());
    }

    /** PEM text of a private key (PKCS#8, unencrypted: protect the file with mode 600). */
    public static String toPem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return BEGIN_PRIVATE + "\n" + b64 + "\n" + END_PRIVATE + "\n";
    }

    /**
     * Reads an RSA key pair from a PKCS#8 "PRIVATE KEY" PEM; the public half is derived from the private key.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static KeyPair parsePrivatePem(String pem) {
        if (pem == null || !pem.contains(BEGIN_PRIVATE) || !pem.contains(END_PRIVATE)) {
            throw new IllegalArgumentException("expected a PEM block starting with " + BEGIN_PRIVATE);
        }
        String body = pem.substring(pem.indexOf(BEGIN_PRIVATE) + BEGIN_PRIVATE.length(), pem.indexOf(END_PRIVATE))
                .replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (!(priv instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalArgumentException("not an RSA private key with CRT parameters");
            }
            PublicKey pub = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a readable RSA private key (" + e.getMessage() + ")");
        }
    }
}
