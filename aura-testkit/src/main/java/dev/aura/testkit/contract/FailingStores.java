package dev.aura.testkit.contract;

import dev.aura.spi.AuditLog;
import dev.aura.spi.PeerStore;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreException;
import dev.aura.spi.TokenLedger;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store set whose k-th write call, whichever store it goes to, fails with a {@link StoreException}
 * instead of reaching the store; every other call goes to the real store (and so joins its unit).
 */
final class FailingStores {
  static final String INJECTED = "injected store failure at write ";
  private static final Set<String> WRITES =
      Set.of("record", "consume", "save", "create", "recordSeen", "issue", "rotate", "append", "saveAll");

  private FailingStores() {}

  /** @return {@code real} with write number {@code failingWrite} (from 1) failing */
  static StoreSet failingAt(StoreSet real, int failingWrite) {
    AtomicInteger writes = new AtomicInteger();
    return new StoreSet(real.unitOfWork(), wrap(TokenLedger.class, real.tokenLedger(), writes, failingWrite),
        wrap(PeerStore.class, real.peerStore(), writes, failingWrite),
        wrap(RefreshCredentialStore.class, real.refreshCredentialStore(), writes, failingWrite),
        wrap(AuditLog.class, real.auditLog(), writes, failingWrite),
        wrap(RevocationStore.class, real.revocationStore(), writes, failingWrite),
        wrap(SigningKeyStore.class, real.signingKeyStore(), writes, failingWrite), real.changeFeed(), null);
  }

  private static <S> S wrap(Class<S> spi, S real, AtomicInteger writes, int failingWrite) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (WRITES.contains(method.getName()) && writes.incrementAndGet() == failingWrite) {
        throw new StoreException(INJECTED + failingWrite + " (" + spi.getSimpleName() + "." + method.getName()
            + ")");
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return spi.cast(Proxy.newProxyInstance(spi.getClassLoader(), new Class<?>[] {spi}, handler));
  }
}
