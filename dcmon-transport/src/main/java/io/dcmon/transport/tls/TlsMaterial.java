package io.dcmon.transport.tls;

import io.dcmon.core.service.SecretFiles;
import io.dcmon.transport.client.PinnedTrust;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The server's TLS identity: certificate chain and private key, from PEM files an operator provides (a real CA's
 * certificate is used as given) or generated once as a self-signed EC P-256 certificate whose subject alternative
 * names cover the host name, {@code localhost} and every address of the machine, so agents can reach it by any of
 * them while pinning its SHA-256 fingerprint (see {@link PinnedTrust}). Immutable.
 */
public final class TlsMaterial {

    /** File name of the certificate (chain) in the auth dir. */
    public static final String CERT_FILE = "server.crt";
    /** File name of the private key in the auth dir (mode 600). */
    public static final String KEY_FILE = "server.key";
    /** Validity of a generated certificate; it is pinned, so expiry only forces a re-pin. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final boolean generated;

    private TlsMaterial(List<X509Certificate> chain, PrivateKey key, boolean generated) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.generated = generated;
    }

    /**
     * Loads {@code server.crt}/{@code server.key} from {@code authDir}, or generates and writes them (mode 600) when
     * neither exists. One file without the other is an error, so a half-deleted identity is never silently replaced.
     *
     * @param hostname the machine's host name, put into the SANs of a generated certificate
     * @throws TlsException naming the file and the problem
     */
    public static TlsMaterial loadOrCreate(Path authDir, String hostname) {
        Path cert = authDir.resolve(CERT_FILE);
        Path key = authDir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert && hasKey) {
            return fromPem(cert, key);
        }
        if (hasCert || hasKey) {
            throw new TlsException((hasCert ? key : cert) + " is missing but " + (hasCert ? cert : key)
                    + " exists: restore it, or delete both to generate a new self-signed certificate (agents must then pin the new fingerprint)", null);
        }
        TlsMaterial m = generate(hostname, Clock.systemUTC());
        try {
            SecretFiles.write(key, m.privateKeyPem());
            SecretFiles.write(cert, m.certificatePem());
        } catch (IOException e) {
            throw new TlsException("could not write the generated certificate to " + authDir + ": " + e.getMessage()
                    + "; check that the directory is writable by the server", e);
        }
        return new TlsMaterial(m.chain, m.key, true);
    }

    /**
     * Reads an operator-provided certificate chain (PEM, leaf first) and private key (PEM: PKCS#8, or traditional RSA/EC).
     *
     * @throws TlsException when a file is unreadable, holds no certificate or key, the key does not belong to the
     *                      certificate, or the certificate has expired
     */
    public static TlsMaterial fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        try (Reader r = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("could not read the certificate " + certFile + ": " + e.getMessage()
                    + "; it must be PEM (-----BEGIN CERTIFICATE-----), leaf first", e);
        }
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o = p.readObject(); o != null && key == null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    key = conv.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    key = conv.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new TlsException("could not read the private key " + keyFile + ": " + e.getMessage()
                    + "; it must be an unencrypted PEM key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", e);
        }
        if (chain.isEmpty()) {
            throw new TlsException(certFile + " holds no PEM certificate", null);
        }
        if (key == null) {
            throw new TlsException(keyFile + " holds no unencrypted PEM private key", null);
        }
        requireMatch(chain.get(0), key, certFile, keyFile);
        Date notAfter = chain.get(0).getNotAfter();
        if (notAfter.toInstant().isBefore(Instant.now())) {
            throw new TlsException("the certificate " + certFile + " expired on " + notAfter.toInstant()
                    + ": renew it, or delete " + certFile + " and " + keyFile + " to generate a self-signed one", null);
        }
        return new TlsMaterial(chain, key, false);
    }

    /**
     * A new self-signed EC P-256 certificate for this machine (not written anywhere).
     *
     * @param hostname host name for the SANs (and subject CN)
     */
    public static TlsMaterial generate(String hostname, Clock clock) {
        Objects.requireNonNull(hostname, "hostname");
        Set<String> dns = new LinkedHashSet<>();
        if (!hostname.isBlank()) {
            dns.add(hostname);
        }
        dns.add("localhost");
        return generate(dns, localAddresses(), clock);
    }

    /** A new self-signed EC P-256 certificate with exactly these SANs. */
    public static TlsMaterial generate(Collection<String> dnsNames, Collection<InetAddress> addresses, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            String cn = dnsNames.isEmpty() ? "dcmon" : dnsNames.iterator().next();
            X500Name subject = new X500Name("CN=" + cn.replaceAll("[,+=\"\\\\<>;]", "_") + ",O=dcmon self-signed");
            Instant now = clock.instant();
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, kp.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String d : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, d));
            }
            for (InetAddress a : addresses) {
                names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress()));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new TlsMaterial(List.of(cert), kp.getPrivate(), true);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new TlsException("could not generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Every address of every interface that is up, loopback included (IPv6 without scope ids). */
    public static List<InetAddress> localAddresses() {
        Set<InetAddress> out = new LinkedHashSet<>();
        try {
            out.add(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
            out.add(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    out.add(InetAddress.getByAddress(a.getAddress()));
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            // loopback is always there; a machine whose interfaces cannot be listed still gets a usable certificate
        }
        return List.copyOf(out);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The private key (never log it). */
    public PrivateKey privateKey() {
        return key;
    }

    /** True when this certificate was generated (self-signed) rather than read from files. */
    public boolean generated() {
        return generated;
    }

    /** SHA-256 of the leaf certificate, lowercase hex: what agents pin. */
    public String fingerprint() {
        return PinnedTrust.sha256Fingerprint(certificate());
    }

    /** The fingerprint as colon-separated uppercase pairs, the way openssl prints it. */
    public String fingerprintColons() {
        String hex = fingerprint().toUpperCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder(95);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** DNS names and IP addresses in the leaf's subject alternative names. */
    public List<String> subjectAlternativeNames() {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate().getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    out.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new TlsException("the certificate's subject alternative names cannot be read: " + e.getMessage(), e);
        }
        return out;
    }

    /** An in-memory PKCS#12 key store holding key and chain under alias {@code dcmon}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("dcmon", key, password, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("could not build the key store: " + e.getMessage(), e);
        }
    }

    /** The chain as PEM. */
    public String certificatePem() {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            for (X509Certificate c : chain) {
                pw.writeObject(c);
            }
        } catch (IOException e) {
            throw new TlsException("could not encode the certificate as PEM: " + e.getMessage(), e);
        }
        return w.toString();
    }

    private String privateKeyPem() {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new TlsException("could not encode the private key as PEM: " + e.getMessage(), e);
        }
        return w.toString();
    }

    private static void requireMatch(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsException(keyFile + " holds a " + key.getAlgorithm() + " key; use RSA or EC", null);
        };
        try {
            byte[] probe = "dcmon-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new TlsException(keyFile + " is not the private key of " + certFile
                        + ": give the key the certificate was issued for", null);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsException(keyFile + " does not fit " + certFile + ": " + e.getMessage(), e);
        }
    }
}
