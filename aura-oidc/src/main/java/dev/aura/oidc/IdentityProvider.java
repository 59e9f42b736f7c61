package dev.aura.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenID Provider as its discovery document describes it (OpenID Connect Discovery 1.0): the issuer, the
 * key set URL, the token and device authorization endpoints, and the ID token signing algorithms it offers.
 *
 * <pre>{@code
 * IdentityProvider idp = IdentityProvider.discover(URI.create("https://idp.acme.internal/realms/acme"), fetcher);
 * }</pre>
 *
 * <p>Immutable.
 */
public final class IdentityProvider {
  /** The signing algorithms an ID token may use here: asymmetric only, so a peer never needs a secret. */
  public static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private final URI issuer;
  private final URI jwksUri;
  private final URI tokenEndpoint;
  private final URI deviceAuthorizationEndpoint;
  private final Set<JWSAlgorithm> algorithms;

  private IdentityProvider(URI issuer, URI jwksUri, URI tokenEndpoint, URI deviceAuthorizationEndpoint,
      Set<JWSAlgorithm> algorithms) {
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.tokenEndpoint = tokenEndpoint;
    this.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
    this.algorithms = Collections.unmodifiableSet(algorithms);
  }

  /**
   * Fetches and checks {@code issuer + "/.well-known/openid-configuration"}: valid metadata, an {@code issuer}
   * exactly equal to the configured one (Discovery section 4.3), an {@code https} {@code jwks_uri}, and at least
   * one asymmetric ID token algorithm.
   *
   * @param issuer the configured issuer, an {@code https} URL
   * @throws IdpException when the document is unreachable or invalid, naming the URL and the problem
   * @throws IllegalArgumentException when {@code issuer} is not an {@code https} URL
   */
  public static IdentityProvider discover(URI issuer, IdpFetcher fetcher) throws IdpException {
    requireHttps(issuer, "issuer");
    URI url = discoveryUrl(issuer);
    String body;
    try {
      body = fetcher.fetch(url);
    } catch (IOException e) {
      throw new IdpException("cannot fetch " + url + ": " + e.getMessage());
    }
    return parse(issuer, url, body);
  }

  /**
   * Checks a discovery document already fetched.
   *
   * @param issuer the configured issuer
   * @param url where the document came from, for messages
   * @param body the document
   * @throws IdpException when it is invalid
   */
  public static IdentityProvider parse(URI issuer, URI url, String body) throws IdpException {
    OIDCProviderMetadata metadata;
    try {
      metadata = OIDCProviderMetadata.parse(body);
    } catch (ParseException | RuntimeException e) {
      throw new IdpException("invalid discovery document at " + url + ": " + e.getMessage());
    }
    String announced = metadata.getIssuer().getValue();
    if (!announced.equals(issuer.toString())) {
      throw new IdpException("the discovery document at " + url + " names issuer " + announced + ", configured "
          + issuer);
    }
    URI jwks = metadata.getJWKSetURI();
    if (jwks == null || !"https".equals(jwks.getScheme())) {
      throw new IdpException("the discovery document at " + url + " has no https jwks_uri (found " + jwks + ")");
    }
    Set<JWSAlgorithm> offered = new LinkedHashSet<>();
    List<JWSAlgorithm> listed = metadata.getIDTokenJWSAlgs() == null ? List.of() : metadata.getIDTokenJWSAlgs();
    for (JWSAlgorithm alg : listed) {
      if (ASYMMETRIC.contains(alg)) {
        offered.add(alg);
      }
    }
    if (offered.isEmpty()) {
      throw new IdpException("the discovery document at " + url + " offers no asymmetric ID token signing"
          + " algorithm (id_token_signing_alg_values_supported: " + listed + ")");
    }
    return new IdentityProvider(issuer, jwks, metadata.getTokenEndpointURI(),
        metadata.getDeviceAuthorizationEndpointURI(), offered);
  }

  /** @return {@code issuer + "/.well-known/openid-configuration"} (Discovery section 4) */
  public static URI discoveryUrl(URI issuer) {
    String base = issuer.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
        + "/.well-known/openid-configuration");
  }

  static void requireHttps(URI uri, String what) {
    if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(what + " must be an https URL, got " + uri);
    }
  }

  /** @return the issuer, exactly as configured and announced */
  public URI issuer() {
    return issuer;
  }

  /** @return where the IdP publishes its signing keys */
  public URI jwksUri() {
    return jwksUri;
  }

  /** @return the token endpoint, if announced */
  public Optional<URI> tokenEndpoint() {
    return Optional.ofNullable(tokenEndpoint);
  }

  /** @return the device authorization endpoint (RFC 8628 section 4), if announced */
  public Optional<URI> deviceAuthorizationEndpoint() {
    return Optional.ofNullable(deviceAuthorizationEndpoint);
  }

  /** @return the asymmetric ID token algorithms the IdP offers, in its order */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  /** @return the algorithm names, comma-separated */
  String algorithmNames() {
    List<String> names = new ArrayList<>();
    algorithms.forEach(a -> names.add(a.getName()));
    return String.join(", ", names);
  }
}
