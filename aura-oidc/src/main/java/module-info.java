/**
 * The Mothership as an OpenID Connect relying party: the identity provider's discovery document and keys,
 * fetched through {@link dev.aura.oidc.IdpFetcher}, and ID token validation.
 *
 * <p>Everything public is in {@code dev.aura.oidc}; {@code dev.aura.oidc.internal} is not exported.
 */
module dev.aura.oidc {
  requires transitive oauth2.oidc.sdk;
  requires transitive com.nimbusds.jose.jwt;

  exports dev.aura.oidc;
}
