package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoreProbeTest {
  private static final Duration BOUND = Duration.ofSeconds(2);

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<CountDownLatch> finished = new AtomicReference<>(new CountDownLatch(1));

  private StoreProbe probe() {
    return new StoreProbe(() -> {
      try {
        gate.get().await(30, TimeUnit.SECONDS);
        reads.incrementAndGet();
        if (failure.get() != null) {
          throw failure.get();
        }
      } finally {
        finished.get().countDown();
      }
    }, BOUND, nanos::get);
  }

  private void awaitRead() throws InterruptedException {
    assertThat(finished.get().await(30, TimeUnit.SECONDS)).as("the probe's read finished").isTrue();
    Thread.sleep(20); // the verdict is written right after the read returns
    finished.set(new CountDownLatch(1));
  }

  @Test
  void answeredLately_neverWaits_andTurnsFalseOnlyWhenTheRunningReadIsPastTheBound() throws Exception {
    try (StoreProbe probe = probe()) {
      assertThat(probe.answeredLately()).as("no probe has failed yet").isTrue();
      awaitRead();

      CountDownLatch held = new CountDownLatch(1); // the database goes away: reads hang
      gate.set(held);
      assertThat(probe.answeredLately()).as("the last finished read succeeded").isTrue();
      nanos.addAndGet(BOUND.toNanos() - 1);
      assertThat(probe.answeredLately()).as("still within the bound").isTrue();
      nanos.addAndGet(1);
      long before = System.nanoTime();
      assertThat(probe.answeredLately()).as("the read has waited as long as the bound").isFalse();
      assertThat(probe.answeredLately()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).as("did not wait for the hung read")
          .isLessThan(BOUND);
      assertThat(reads.get()).as("one probe at a time").isEqualTo(1);

      failure.set(new Exception("connection refused")); // the hung read fails in the end
      held.countDown();
      awaitRead();
      assertThat(probe.answeredLately()).as("the last finished read failed").isFalse();
      awaitRead();
      failure.set(null);
      assertThat(probe.answeredLately()).as("still the failed verdict: the new read is only starting").isFalse();
      awaitRead();
      assertThat(probe.answeredLately()).as("the database is back").isTrue();
    }
  }

  @Test
  void answers_waitsForTheRead_andSaysWhetherItSucceeded() throws Exception {
    try (StoreProbe probe = probe()) {
      assertThat(probe.answers()).isTrue();
      failure.set(new Exception("connection refused"));
      assertThat(probe.answers()).isFalse();
      failure.set(null);
      assertThat(probe.answers()).isTrue();
      assertThat(reads.get()).isEqualTo(3);
    }
  }
}
