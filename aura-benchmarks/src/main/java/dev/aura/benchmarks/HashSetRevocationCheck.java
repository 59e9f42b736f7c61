package dev.aura.benchmarks;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.token.RevocationCheck;
import dev.aura.token.VerifiedJoinToken;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A {@link RevocationCheck} on a plain {@link HashSet} of revoked jtis: the cheapest real lookup. It stood in
 * for the revocation list before {@code aura-revocation} existed, and stays as the baseline next to the real
 * list ({@code auraVerifyRevocationList}).
 */
final class HashSetRevocationCheck implements RevocationCheck {
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private final Set<Jti> revoked;

  private HashSetRevocationCheck(Set<Jti> revoked) {
    this.revoked = revoked;
  }

  /** @return a check holding {@code count} random jtis (a fixed seed, so every run holds the same ones) */
  static HashSetRevocationCheck withRandomJtis(int count) {
    Random random = new Random(7);
    Set<Jti> revoked = new HashSet<>();
    while (revoked.size() < count) {
      StringBuilder ulid = new StringBuilder(Jti.PREFIX).append(CROCKFORD.charAt(random.nextInt(8)));
      for (int i = 1; i < 26; i++) {
        ulid.append(CROCKFORD.charAt(random.nextInt(32)));
      }
      revoked.add(new Jti(ulid.toString()));
    }
    return new HashSetRevocationCheck(revoked);
  }

  /** @return a check holding exactly {@code revoked} */
  static HashSetRevocationCheck of(Set<Jti> revoked) {
    return new HashSetRevocationCheck(new HashSet<>(revoked));
  }

  boolean contains(Jti jti) {
    return revoked.contains(jti);
  }

  @Override
  public Optional<String> revocationOf(VerifiedJoinToken token) {
    return revoked.contains(token.jti()) ? Optional.of("jti " + token.jti() + " was revoked") : Optional.empty();
  }

  @Override
  public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
    return Optional.empty();
  }
}
