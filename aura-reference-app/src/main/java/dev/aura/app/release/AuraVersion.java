package dev.aura.app.release;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, as Maven stamped it into {@code version.properties}. */
public final class AuraVersion {
  private AuraVersion() {}

  /** @return the version, such as {@code 0.1.0}, or {@code unknown} outside a Maven build */
  public static String current() {
    try (InputStream in = AuraVersion.class.getResourceAsStream("/dev/aura/app/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
