package dev.aura.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReleaseVersionTest {
  @Test
  void versions_orderByNumbers_thenAReleaseAboveItsQualifiedBuilds() {
    List<String> sorted = Stream.of("0.13.0", "0.1.0-SNAPSHOT", "0.13.0-rc1", "0.2", "0.1.0", "0.13.0-rc2", "1.0.0")
        .map(ReleaseVersion::parse).sorted().map(ReleaseVersion::toString).toList();
    assertThat(sorted).containsExactly("0.1.0-SNAPSHOT", "0.1.0", "0.2", "0.13.0-rc1", "0.13.0-rc2", "0.13.0",
        "1.0.0");
    assertThat(ReleaseVersion.parse("0.2")).isEqualByComparingTo(ReleaseVersion.parse("0.2.0"));
  }

  @Test
  void anythingElse_isRefusedWithTheExpectedForm() {
    for (String bad : new String[] {"", "v1.0", "1..0", "1.0-", "1.0.0/../x", "1.0\n"}) {
      assertThatThrownBy(() -> ReleaseVersion.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("(expected such as 0.13.0 or 0.13.0-rc1)");
    }
  }
}
