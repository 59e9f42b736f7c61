package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.peer.PeerState;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aura mothership backup} on a Mothership under load (joins going on) and {@code restore} on a fresh data
 * directory served on another port: same id, keys and certificate, the peer that joined before reconnects
 * without re-pinning, a one-shot token used before the backup stays used, the audit chain verifies, synced
 * content is there. Wrong passphrases, damaged archives, non-empty directories and a running Mothership are
 * refused with nothing written.
 */
class BackupRestoreTest {
  private static final String PASSPHRASE = "correct horse battery staple\n";

  @TempDir
  Path temp;

  private Path passphraseFile() throws Exception {
    Path file = temp.resolve("passphrase");
    Files.writeString(file, PASSPHRASE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static CliEnvironment hostOf(Path root) {
    return CliEnvironment.builder().variable("AURA_HOME", root.resolve("host").toString()).userHome(root).build();
  }

  @Test
  void aBackupUnderLoad_restoredOnAnotherPort_keepsPeersPinsUsedTokensAuditAndContent() throws Exception {
    Path pass = passphraseFile();
    Path archive = temp.resolve("mship.aura-backup");
    String oneShot;
    String id;
    String fingerprint;
    List<String> joinedBeforeBackup;
    List<String> syncedBeforeBackup;
    int joinedAtAll;
    Path sharedDir = Files.createDirectories(temp.resolve("alice-src"));
    CliEnvironment aliceEnv;
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      aliceEnv = alice.env();
      oneShot = m.issue("--for", "alice@acme.com", "--role", "admin");
      assertThat(alice.join(oneShot).exit()).isZero();
      Files.writeString(sharedDir.resolve("README.md"), "hello from before the backup\n");
      assertThat(alice.run("sync", "--dir", sharedDir.toString(), "--once").exit()).isZero();
      id = m.host("mothership", "status").field("mothership_id");
      fingerprint = m.host("mothership", "tls", "info").field("fingerprint");

      // Load: peers keep joining (ledger, peer records, credentials, audit entries) while the backup runs.
      List<String> joined = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      Thread load = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          String subject = "load" + i + "@acme.com";
          if (m.peer("load" + i).join(m.issue("--for", subject)).exit() == 0) {
            joined.add(subject);
          }
        }
      });
      // And alice keeps syncing new files (events, blobs) into the workspace meanwhile.
      List<String> synced = Collections.synchronizedList(new ArrayList<>());
      Thread sync = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          String name = "during-" + i + ".txt";
          try {
            Files.writeString(sharedDir.resolve(name), "synced while the backup ran, " + i + "\n");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          if (alice.run("sync", "--dir", sharedDir.toString(), "--once").exit() == 0) {
            synced.add(name);
          }
        }
      });
      load.start();
      sync.start();
      while ((joined.size() < 2 || synced.size() < 2) && load.isAlive() && sync.isAlive()) {
        Thread.sleep(10);
      }
      assertThat(sync.isAlive()).as("alice's sync loop is running").isTrue();
      joinedBeforeBackup = List.copyOf(joined);
      syncedBeforeBackup = List.copyOf(synced);
      Cli.Result backup = m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString());
      int joinsDuring = joined.size() - joinedBeforeBackup.size();
      int syncsDuring = synced.size() - syncedBeforeBackup.size();
      stop.set(true);
      load.join();
      sync.join();
      joinedAtAll = joined.size();
      assertThat(backup.exit()).as(backup.toString()).isZero();
      assertThat(backup.err()).isEmpty();
      assertThat(backup.field("mothership")).isEqualTo(id);
      assertThat(backup.field("store")).isEqualTo("SQLite (online snapshot)");
      assertThat(backup.field("files")).isEqualTo("mothership.db, events.db, signing-key.secret, tls.crt,"
          + " tls.key, mothership.id, admin.credential");
      assertThat(backup.out()).doesNotContain(PASSPHRASE.trim());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
      assertThat(new String(Files.readAllBytes(archive), java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain("SQLite format").doesNotContain("BEGIN").doesNotContain("mship_");
      System.out.println("backup under load: " + joinedBeforeBackup.size() + " joins before, " + joinsDuring
          + " during, " + joinedAtAll + " in all; " + syncedBeforeBackup.size() + " synced files before, "
          + syncsDuring + " during; " + Files.size(archive) + " bytes");
    } // the original host is gone from here on

    Path b = temp.resolve("b");
    Path restoredDir = b.resolve("host").resolve("mothership");
    Cli.Result restore = Cli.run(hostOf(b), "mothership", "restore", archive.toString(), "--data-dir",
        restoredDir.toString(), "--passphrase-file", pass.toString());
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.field("restored")).isEqualTo(id + " into " + restoredDir);
    assertThat(restore.field("audit")).matches("intact, \\d+ entries \\(head matches the backup\\)");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restoredDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restoredDir.resolve("tls.key"))))
        .isEqualTo("rw-------");

    try (MothershipFixture r = MothershipFixture.builder(b).start()) {
      assertThat(r.host("mothership", "status").field("mothership_id")).isEqualTo(id);
      assertThat(r.host("mothership", "tls", "info").field("fingerprint")).isEqualTo(fingerprint);
      Cli.Result verify = r.host("mothership", "audit", "--verify");
      assertThat(verify.exit()).as(verify.toString()).isZero();
      assertThat(verify.out()).startsWith("audit log intact: ");

      // Alice moves with the host (its name now resolves to the new port); her pins are untouched.
      PeerState alice = new PeerState(aliceEnv.home());
      byte[] pinsBefore = Files.readAllBytes(alice.pinsFile());
      URI moved = r.url();
      alice.saveMembership(alice.requireMembership().at(moved));
      Cli.Result ping = Cli.run(aliceEnv, "mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      assertThat(ping.out()).contains("credential: accepted (");
      assertThat(Files.readAllBytes(alice.pinsFile())).isEqualTo(pinsBefore);

      // The one-shot token used before the backup stays used.
      Cli.Result reuse = r.peer("mallory").join(oneShot);
      assertThat(reuse.exit()).isEqualTo(1);
      assertThat(reuse.err()).startsWith("error: token already used");

      // Every join acknowledged before the backup started is in the restored store.
      String peers = r.host("mothership", "peers").out();
      for (String subject : joinedBeforeBackup) {
        assertThat(peers).contains(subject);
      }

      // The synced file and its content came along (events.db with its blobs).
      MothershipFixture.Peer carol = r.peer("carol");
      assertThat(carol.join(r.issue("--for", "carol@acme.com")).exit()).isZero();
      Path carolDir = Files.createDirectories(temp.resolve("carol-src"));
      Cli.Result pull = carol.run("sync", "--dir", carolDir.toString(), "--once");
      assertThat(pull.exit()).as(pull.toString()).isZero();
      assertThat(Files.readString(carolDir.resolve("README.md"))).isEqualTo("hello from before the backup\n");
      // Every file alice's sync saw acknowledged before the backup started is in the restored event log.
      for (String name : syncedBeforeBackup) {
        assertThat(carolDir.resolve(name)).as(pull.toString()).hasContent("synced while the backup ran, "
            + name.replaceAll("\\D", "") + "\n");
      }
    }
  }

  @Test
  void restore_refusesWrongPassphraseDamageNonEmptyAndRunning_writingNothing() throws Exception {
    Path pass = passphraseFile();
    Path archive = temp.resolve("mship.aura-backup");
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      m.issue("--for", "alice@acme.com");
      Cli.Result backup = m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString());
      assertThat(backup.exit()).as(backup.toString()).isZero();

      Cli.Result again = m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString());
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).startsWith("error: backup failed\ncaused by: " + archive + " exists already");

      Path open = temp.resolve("open-passphrase");
      Files.writeString(open, PASSPHRASE);
      Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
      Cli.Result loose = m.host("mothership", "backup", "--out", temp.resolve("x").toString(),
          "--passphrase-file", open.toString());
      assertThat(loose.err()).startsWith("error: cannot read the passphrase\ncaused by: " + open
          + " is readable by others (rw-r--r--); chmod 600 " + open);
      assertThat(temp.resolve("x")).doesNotExist();

      // Only the host's local admin credential gets a snapshot: not an admin peer, not an anonymous caller.
      MothershipFixture.Peer alice = m.peer("alice");
      assertThat(alice.join(m.issue("--for", "alice@acme.com", "--role", "admin")).exit()).isZero();
      dev.aura.app.testing.Https https = new dev.aura.app.testing.Https(m.url(),
          m.host("mothership", "tls", "info").field("fingerprint"));
      String credential = Files.readString(new PeerState(alice.env().home()).credentialFile()).trim();
      java.net.http.HttpResponse<String> peer = https.send(https.request("/v1/admin/backup")
          .header("Aura-Protocol", "1").header("Authorization", "Bearer " + credential).GET().build());
      assertThat(peer.statusCode()).isEqualTo(403);
      assertThat(peer.body()).contains("backup needs the local admin credential of the Mothership host;"
          + " alice@acme.com is a peer");
      assertThat(https.get("/v1/admin/backup").statusCode()).isEqualTo(401);

      Cli.Result running = restore(archive, m.dataDir().root(), pass);
      assertThat(running.exit()).isEqualTo(1);
      assertThat(running.err()).startsWith("error: a Mothership is running\ncaused by: pid ");
      assertNothingLeftBeside(m.dataDir().root());
    }

    Path wrong = temp.resolve("wrong");
    Files.writeString(wrong, "not the passphrase\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    Path target = temp.resolve("r").resolve("mothership");
    Cli.Result badPass = restore(archive, target, wrong);
    assertThat(badPass.exit()).isEqualTo(1);
    assertThat(badPass.err()).isEqualTo("error: wrong passphrase\ncaused by: the passphrase does not open this"
        + " archive\n");
    assertNothingWritten(target);

    byte[] bytes = Files.readAllBytes(archive);
    Path flipped = temp.resolve("flipped.aura-backup");
    byte[] copy = bytes.clone();
    copy[copy.length / 2] ^= 0x40;
    Files.write(flipped, copy);
    Cli.Result modified = restore(flipped, target, pass);
    assertThat(modified.exit()).isEqualTo(1);
    assertThat(modified.err()).startsWith("error: backup archive damaged\ncaused by: ");
    assertNothingWritten(target);

    Path truncated = temp.resolve("truncated.aura-backup");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    Cli.Result cut = restore(truncated, target, pass);
    assertThat(cut.exit()).isEqualTo(1);
    assertThat(cut.err()).startsWith("error: backup archive damaged\ncaused by: ");
    assertNothingWritten(target);

    Path notOurs = temp.resolve("random.aura-backup");
    Files.writeString(notOurs, "just some text, not OpenPGP\n");
    assertThat(restore(notOurs, target, pass).err()).startsWith("error: backup archive damaged\ncaused by: ");
    assertNothingWritten(target);

    Files.createDirectories(target);
    Files.writeString(target.resolve("something"), "x");
    Cli.Result nonEmpty = restore(archive, target, pass);
    assertThat(nonEmpty.exit()).isEqualTo(1);
    assertThat(nonEmpty.err()).isEqualTo("error: data directory not empty\ncaused by: " + target
        + " holds something; restore into a new, empty directory\n");
    try (Stream<Path> left = Files.list(target)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("something");
    }

    // An empty directory is fine.
    Files.delete(target.resolve("something"));
    Cli.Result ok = restore(archive, target, pass);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(target.resolve("mothership.db")).exists();
  }

  @Test
  void aWellEncryptedArchive_whoseFilesOrAuditHeadDoNotMatchItsManifest_isDamaged_writingNothing() throws Exception {
    // The OpenPGP integrity check passes on these: they are re-encrypted with the right passphrase after the
    // change, so only the manifest's checksums and audit chain head can catch them.
    Path pass = passphraseFile();
    Path archive = temp.resolve("mship.aura-backup");
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      m.issue("--for", "alice@acme.com");
      assertThat(m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString()).exit()).isZero();
    }
    char[] secret = dev.aura.app.backup.Passphrase.fromFile(pass);
    java.util.LinkedHashMap<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (java.io.InputStream in = Files.newInputStream(archive)) {
      dev.aura.app.backup.BackupCrypto.Decryption d = dev.aura.app.backup.BackupCrypto.decrypt(in, secret);
      byte[] tar = d.plaintext().readAllBytes();
      d.verifyIntegrity();
      try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream t =
          new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
        for (var e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
          entries.put(e.getName(), t.readAllBytes());
        }
      }
    }
    assertThat(new ArrayList<>(entries.keySet())).startsWith("manifest.json")
        .contains("data/tls.crt", "data/tls.key");
    Path target = temp.resolve("r").resolve("mothership");

    // The harness itself: the same entries, re-encrypted, restore fine.
    Path same = reencrypt(entries, secret, "same");
    Cli.Result ok = restore(same, target, pass);
    assertThat(ok.exit()).as(ok.toString()).isZero();
    dev.aura.app.config.ScratchFiles.deleteTree(target);
    assertThat(target).doesNotExist();

    var altered = new java.util.LinkedHashMap<>(entries);
    byte[] crt = entries.get("data/tls.crt").clone();
    crt[crt.length / 2] ^= 0x01;
    altered.put("data/tls.crt", crt);
    Cli.Result changed = restore(reencrypt(altered, secret, "changed"), target, pass);
    assertThat(changed.exit()).isEqualTo(1);
    assertThat(changed.err()).startsWith("error: backup archive damaged\ncaused by: tls.crt does not match the"
        + " manifest (" + crt.length + " bytes, sha256 ");
    assertNothingWritten(target);

    var missing = new java.util.LinkedHashMap<>(entries);
    missing.remove("data/tls.key");
    Cli.Result gone = restore(reencrypt(missing, secret, "missing"), target, pass);
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("error: backup archive damaged\ncaused by: files of the manifest are"
        + " missing: tls.key\n");
    assertNothingWritten(target);

    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(entries.get("manifest.json"));
    long head = manifest.path("audit_chain_head").path("sequence").asLong();
    assertThat(head).isPositive();
    ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("audit_chain_head")).put("sequence", head + 1);
    var later = new java.util.LinkedHashMap<>(entries);
    later.put("manifest.json", json.writeValueAsBytes(manifest));
    Cli.Result audit = restore(reencrypt(later, secret, "audit"), target, pass);
    assertThat(audit.exit()).isEqualTo(1);
    assertThat(audit.err()).isEqualTo("error: backup archive damaged\ncaused by: the restored audit log ends at"
        + " entry " + head + ", the manifest says " + (head + 1) + "\n");
    assertNothingWritten(target);
    dev.aura.app.backup.Passphrase.clear(secret);
  }

  /** The entries as a tar, passphrase-encrypted the way the backup command does it. */
  private Path reencrypt(java.util.Map<String, byte[]> entries, char[] secret, String name) throws Exception {
    Path file = temp.resolve(name + ".aura-backup");
    try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            dev.aura.app.backup.BackupCrypto.encrypt(Files.newOutputStream(file), secret))) {
      for (var e : entries.entrySet()) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  @Test
  void withoutAPassphraseFile_backupAsksTwiceOnTheTerminalWithoutEcho_andWithoutATerminalSaysSo()
      throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")),
        "script (util-linux) is not installed: no terminal to type the passphrase on");
    String typed = PASSPHRASE.trim();
    Path archive = temp.resolve("typed.aura-backup");
    Path host = temp.resolve("a").resolve("host");
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      m.issue("--for", "alice@acme.com");
      Cli.Result noTerminal = m.host("mothership", "backup", "--out", temp.resolve("x").toString());
      assertThat(noTerminal.exit()).isEqualTo(1);
      assertThat(noTerminal.err()).isEqualTo("error: cannot read the passphrase\ncaused by: no terminal to ask on;"
          + " give --passphrase-file FILE (a file of mode 0600)\n");
      assertThat(temp.resolve("x")).doesNotExist();

      String differ = onATerminal(host, List.of(typed, typed + " but not quite"), "mothership", "backup", "--out",
          temp.resolve("y").toString());
      assertThat(differ).contains("error: cannot read the passphrase").contains("the two passphrases differ");
      assertThat(temp.resolve("y")).doesNotExist();

      String typedTwice = onATerminal(host, List.of(typed, typed), "mothership", "backup", "--out",
          archive.toString());
      assertThat(typedTwice).contains("backup passphrase: ").contains("again: ").contains("backup: " + archive)
          .doesNotContain(typed);
    }
    // The passphrase typed is the one that opens it.
    Cli.Result restore = restore(archive, temp.resolve("r").resolve("mothership"), passphraseFile());
    assertThat(restore.exit()).as(restore.toString()).isZero();
  }

  /**
   * Runs {@code aura args} in its own JVM on a pseudo-terminal ({@code script}), typing each line once its
   * prompt ({@code ": "}) is shown; returns what the terminal showed.
   */
  private static String onATerminal(Path home, List<String> lines, String... args) throws Exception {
    StringBuilder command = new StringBuilder("exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("java.class.path") + "' dev.aura.app.Main");
    for (String a : args) {
      command.append(" '").append(a).append("'");
    }
    ProcessBuilder b = new ProcessBuilder("/usr/bin/script", "-qefc", command.toString(), "/dev/null")
        .redirectErrorStream(true);
    b.environment().put("AURA_HOME", home.toString());
    Process p = b.start();
    java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
    java.io.InputStream in = p.getInputStream();
    int typed = 0;
    int prompts = 0;
    for (int c; (c = in.read()) >= 0; ) {
      shown.write(c);
      String sofar = shown.toString(java.nio.charset.StandardCharsets.UTF_8);
      int seen = sofar.split("passphrase: |again: ", -1).length - 1;
      if (seen > prompts && typed < lines.size()) {
        prompts = seen;
        p.getOutputStream().write((lines.get(typed++) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
      }
    }
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return shown.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aBackupOrRestoreKilledMidWay_writesNoFile_andTheNextOneCleansUp() throws Exception {
    Path pass = passphraseFile();
    Path archive = temp.resolve("mship.aura-backup");
    Path host = temp.resolve("a").resolve("host");
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      m.issue("--for", "alice@acme.com");
      Path killedSnapshot = Files.createDirectories(m.dataDir().root().resolve(".backup-0123456789"));
      Files.writeString(killedSnapshot.resolve("admin.credential"), "left by a killed Mothership");
      killMidWay(host, temp, ".mship.aura-backup.partial-", "mothership", "backup", "--out", archive.toString(),
          "--passphrase-file", pass.toString());
      assertThat(archive).doesNotExist();
      Cli.Result backup = m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString());
      assertThat(backup.exit()).as(backup.toString()).isZero();
      assertThat(killedSnapshot).doesNotExist();
      try (Stream<Path> left = Files.list(temp)) {
        assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));
      }
    }
    Path target = temp.resolve("r").resolve("mothership");
    killMidWay(temp.resolve("other"), target.getParent(), ".mothership.restore-", "mothership", "restore",
        archive.toString(), "--data-dir", target.toString(), "--passphrase-file", pass.toString());
    assertThat(target).doesNotExist();
    Cli.Result restore = restore(archive, target, pass);
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertNothingLeftBeside(target);
  }

  /** Runs {@code aura args} in its own JVM and kills it (SIGKILL) once a file starting with {@code mark} appears. */
  private void killMidWay(Path home, Path watched, String mark, String... args) throws Exception {
    Files.createDirectories(watched);
    try (dev.aura.app.testing.ChildProcess child = dev.aura.app.testing.ChildProcess.start(home,
        temp.resolve("logs"), args[1], args)) {
      boolean seen = false;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!seen && child.isAlive() && System.nanoTime() < deadline) {
        try (Stream<Path> files = Files.list(watched)) {
          seen = files.anyMatch(p -> p.getFileName().toString().startsWith(mark));
        }
      }
      child.kill();
      assertThat(seen).as("saw " + mark + " before the end: " + child.describe()).isTrue();
    }
  }

  private static void assertNothingLeftBeside(Path target) throws Exception {
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".restore-"));
    }
  }

  @Test
  void gpg_decryptsTheArchive_aStandardFormat() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gpg")),
        "gpg is not installed: skipping the check that gpg --decrypt opens a backup");
    Path pass = passphraseFile();
    Path archive = temp.resolve("mship.aura-backup");
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a")).start()) {
      assertThat(m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString()).exit()).isZero();
    }
    Path gnupg = Files.createDirectories(temp.resolve("gnupg"));
    Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
    Path tar = temp.resolve("backup.tar");
    Process gpg = new ProcessBuilder("gpg", "--homedir", gnupg.toString(), "--batch", "--quiet",
        "--pinentry-mode", "loopback", "--passphrase-file", pass.toString(), "--output", tar.toString(),
        "--decrypt", archive.toString()).redirectErrorStream(true).start();
    String gpgOut = new String(gpg.getInputStream().readAllBytes());
    assertThat(gpg.waitFor()).as(gpgOut).isZero();
    Process list = new ProcessBuilder("tar", "tf", tar.toString()).redirectErrorStream(true).start();
    String names = new String(list.getInputStream().readAllBytes());
    assertThat(list.waitFor()).isZero();
    assertThat(names.lines()).startsWith("manifest.json").contains("data/mothership.db", "data/events.db",
        "data/signing-key.secret", "data/tls.key");
  }

  @Test
  void onPostgres_theBackupPrintsTheExactPgDump_andExportsTheRest() throws Exception {
    String url = System.getenv("AURA_TEST_POSTGRES_URL");
    org.junit.jupiter.api.Assumptions.assumeTrue(url != null && !url.isBlank(),
        "AURA_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
    String schema = "aura_backup_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (java.sql.Connection db = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = db.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    Path pass = passphraseFile();
    Path archive = temp.resolve("pg.aura-backup");
    String storeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("a"))
        .config("[store]\nurl = \"" + storeUrl + "\"\nkey_file = \"" + temp.resolve("signing-key.secret") + "\"\n")
        .start()) {
      assertThat(m.peer("alice").join(m.issue("--for", "alice@acme.com")).exit()).isZero();
      Cli.Result backup = m.host("mothership", "backup", "--out", archive.toString(), "--passphrase-file",
          pass.toString());
      assertThat(backup.exit()).as(backup.toString()).isZero();
      assertThat(backup.field("store")).isEqualTo("PostgreSQL (not in the archive)");
      assertThat(backup.field("files")).isEqualTo("signing-key.secret, tls.crt, tls.key, config.toml,"
          + " mothership.id, admin.credential");
      String pgDump = backup.field("database").replace("back it up now with: ", "");
      assertThat(pgDump).isEqualTo("pg_dump --format=custom --file=aura-postgresql.dump --schema=" + schema
          + " 'postgresql://127.0.0.1:5432/test?user=postgres'");
      if (Files.isExecutable(Path.of("/usr/bin/pg_dump"))) { // run it, as the operator would
        Process dump = new ProcessBuilder("bash", "-c", pgDump).directory(temp.toFile()).redirectErrorStream(true)
            .start();
        String output = new String(dump.getInputStream().readAllBytes());
        assertThat(dump.waitFor()).as(output).isZero();
        assertThat(Files.size(temp.resolve("aura-postgresql.dump"))).isPositive();
      }
    } finally {
      try (java.sql.Connection db = java.sql.DriverManager.getConnection(url);
          java.sql.Statement s = db.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
    Path target = temp.resolve("r").resolve("mothership");
    Cli.Result restore = restore(archive, target, pass);
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.field("database")).startsWith("not in the archive; restore the dump first");
    assertThat(target.resolve("signing-key.secret")).exists();
    assertThat(target.resolve("config.toml")).exists();
  }

  private Cli.Result restore(Path archive, Path target, Path pass) {
    return Cli.run(hostOf(temp.resolve("other")), "mothership", "restore", archive.toString(), "--data-dir",
        target.toString(), "--passphrase-file", pass.toString());
  }

  private static void assertNothingWritten(Path target) throws Exception {
    assertThat(target).doesNotExist();
    assertNothingLeftBeside(target);
  }
}
