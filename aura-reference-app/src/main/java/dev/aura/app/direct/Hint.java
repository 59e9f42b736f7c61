package dev.aura.app.direct;

import java.net.InetSocketAddress;
import java.util.Optional;

/** One network hint: an IP literal and a port, {@code 127.0.0.1:7801} or {@code [::1]:7801}; never a name. */
record Hint(String host, int port) {
  static Optional<Hint> parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || text.length() > 60) {
      return Optional.empty();
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      return port < 1 || port > 65535 ? Optional.empty() : Optional.of(new Hint(host, port));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
