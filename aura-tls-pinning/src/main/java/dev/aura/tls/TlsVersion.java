package dev.aura.tls;

import java.util.List;

/**
 * The lowest TLS version a server accepts, as a configuration writes it: {@code "1.3"} or {@code "1.2"}.
 *
 * <pre>{@code
 * TlsVersion minimum = TlsVersion.parse("1.2");            // [tls] min_version = "1.2"
 * SSLContext server = TlsContexts.server(identity, minimum);
 * jetty.setIncludeProtocols(minimum.protocols().toArray(new String[0]));
 * }</pre>
 */
public enum TlsVersion {
  /** TLS 1.2 (RFC 5246) and 1.3: for peers or tools that cannot speak 1.3. */
  TLS_1_2("1.2", "TLSv1.2"),
  /** TLS 1.3 only (RFC 8446): no renegotiation, no static-RSA or CBC suites to refuse, encrypted certificate. */
  TLS_1_3("1.3", "TLSv1.3");

  private final String text;
  private final String protocol;

  TlsVersion(String text, String protocol) {
    this.text = text;
    this.protocol = protocol;
  }

  /**
   * @param text {@code "1.2"} or {@code "1.3"}
   * @return the version
   * @throws IllegalArgumentException naming the accepted values
   */
  public static TlsVersion parse(String text) {
    for (TlsVersion v : values()) {
      if (v.text.equals(text)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unsupported TLS version " + (text == null ? "null" : "'" + text + "'")
        + " (accepted: \"1.2\", \"1.3\")");
  }

  /** @return the JSSE protocol name, {@code TLSv1.2} or {@code TLSv1.3} */
  public String protocol() {
    return protocol;
  }

  /** @return the protocols enabled from this version up, in preference order: a subset of {@link TlsContexts#PROTOCOLS} */
  public List<String> protocols() {
    return this == TLS_1_3 ? List.of("TLSv1.3") : TlsContexts.PROTOCOLS;
  }

  /**
   * @return the suites usable with {@link #protocols()}, in preference order: a subset of
   *     {@link TlsContexts#CIPHER_SUITES} (for TLS 1.3 only, the three TLS 1.3 suites)
   */
  public List<String> cipherSuites() {
    return this == TLS_1_3 ? TlsContexts.CIPHER_SUITES.subList(0, 3) : TlsContexts.CIPHER_SUITES;
  }

  /** @return {@code "1.2"} or {@code "1.3"}, what {@link #parse} accepts */
  @Override
  public String toString() {
    return text;
  }
}
