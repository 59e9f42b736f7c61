package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.Role;
import dev.aura.token.BulkIssuance;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.TokenDecoder;
import dev.aura.token.TokenDuration;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aura mothership token issue|revoke|decode}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Issue, revoke and inspect join tokens.",
    subcommands = {TokenCommand.Issue.class, TokenCommand.Revoke.class, TokenCommand.Decode.class})
final class TokenCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code token issue}. */
  @Command(name = "issue", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Issues a join token. The token is printed once; the Mothership keeps only its jti,"
          + " metadata and hash. Treat it like a temporary root credential: distribute it out of band.",
          "",
          "  aura mothership token issue --for alice@acme.com",
          "  aura mothership token issue --for bob@acme.com --role admin --expires-in 1h --one-shot",
          "  aura mothership token issue --for team-onboarding --uses 20 --expires-in 72h",
          "  aura mothership token issue --bulk team.csv --expires-in 72h --output tokens.csv"})
  static final class Issue extends BaseCommand {
    static final class Who {
      @Option(names = "--for", paramLabel = "SUBJECT", required = true,
          description = "Subject claim: who the token is for. Used for audit logs.")
      String subject;

      @Option(names = "--bulk", paramLabel = "FILE", required = true,
          description = "Issue one token per line of an 'email,role' CSV file; prints a CSV of tokens.")
      Path bulk;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(names = "--role", paramLabel = "ROLE", description = "member (default), admin or read-only.")
    String role;

    @Option(names = "--expires-in", paramLabel = "DURATION",
        description = "Lifetime: 5m, 1h, 7d... (default 24h), capped by jwt.max_expiry.")
    String expiresIn;

    @Option(names = "--one-shot", arity = "0..1", paramLabel = "true|false", fallbackValue = "true",
        description = "Consumed on first use (default true). Disable only when provisioning a fleet.")
    Boolean oneShot;

    @Option(names = "--uses", paramLabel = "N",
        description = "How many joins the token allows (default 1); N > 1 makes a multi-use token.")
    Integer uses;

    @Option(names = "--workspace", paramLabel = "NAME",
        description = "Restricts the peer to this workspace; repeatable, at most 32 (default: every workspace).")
    List<String> workspaces;

    @Option(names = "--output", paramLabel = "FILE",
        description = "Write the output to FILE, created owner-only (0600), instead of stdout.")
    Path output;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Issue(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      TokenDuration expiry = parseExpiry();
      if (output != null && Files.exists(output)) {
        throw new AuraException("--output " + output + " already exists", "choose a new file: it will hold live"
            + " tokens", AuraException.USAGE);
      }
      if (who.bulk != null) {
        return bulk(expiry);
      }
      ObjectNode request = Wire.object();
      request.put("for", who.subject);
      JoinTokenRequest.Builder check = JoinTokenRequest.forSubject(who.subject);
      try {
        if (role != null) {
          check.role(Role.parseLenient(role));
          request.put("role", Role.parseLenient(role).wireName());
        }
        check.expiresIn(expiry);
        request.put("expires_in", expiry.toString());
        if (Boolean.FALSE.equals(oneShot) && (uses == null || uses < 2)) {
          throw new IllegalArgumentException("--one-shot=false needs --uses N with N of 2 or more");
        }
        if (Boolean.TRUE.equals(oneShot)) {
          check.oneShot();
          request.put("one_shot", true);
        }
        if (uses != null) {
          check.uses(uses);
          request.put("uses", uses);
        }
        if (workspaces != null) {
          ArrayNode names = request.putArray("workspaces");
          for (String name : workspaces) {
            check.workspace(argument(dev.aura.spi.WorkspaceName::parse, name));
            names.add(name);
          }
        }
        check.build();
      } catch (IllegalArgumentException e) {
        throw new AuraException(e.getMessage(), null, AuraException.USAGE);
      }
      JsonNode t = AdminTarget.resolve(env, host).post(Wire.ADMIN + "tokens", request).body();
      if (json.json) {
        emit(Wire.pretty(t) + "\n", 1);
        return 0;
      }
      Instant now = env.clock().instant();
      StringBuilder text = new StringBuilder();
      text.append("token: ").append(t.path("token").asText()).append('\n');
      text.append("jti: ").append(t.path("jti").asText()).append('\n');
      text.append("role: ").append(t.path("role").asText()).append('\n');
      text.append("expires: ").append(Format.utcRelative(now, Instant.parse(t.path("expires").asText())))
          .append('\n');
      text.append("one_shot: ").append(t.path("one_shot").asBoolean()).append('\n');
      if (!t.path("one_shot").asBoolean()) {
        text.append("uses: ").append(t.path("uses").asInt()).append('\n');
      }
      text.append("fingerprint: ").append(t.path("fingerprint").asText()).append('\n');
      emit(text.toString(), 1);
      return 0;
    }

    private TokenDuration parseExpiry() throws AuraException {
      try {
        return expiresIn == null ? JoinTokenRequest.DEFAULT_EXPIRY : TokenDuration.parse(expiresIn);
      } catch (IllegalArgumentException e) {
        throw new AuraException("--expires-in: " + e.getMessage(), null, AuraException.USAGE);
      }
    }

    private int bulk(TokenDuration expiry) throws Exception {
      if (role != null || uses != null || oneShot != null || workspaces != null) {
        throw new AuraException("--bulk takes each role from the file",
            "--role, --uses, --one-shot and --workspace apply to a single token (--for); bulk tokens are one-shot",
            AuraException.USAGE);
      }
      String csv;
      try {
        if (Files.size(who.bulk) > 4 * 1024 * 1024) {
          throw new AuraException("--bulk " + who.bulk + " is larger than 4 MiB", null, AuraException.USAGE);
        }
        csv = Files.readString(who.bulk);
      } catch (NoSuchFileException e) {
        throw new AuraException("cannot read " + who.bulk, "no such file", AuraException.USAGE);
      } catch (IOException e) {
        throw new AuraException("cannot read " + who.bulk, e.getMessage(), AuraException.USAGE);
      }
      ObjectNode request = Wire.object();
      request.put("csv", csv);
      request.put("expires_in", expiry.toString());
      JsonNode reply = AdminTarget.resolve(env, host).post(Wire.ADMIN + "tokens/bulk", request).body();
      ArrayNode rows = (ArrayNode) reply.path("tokens");
      if (json.json) {
        emit(Wire.pretty(reply) + "\n", rows.size());
        return 0;
      }
      List<IssuedJoinToken> tokens = new ArrayList<>();
      for (JsonNode t : rows) {
        tokens.add(new IssuedJoinToken(t.path("token").asText(), Jti.parse(t.path("jti").asText()),
            t.path("subject").asText(), Role.parse(t.path("role").asText()),
            Instant.parse(t.path("issued_at").asText()), Instant.parse(t.path("expires").asText()),
            t.path("uses").asInt(), Fingerprint.parse(t.path("fingerprint").asText())));
      }
      StringWriter text = new StringWriter();
      BulkIssuance.writeCsv(tokens, text);
      emit(text.toString(), tokens.size());
      return 0;
    }

    private void emit(String text, int count) throws AuraException {
      if (output == null) {
        out().print(text);
        return;
      }
      try {
        OwnerOnlyFiles.writeSecret(output, text);
      } catch (IOException e) {
        throw new AuraException("cannot write " + output, e.getMessage());
      }
      out().println("wrote " + count + " token" + (count == 1 ? "" : "s") + " to " + output
          + " (owner-only); distribute each over a secure channel");
    }
  }

  /** {@code token revoke JTI}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes one join token by its jti: it is refused on every join from now on.")
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "JTI", description = "The token's id, jt_...")
    String jti;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Revoke(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      argument(Jti::parse, jti);
      JsonNode r = admin(host, "tokens/revoke", "jti", jti);
      if (!printedAsJson(json, r)) {
        out().println("revoked " + r.path("target").asText() + " (revocation version " + r.path("version").asLong()
            + ")");
      }
      return 0;
    }
  }

  /** {@code token decode TOKEN}. */
  @Command(name = "decode", mixinStandardHelpOptions = true,
      description = {"Shows a token's header and claims without verifying it. On the Mothership host it also"
          + " says whether the token is valid, expired, used or revoked.",
          "Pass - to read the token from standard input (keeps it out of the shell history)."})
  static final class Decode extends BaseCommand {
    @Parameters(paramLabel = "TOKEN", description = "The token, or - to read it from standard input.")
    String token;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Decode(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      String value = token;
      if ("-".equals(token)) {
        if (env.stdin() == null) {
          throw new AuraException("no standard input to read the token from", null, AuraException.USAGE);
        }
        String line = env.stdin().readLine();
        value = line == null ? "" : line.strip();
      }
      TokenDecoder.Decoded decoded = TokenDecoder.decode(value);
      ObjectNode status = status(value);
      if (json.json) {
        ObjectNode o = Wire.object();
        decoded.header().ifPresent(h -> o.set("header", Wire.json().valueToTree(h)));
        decoded.claims().ifPresent(c -> o.set("claims", Wire.json().valueToTree(c)));
        o.put("signature_bytes", decoded.signatureLength());
        o.put("verified_here", false);
        ArrayNode problems = o.putArray("problems");
        decoded.problems().forEach(problems::add);
        o.set("status", status);
        json.print(out(), o);
        return 0;
      }
      decoded.header().ifPresent(h -> {
        out().println("header:");
        h.forEach((k, v) -> out().println("  " + k + ": " + v));
      });
      decoded.claims().ifPresent(c -> {
        out().println("claims:");
        for (Map.Entry<String, Object> e : c.entrySet()) {
          String shown = String.valueOf(e.getValue());
          if ((e.getKey().equals("iat") || e.getKey().equals("exp") || e.getKey().equals("nbf"))
              && e.getValue() instanceof Long seconds) {
            shown = seconds + " (" + Format.utcRelative(env.clock().instant(), Instant.ofEpochSecond(seconds)) + ")";
          }
          out().println("  " + e.getKey() + ": " + shown);
        }
      });
      if (decoded.signatureLength() >= 0) {
        out().println("signature: " + decoded.signatureLength() + " bytes (not verified by decode)");
      }
      for (String problem : decoded.problems()) {
        out().println("problem: " + problem);
      }
      out().println("status: " + status.path("status").asText()
          + (status.hasNonNull("detail") ? " (" + status.get("detail").asText() + ")" : ""));
      return 0;
    }

    private ObjectNode status(String value) {
      ObjectNode request = Wire.object();
      request.put("token", value);
      try {
        return AdminTarget.resolve(env, host).post(Wire.ADMIN + "tokens/inspect", request).body();
      } catch (AuraException e) {
        ObjectNode unknown = Wire.object();
        unknown.put("status", "unknown");
        unknown.put("detail", "validity is known on the Mothership host only: " + e.what()
            + e.why().map(w -> ": " + w).orElse(""));
        return unknown;
      }
    }
  }
}
