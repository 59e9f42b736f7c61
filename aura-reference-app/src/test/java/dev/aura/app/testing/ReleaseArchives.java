package dev.aura.app.testing;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Release archives laid out as aura-dist writes them, for the self-update tests. */
public final class ReleaseArchives {
  private ReleaseArchives() {}

  /**
   * Writes {@code aura-V/{release.properties, bin/aura, lib/aura-reference-app-V.jar}} to {@code file}, the jar
   * {@code libBytes} of incompressible bytes, so the archive is as large as its content.
   */
  public static Path write(Path file, String version, int protocol, int libBytes) throws Exception {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] lib = new byte[libBytes];
    new Random(libBytes).nextBytes(lib);
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      entry(tar, "aura-" + version + "/release.properties", 0644,
          ("version=" + version + "\nprotocol=" + protocol + "\n").getBytes(StandardCharsets.UTF_8));
      entry(tar, "aura-" + version + "/bin/aura", 0755,
          "#!/usr/bin/env bash\necho aura launcher\n".getBytes(StandardCharsets.UTF_8));
      entry(tar, "aura-" + version + "/lib/aura-reference-app-" + version + ".jar", 0644, lib);
    }
    return file;
  }

  private static void entry(TarArchiveOutputStream tar, String name, int mode, byte[] content) throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(mode);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
