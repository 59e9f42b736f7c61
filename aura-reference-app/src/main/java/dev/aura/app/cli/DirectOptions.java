package dev.aura.app.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The direct-connection flags of {@code aura sync}.
 *
 * @param listen {@code --listen}: where to accept other peers
 * @param retry {@code --direct-retry}: how often a peer reachable only by relay is dialed again
 * @param revocationMaxAge {@code --revocation-max-age}: the saved revocation list's staleness bound
 */
record DirectOptions(InetSocketAddress listen, Duration retry, Duration revocationMaxAge) {
  /** Parses {@code ADDR:PORT} (an IP literal, {@code [v6]:port} for IPv6; port 0: ephemeral). */
  static InetSocketAddress listenAddress(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected ADDR:PORT, such as 0.0.0.0:0 or 127.0.0.1:7801, got " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("the listen address must be an IP address, got " + host);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the listen port is not a number: " + text.substring(colon + 1));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the listen port must be 0..65535, got " + port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + host);
    }
  }
}
