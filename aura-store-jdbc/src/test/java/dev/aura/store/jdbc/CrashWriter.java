package dev.aura.store.jdbc;

import dev.aura.spi.AuditEntry;
import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.RevocationEntry;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link CrashSafetyTest}: appends a revocation and an audit entry and consumes a
 * token, over and over, printing each write once it has returned (is committed), until it is killed.
 *
 * <p>Arguments: the store URL, the key file, the number of pre-recorded tokens. Output lines:
 * {@code revocation <version> <subject>}, {@code audit <sequence> <jti>}, {@code consumed <jti>}.
 */
final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    JdbcStores stores = JdbcStores.open(args[0],
        JdbcStoreOptions.builder().keyFile(Path.of(args[1])).build());
    int tokens = Integer.parseInt(args[2]);
    out.println("ready");
    out.flush();
    for (int i = 0; i < tokens; i++) {
      String subject = "crash-" + i + "@acme.com";
      RevocationEntry revocation =
          stores.revocationStore().append(Fixtures.revokeSubject(subject, Fixtures.T0.plusSeconds(i)));
      out.println("revocation " + revocation.version() + " " + subject);
      out.flush();
      Jti jti = Fixtures.jti(i);
      AuditEntry audit = stores.auditLog().append(Fixtures.used(jti, Fixtures.T0.plusSeconds(i)));
      out.println("audit " + audit.sequence() + " " + jti);
      out.flush();
      ConsumeOutcome first = stores.tokenLedger().consume(jti, Fixtures.tokenHash(jti), Fixtures.T0.plusSeconds(1));
      if (first != ConsumeOutcome.CONSUMED) {
        out.println("unexpected " + first + " " + jti);
        out.flush();
        System.exit(3);
      }
      out.println("consumed " + jti);
      out.flush();
      ConsumeOutcome again = stores.tokenLedger().consume(jti, Fixtures.tokenHash(jti), Fixtures.T0.plusSeconds(1));
      if (again != ConsumeOutcome.ALREADY_USED) {
        out.println("twice " + jti + " " + again);
        out.flush();
        System.exit(4);
      }
    }
    out.println("finished");
    out.flush();
    stores.close();
  }
}
