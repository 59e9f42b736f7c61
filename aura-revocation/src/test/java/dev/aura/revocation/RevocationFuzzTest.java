package dev.aura.revocation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aura.token.PublicKeyRing;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzz tests of the peer's revocation document reader (docs/security.md, "Fuzzing"):
 * {@link PeerRevocationCache#apply} returns or throws {@link RevocationSyncException}, nothing else. Regression
 * corpus: {@code src/test/resources/dev/aura/revocation/RevocationFuzzTestInputs/<method>/}.
 *
 * <p>{@link #applySigned} reads {@code header-json LF payload-json}, replaces {@code KID} with the ring's
 * primary kid and signs with its Ed25519 key, so the fuzzer reaches the document checks behind the signature.
 * The clock stands at {@link TestMothership#START} (epoch second 1776762000).
 */
class RevocationFuzzTest {
  private static final TestMothership M = mothership();
  private static final PublicKeyRing PEER_KEYS = PublicKeyRing.fromJwkSet(M.ring.publicKeys().toJwkSetJson());
  private static final PrivateKey PRIMARY = primaryKey();

  private static TestMothership mothership() {
    try {
      return new TestMothership();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The primary Ed25519 key as PKCS#8: a fixed prefix and the 32-byte seed {@code d} of its JWK. */
  private static PrivateKey primaryKey() {
    String jwk = new String(M.ring.exportPrivateJwk(M.ring.primaryKid()).revealCopy(), StandardCharsets.UTF_8);
    Matcher d = Pattern.compile("\"d\"\\s*:\\s*\"([^\"]+)\"").matcher(jwk);
    if (!d.find()) {
      throw new IllegalStateException("the test ring's primary key is not Ed25519");
    }
    byte[] seed = Base64.getUrlDecoder().decode(d.group(1));
    byte[] prefix = HexFormat.of().parseHex("302e020100300506032b657004220420");
    byte[] pkcs8 = new byte[prefix.length + seed.length];
    System.arraycopy(prefix, 0, pkcs8, 0, prefix.length);
    System.arraycopy(seed, 0, pkcs8, prefix.length, seed.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static PeerRevocationCache cache() {
    return PeerRevocationCache.builder().keys(() -> PEER_KEYS).clock(M.clock).maxStaleness(Duration.ofHours(1))
        .whenStale(StalenessPolicy.FAIL_CLOSED).build();
  }

  @FuzzTest(maxDuration = "2m")
  void apply(byte[] data) {
    apply(cache(), new String(data, StandardCharsets.UTF_8));
  }

  /** A signed document applied to a fresh copy, then (if accepted) a second one on top of it. */
  @FuzzTest(maxDuration = "2m")
  void applySigned(byte[] data) throws Exception {
    String text = new String(data, StandardCharsets.UTF_8);
    PeerRevocationCache cache = cache();
    for (String part : text.split("\n\n", 2)) {
      int lf = part.indexOf('\n');
      if (lf < 0) {
        return;
      }
      if (!apply(cache, sign(part.substring(0, lf), part.substring(lf + 1)))) {
        return;
      }
    }
  }

  /** The saved copy's loader on raw file bytes: a typed refusal or a load, never another exception. */
  @FuzzTest(maxDuration = "2m")
  void savedCopyLoad(byte[] data) throws Exception {
    load(data);
  }

  /**
   * The loader behind the digest and signatures: in the input, an {@code update} or {@code renewal} line of
   * {@code header-json TAB payload-json} is signed as in {@link #applySigned}, and {@code end AUTO} becomes the
   * digest of the lines before it.
   */
  @FuzzTest(maxDuration = "2m")
  void savedCopyLoadSigned(byte[] data) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
      int space = line.indexOf(' ');
      int tab = line.indexOf('\t');
      if (line.equals("end AUTO")) {
        line = "end " + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(out.toString().getBytes(StandardCharsets.UTF_8)));
      } else if (space > 0 && tab > space) {
        line = line.substring(0, space + 1) + sign(line.substring(space + 1, tab), line.substring(tab + 1));
      }
      out.append(line).append('\n');
    }
    out.setLength(out.length() - 1);
    load(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void load(byte[] copy) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("saved-copy-fuzz");
    try {
      java.nio.file.Files.write(dir.resolve(SavedRevocationCopy.COPY_FILE), copy);
      SavedRevocationCopy saved = SavedRevocationCopy.open(dir, cache());
      try {
        saved.load();
        saved.cache().freshness();
      } catch (RevocationSyncException expected) {
        if (saved.cache().version() != 0) {
          throw new AssertionError("a refused load changed the cache", expected);
        }
      }
    } finally {
      try (var files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  private static boolean apply(PeerRevocationCache cache, String signed) {
    try {
      cache.apply(signed);
      cache.freshness();
      return true;
    } catch (RevocationSyncException expected) {
      return false;
    }
  }

  private static String sign(String header, String payload) throws Exception {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String input = url.encodeToString(header.replace("KID", M.ring.primaryKid()).getBytes(StandardCharsets.UTF_8))
        + "." + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(PRIMARY);
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + url.encodeToString(signer.sign());
  }
}
