package dev.aura.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Generates the Mothership's self-signed certificate: a fresh ECDSA P-256 key (which every TLS client
 * supports), a random positive 159-bit serial (RFC 5280 section 4.1.2.2), the given host names and IP
 * addresses as subject alternative names plus {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid for
 * {@link #DEFAULT_VALIDITY 365 days} from the injected clock's now.
 *
 * <pre>{@code
 * SelfSignedCertificateGenerator generator = SelfSignedCertificateGenerator.builder(Clock.systemUTC())
 *     .hostName("mothership.acme.internal")
 *     .ipAddress("10.0.1.5")
 *     .build();
 * TlsIdentity identity = generator.generate();       // a new key and certificate on every call
 * PemFiles.write(identity, dataDir.resolve("tls.crt"), dataDir.resolve("tls.key"));
 * }</pre>
 *
 * <p>The certificate's {@code notBefore} is {@link #NOT_BEFORE_BACKDATE one minute} before now, so that a
 * peer whose clock is slightly behind accepts a freshly rotated certificate; {@code notAfter} is now plus the
 * validity. Host names and addresses are only written into the certificate: nothing is resolved.
 *
 * <p>Immutable and safe for concurrent use.
 */
public final class SelfSignedCertificateGenerator {
  /** How long a generated certificate is valid unless {@link Builder#validity} says otherwise. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
  /** The subject common name unless {@link Builder#commonName} says otherwise. */
  public static final String DEFAULT_COMMON_NAME = "aura-mothership";
  /** How far before now {@code notBefore} is set, matching the default 60 s clock skew. */
  public static final Duration NOT_BEFORE_BACKDATE = Duration.ofMinutes(1);

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final List<String> LOOPBACK_ADDRESSES = List.of("127.0.0.1", "::1");

  private final Clock clock;
  private final String commonName;
  private final List<String> dnsNames;
  private final List<String> ipAddresses;
  private final Duration validity;
  private final SecureRandom random = new SecureRandom();

  private SelfSignedCertificateGenerator(Builder builder) {
    this.clock = builder.clock;
    this.commonName = builder.commonName == null ? DEFAULT_COMMON_NAME : builder.commonName;
    Set<String> dns = new LinkedHashSet<>(builder.dnsNames);
    dns.add("localhost");
    this.dnsNames = List.copyOf(dns);
    Set<String> ips = new LinkedHashSet<>(builder.ipAddresses);
    ips.addAll(LOOPBACK_ADDRESSES);
    this.ipAddresses = List.copyOf(ips);
    this.validity = builder.validity == null ? DEFAULT_VALIDITY : builder.validity;
  }

  /**
   * @param clock gives the validity start of every certificate generated
   * @return a builder; {@code build()} with nothing else set generates {@code CN=aura-mothership} for
   *     localhost, valid 365 days
   */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /** @return the DNS names written as subject alternative names, {@code localhost} included */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** @return the IP addresses written as subject alternative names, loopback included */
  public List<String> ipAddresses() {
    return ipAddresses;
  }

  /** @return how long each generated certificate is valid */
  public Duration validity() {
    return validity;
  }

  /**
   * Generates a new key pair and a self-signed certificate for it.
   *
   * @return the new identity; its key never left this process
   */
  public TlsIdentity generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      KeyPair keyPair = generator.generateKeyPair();
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      X509v3CertificateBuilder certificate = new JcaX509v3CertificateBuilder(subject, randomSerial(),
          Date.from(now.minus(NOT_BEFORE_BACKDATE)), Date.from(now.plus(validity)), subject,
          keyPair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      certificate.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      certificate.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      certificate.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      certificate.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames());
      certificate.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      X509Certificate signed = new JcaX509CertificateConverter().getCertificate(certificate.build(
          new JcaContentSignerBuilder("SHA256withECDSA")
              .build(keyPair.getPrivate())));
      return TlsIdentity.trusted(signed, keyPair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot generate an ECDSA P-256 certificate with this JDK", e);
    }
  }

  private GeneralNames subjectAlternativeNames() {
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (String ip : ipAddresses) {
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private BigInteger randomSerial() {
    BigInteger serial;
    do {
      serial = new BigInteger(159, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /** Collects host names, addresses and validity; checks each value as it is given. Not thread-safe. */
  public static final class Builder {
    private final Clock clock;
    private String commonName;
    private final Set<String> dnsNames = new LinkedHashSet<>();
    private final Set<String> ipAddresses = new LinkedHashSet<>();
    private Duration validity;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param commonName the subject CN, such as the Mothership's public host name; at most 64 characters
     * @return this builder
     * @throws IllegalStateException when given twice
     */
    public Builder commonName(String commonName) {
      Objects.requireNonNull(commonName, "commonName");
      if (this.commonName != null) {
        throw new IllegalStateException("commonName was already set to " + this.commonName);
      }
      if (commonName.isBlank() || commonName.length() > 64) {
        throw new IllegalArgumentException("commonName must have 1 to 64 characters, got "
            + commonName.length());
      }
      this.commonName = commonName;
      return this;
    }

    /**
     * Adds DNS names (lower-cased) to the subject alternative names.
     *
     * @param hostNames names such as {@code mothership.acme.internal}; no wildcards, no IP addresses
     * @return this builder
     */
    public Builder hostName(String... hostNames) {
      for (String hostName : hostNames) {
        dnsNames.add(checkHostName(hostName));
      }
      return this;
    }

    /**
     * Adds IP addresses to the subject alternative names.
     *
     * @param addresses IPv4 or IPv6 literals such as {@code 10.0.1.5} or {@code fd00::5}
     * @return this builder
     */
    public Builder ipAddress(String... addresses) {
      for (String address : addresses) {
        Objects.requireNonNull(address, "address");
        if (!IPAddress.isValid(address)) {
          throw new IllegalArgumentException("not an IPv4 or IPv6 address literal: \"" + address + "\"");
        }
        ipAddresses.add(address);
      }
      return this;
    }

    /**
     * @param validity how long each certificate is valid from its generation; positive
     * @return this builder
     * @throws IllegalStateException when given twice
     */
    public Builder validity(Duration validity) {
      Objects.requireNonNull(validity, "validity");
      if (this.validity != null) {
        throw new IllegalStateException("validity was already set to " + this.validity);
      }
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive, got " + validity);
      }
      this.validity = validity;
      return this;
    }

    /** @return the generator */
    public SelfSignedCertificateGenerator build() {
      return new SelfSignedCertificateGenerator(this);
    }

    private static String checkHostName(String hostName) {
      Objects.requireNonNull(hostName, "hostName");
      String name = hostName.toLowerCase(Locale.ROOT);
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      if (IPAddress.isValid(name)) {
        throw new IllegalArgumentException("\"" + hostName + "\" is an IP address; use ipAddress(...)");
      }
      if (name.isEmpty() || name.length() > 253) {
        throw new IllegalArgumentException("host name must have 1 to 253 characters, got \"" + hostName + "\"");
      }
      for (String label : name.split("\\.", -1)) {
        if (!DNS_LABEL.matcher(label).matches()) {
          throw new IllegalArgumentException("not a DNS host name: \"" + hostName + "\" (label \"" + label
              + "\"; letters, digits and inner hyphens only, 1 to 63 characters)");
        }
      }
      return name;
    }
  }
}
