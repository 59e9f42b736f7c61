package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.oidc.DeviceFlow;
import dev.aura.app.oidc.IdpHttps;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.Refused;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a peer gets the identity provider assertion a Mothership asks for ({@code [oidc]}): from the file the user
 * gave ({@code --id-token-file}), or by the device flow against the IdP the Mothership names in its
 * {@code idp_assertion_required} / {@code idp_reassertion_required} refusal. The ID token is never printed,
 * stored or logged.
 */
final class IdpSignIn {
  private static final int MAX_ID_TOKEN_BYTES = 16 * 1024;
  private final Path idTokenFile;
  private final Path idpCaFile;
  private final PrintWriter out;

  IdpSignIn(Path idTokenFile, Path idpCaFile, PrintWriter out) {
    this.idTokenFile = idTokenFile;
    this.idpCaFile = idpCaFile;
    this.out = out;
  }

  /** @return the ID token of {@code --id-token-file}, or null without one */
  String fromFile() throws AuraException {
    if (idTokenFile == null) {
      return null;
    }
    try {
      if (Files.size(idTokenFile) > MAX_ID_TOKEN_BYTES) {
        throw new AuraException("--id-token-file: " + idTokenFile + " is larger than " + MAX_ID_TOKEN_BYTES
            + " bytes: is it an ID token?", null, AuraException.USAGE);
      }
      return Files.readString(idTokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AuraException("--id-token-file: cannot read " + idTokenFile, e.getMessage(), AuraException.USAGE);
    }
  }

  /**
   * POSTs {@code request} to {@code path}; when the Mothership answers that an assertion is required and none
   * was sent from a file, signs in with the device flow and POSTs again with the ID token.
   */
  MothershipClient.Reply post(MothershipClient client, String path, ObjectNode request, String bearer)
      throws AuraException {
    String fromFile = fromFile();
    if (fromFile != null) {
      request.put("id_token", fromFile);
    }
    try {
      return client.post(path, request, bearer);
    } catch (Refused e) {
      boolean signIn = e.code().equals("idp_assertion_required") || e.code().equals("idp_reassertion_required");
      if (!signIn || fromFile != null) {
        throw e;
      }
      request.put("id_token", deviceFlow(e.body().path("oidc")));
      return client.post(path, request, bearer);
    }
  }

  private String deviceFlow(JsonNode hint) throws AuraException {
    if (!hint.hasNonNull("issuer") || !hint.hasNonNull("client_id")) {
      throw new AuraException("identity provider assertion required", "the Mothership named no identity provider");
    }
    URI issuer;
    try {
      issuer = URI.create(hint.get("issuer").asText());
    } catch (IllegalArgumentException e) {
      throw new AuraException("identity provider assertion required", "the Mothership named an invalid issuer");
    }
    IdpHttps https = IdpHttps.create(idpCaFile, Duration.ofSeconds(15));
    return new DeviceFlow(https, out, d -> Thread.sleep(d.toMillis())).signIn(issuer,
        hint.get("client_id").asText(), hint.path("scope").asText("openid"));
  }
}
