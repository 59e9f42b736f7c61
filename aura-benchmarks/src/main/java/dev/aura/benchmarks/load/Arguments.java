package dev.aura.benchmarks.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} pairs of a harness's command line; an unknown name is a usage error. */
final class Arguments {
  private final Map<String, String> values = new HashMap<>();

  Arguments(String[] args, String... known) {
    Set<String> names = Set.of(known);
    for (int i = 0; i < args.length; i++) {
      if (!names.contains(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: " + String.join(" VALUE ", known) + " VALUE (got '" + args[i]
            + "')");
      }
      values.put(args[i], args[++i]);
    }
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    return v == null ? fallback : Integer.parseInt(v.replace("_", "").replace(",", ""));
  }

  List<Integer> integers(String name, List<Integer> fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) {
      out.add(Integer.parseInt(part.trim()));
    }
    return out;
  }
}
