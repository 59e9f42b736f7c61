package dev.aura.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JdbcStoreOptionsTest {
  @Test
  void defaults_haveNoKeyFileTenSecondTimeoutsAndTenConnections() {
    JdbcStoreOptions options = JdbcStoreOptions.defaults();

    assertThat(options.keyFileIfAny()).isEmpty();
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.busyTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.maxPoolSize()).isEqualTo(10);
  }

  @Test
  void build_withASettingGivenTwice_throws() {
    JdbcStoreOptions.Builder builder = JdbcStoreOptions.builder().keyFile(Path.of("a"));

    assertThatIllegalStateException().isThrownBy(() -> builder.keyFile(Path.of("b")))
        .withMessage("keyFile was already set");
  }

  @Test
  void build_withValuesOutOfRange_throwsNamingTheValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JdbcStoreOptions.builder().connectTimeout(Duration.ofMillis(10)).build())
        .withMessage("connectTimeout must be within 250ms..10m, got PT0.01S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> JdbcStoreOptions.builder().maxPoolSize(1).build())
        .withMessage("maxPoolSize must be within 2..200, got 1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new JdbcStoreOptions(null, Duration.ofSeconds(1), 10, Duration.ofHours(1)))
        .withMessage("busyTimeout must be within 250ms..10m, got PT1H");
  }
}
