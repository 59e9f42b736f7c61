package dev.aura.app.oidc;

import dev.aura.app.AuraException;
import dev.aura.oidc.IdpFetcher;
import dev.aura.tls.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS to the identity provider, for the Mothership (discovery, key set) and the CLI (device flow): the JDK's
 * certificate and host name verification against the JDK's trust store, or against the certificates of a
 * PEM file instead ({@code [oidc] ca_file}, {@code --idp-ca-file}). Redirects are not followed; bodies are
 * capped at 1 MiB. Thread-safe.
 */
public final class IdpHttps implements IdpFetcher {
  private static final int MAX_BODY = 1 << 20;
  private final HttpClient http;
  private final Duration timeout;

  private IdpHttps(SSLContext ssl, Duration timeout) {
    this.http = HttpClient.newBuilder().sslContext(ssl).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /**
   * @param caFile PEM certificates to trust instead of the JDK's trust store, or null
   * @throws AuraException when the file cannot be read
   */
  public static IdpHttps create(Path caFile, Duration timeout) throws AuraException {
    return new IdpHttps(caFile == null ? defaultContext() : trusting(caFile), timeout);
  }

  private static SSLContext defaultContext() throws AuraException {
    try {
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new AuraException("no TLS", e.getMessage());
    }
  }

  /**
   * @return a TLS context that trusts exactly the certificates of a PEM file
   * @throws AuraException when the file cannot be read
   */
  public static SSLContext trusting(Path caFile) throws AuraException {
    try {
      List<X509Certificate> certificates = PemFiles.readCertificateChain(caFile);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trust.setCertificateEntry("idp-ca-" + i, certificates.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new AuraException("cannot read the identity provider's CA file " + caFile, e.getMessage());
    }
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String body) {}

  @Override
  public String fetch(URI uri) throws IOException {
    Answer a = send(HttpRequest.newBuilder(requireHttps(uri)).timeout(timeout).header("Accept", "application/json")
        .GET().build());
    if (a.status() / 100 != 2) {
      throw new IOException("HTTP " + a.status());
    }
    return a.body();
  }

  /** POSTs a form ({@code application/x-www-form-urlencoded}) and returns the answer whatever its status. */
  public Answer postForm(URI uri, String form) throws IOException {
    return send(HttpRequest.newBuilder(requireHttps(uri)).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private Answer send(HttpRequest request) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (IOException e) {
      throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new IOException("answer larger than " + MAX_BODY + " bytes");
      }
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          new String(body, StandardCharsets.UTF_8));
    }
  }

  private static URI requireHttps(URI uri) throws IOException {
    if (!"https".equals(uri.getScheme())) {
      throw new IOException("refusing " + uri + ": the identity provider is only reached over https");
    }
    return uri;
  }
}
