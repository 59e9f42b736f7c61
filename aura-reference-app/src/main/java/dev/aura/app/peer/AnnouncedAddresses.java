package dev.aura.app.peer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses a peer announces for direct connections when it joins: every non-loopback, non-link-local
 * address of the interfaces that are up (a Tailscale {@code 100.x.x.x} address included), or the ones given
 * with {@code --announce}.
 */
public final class AnnouncedAddresses {
  private static final int MAX = 16;

  private AnnouncedAddresses() {}

  /** @return this host's addresses, at most 16 */
  public static List<String> discover() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            continue;
          }
          String text = a.getHostAddress();
          if (a instanceof Inet6Address) {
            int zone = text.indexOf('%');
            text = zone >= 0 ? text.substring(0, zone) : text;
          }
          if (!out.contains(text) && out.size() < MAX) {
            out.add(text);
          }
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return List.copyOf(out);
  }
}
