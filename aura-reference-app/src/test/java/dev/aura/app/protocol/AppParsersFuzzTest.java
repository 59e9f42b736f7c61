package dev.aura.app.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz tests of the reference application's readers of untrusted text (docs/security.md,
 * "Fuzzing"): the TOML config ({@link AuraException}), HTTP request bodies ({@link Wire#parseObject},
 * {@link IllegalArgumentException}) and replicated audit entries ({@link AuditWire#read},
 * {@link IllegalArgumentException}); never another exception. Regression corpus:
 * {@code src/test/resources/dev/aura/app/protocol/AppParsersFuzzTestInputs/<method>/}.
 */
class AppParsersFuzzTest {
  private static final Path CONFIG = Path.of("config.toml");

  @FuzzTest(maxDuration = "2m")
  void configParse(byte[] data) {
    if (data.length > 256 * 1024) {
      return; // ConfigLoader.load refuses larger files before parsing
    }
    try {
      ConfigLoader.parse(CONFIG, new String(data, StandardCharsets.UTF_8));
    } catch (AuraException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void wireParseObject(byte[] data) {
    if (data.length > Wire.MAX_BODY_BYTES) {
      return; // the server refuses larger bodies before parsing
    }
    try {
      Wire.parseObject(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void auditWireRead(byte[] data) {
    ObjectNode node;
    try {
      node = Wire.parseObject(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notAnObject) {
      return;
    }
    try {
      AuditWire.read(node);
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }
}
