package dev.aura.app.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only plain files and directories under one {@code aura-VERSION/}: an archive cannot write outside it. */
class ReleaseArchiveTest {
  @TempDir
  Path temp;

  private Path archive(String... entries) throws Exception {
    Path file = temp.resolve("a.tar.gz");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      for (String e : entries) {
        TarArchiveEntry entry;
        if (e.startsWith("link:")) {
          entry = new TarArchiveEntry(e.substring(5), TarArchiveEntry.LF_SYMLINK);
          entry.setLinkName("/etc/passwd");
          tar.putArchiveEntry(entry);
        } else {
          byte[] content = (e.endsWith("release.properties") ? "version=1.2.3\nprotocol=1\n" : "x")
              .getBytes(StandardCharsets.UTF_8);
          entry = new TarArchiveEntry(e);
          entry.setSize(content.length);
          entry.setMode(e.endsWith("bin/aura") ? 0755 : 0644);
          tar.putArchiveEntry(entry);
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  @Test
  void aWellFormedArchive_isInspectedAndExtracted() throws Exception {
    Path a = archive("aura-1.2.3/release.properties", "aura-1.2.3/bin/aura", "aura-1.2.3/lib/x.jar");
    ReleaseArchive.Info info = ReleaseArchive.inspect(a);
    assertThat(info.version()).hasToString("1.2.3");
    assertThat(info.protocol()).isEqualTo(1);
    assertThat(info.installedSize()).isEqualTo(25 + 1 + 1);
    Path into = Files.createDirectories(temp.resolve("into"));
    Path top = ReleaseArchive.extract(info, into);
    assertThat(Files.isExecutable(top.resolve("bin/aura"))).isTrue();
    assertThat(ReleaseArchive.installedVersion(top)).hasToString("1.2.3");
  }

  @Test
  void pathsLeavingTheTop_links_twoTops_orAMissingLauncher_areRefused() throws Exception {
    assertRefused(archive("aura-1.2.3/release.properties", "aura-1.2.3/bin/aura", "aura-1.2.3/../../evil.jar"),
        "not a release archive: unsafe entry name 'aura-1.2.3/../../evil.jar'");
    assertRefused(archive("aura-1.2.3/release.properties", "aura-1.2.3/bin/aura", "link:aura-1.2.3/lib/x.jar"),
        "not a release archive: aura-1.2.3/lib/x.jar is neither a file nor a directory (links are not accepted)");
    assertRefused(archive("aura-1.2.3/release.properties", "aura-1.2.3/bin/aura", "other/lib/x.jar"),
        "not a release archive: more than one top directory (aura-1.2.3, other)");
    assertRefused(archive("aura-1.2.3/release.properties", "aura-1.2.3/lib/x.jar"),
        "not a release archive: it lacks an executable bin/aura under its top directory");
    assertRefused(archive("aura-9.9.9/release.properties", "aura-9.9.9/bin/aura", "aura-9.9.9/lib/x.jar"),
        "not a release archive: its top directory is aura-9.9.9, release.properties says version 1.2.3");
  }

  private static void assertRefused(Path archive, String message) {
    assertThatThrownBy(() -> ReleaseArchive.inspect(archive)).isInstanceOf(ReleaseException.class)
        .hasMessage(message);
  }
}
