package dev.aura.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.MothershipId;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while an update downloads, after the free-space check passed (another writer took the
 * room): the write fails with ENOSPC, the update is refused as {@code not enough disk space}, everything it
 * wrote is removed and the current installation is exactly as it was. Runs on a small tmpfs (needs root).
 */
class InstallationTest {
  private static final MothershipId ID = MothershipId.parse("mship_7fcd21a9");

  @TempDir
  Path temp;

  private Path mount;
  private Path root;

  @BeforeEach
  void smallDisk() throws Exception {
    mount = Files.createDirectories(temp.resolve("small"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor() == 0, "skipped: cannot mount an 8 MiB tmpfs (needs root): " + output.trim());
    root = Files.createDirectories(mount.resolve("opt-aura"));
    Path current = Files.createDirectories(root.resolve("aura-1.0.0"));
    Files.writeString(current.resolve("release.properties"), "version=1.0.0\nprotocol=1\n");
    Files.createDirectories(current.resolve("bin"));
    Files.createDirectories(current.resolve("lib"));
    Files.createSymbolicLink(root.resolve("current"), Path.of("aura-1.0.0"));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void aDiskThatFillsDuringTheDownload_isRefused_removingWhatWasWritten_andTheNextTryInstalls() throws Exception {
    Path archive = release("2.0.0", 2 << 20);
    ReleaseArchive.Info info = ReleaseArchive.inspect(archive);
    ReleaseManifest manifest = new ReleaseManifest(ID, info.version(), 1, 1, info.sha256(), info.size(),
        info.installedSize(), archive.getFileName().toString(), Instant.parse("2026-12-01T10:00:00Z"));
    Installation here = Installation.locate(root.resolve("aura-1.0.0").toString());
    List<String> before = listing();
    assertThat(Files.getFileStore(root).getUsableSpace()).as("the free-space check passes")
        .isGreaterThan(info.size() + info.installedSize() + Installation.MARGIN_BYTES);

    Path filler = mount.resolve("filler");
    Installation.Download fillsTheDiskFirst = () -> {
      long free = Files.getFileStore(mount).getUsableSpace();
      try (OutputStream out = Files.newOutputStream(filler)) {
        out.write(new byte[(int) (free - (256 << 10))]); // leaves 256 KiB: less than the 2 MiB archive
      }
      return Files.newInputStream(archive);
    };
    assertThatThrownBy(() -> here.install(manifest, fillsTheDiskFirst))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.reason()).isEqualTo(ReleaseException.Reason.NO_SPACE);
          assertThat(e.getMessage()).isEqualTo("not enough disk space: " + root + " filled up (No space left on"
              + " device); everything written was removed, aura 1.0.0 stays installed");
        });
    assertThat(listing()).isEqualTo(before);
    assertThat(here.version()).hasToString("1.0.0");

    Files.delete(filler);
    Installation.Swap swap = here.install(manifest, () -> Files.newInputStream(archive));
    assertThat(swap.to()).hasToString("2.0.0");
    assertThat(listing()).containsExactly("aura-1.0.0", "aura-2.0.0", "current -> aura-2.0.0",
        "previous -> aura-1.0.0");
  }

  /** aura-V/{release.properties, bin/aura, lib/*.jar} with an incompressible jar of {@code libBytes}. */
  private Path release(String version, int libBytes) throws Exception {
    return dev.aura.app.testing.ReleaseArchives.write(temp.resolve("aura-" + version + ".tar.gz"), version, 1,
        libBytes);
  }

  private List<String> listing() throws Exception {
    try (Stream<Path> files = Files.list(root)) {
      return files.map(p -> p.getFileName() + (Files.isSymbolicLink(p) ? " -> " + link(p) : "")).sorted().toList();
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
