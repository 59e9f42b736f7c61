package dev.aura.app.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a peer may reach its Mothership: the URLs given to {@code join --url} (in order) and the instance
 * URLs the Mothership announced at the last join or refresh ({@code "instances"}: the answering instance
 * first). A peer tries {@link #order()} and fails over along it when an instance is unreachable. Saved as
 * {@code instances.json} in {@code AURA_HOME}.
 *
 * @param joinUrls the URLs the operator gave at join
 * @param announced the instance URLs of the last join or refresh answer
 */
public record InstanceList(List<URI> joinUrls, List<URI> announced) {
  /** The most URLs a list holds; more is refused as malformed. */
  public static final int MAX_URLS = 32;
  /** The error of an instance list that is not a list of Mothership URLs. */
  public static final String MALFORMED = "malformed instance list";

  /** Checks nulls and copies. */
  public InstanceList {
    joinUrls = List.copyOf(joinUrls);
    announced = List.copyOf(announced);
  }

  /** @return the announced URLs, then the join URLs not among them, without repeats */
  public List<URI> order() {
    Set<URI> out = new LinkedHashSet<>(announced);
    out.addAll(joinUrls);
    return List.copyOf(out);
  }

  /** @return this list with the instances of a new answer */
  public InstanceList withAnnounced(List<URI> next) {
    return new InstanceList(joinUrls, next);
  }

  /**
   * Reads {@code "instances"} of a join or refresh answer; absent (an older Mothership) is an empty list.
   *
   * @param where names the source in the error, e.g. "in the refresh answer of mship:7777"
   * @throws AuraException {@value #MALFORMED} when it is not an array of at most {@value #MAX_URLS}
   *     Mothership URLs
   */
  public static List<URI> announcedIn(JsonNode answer, String where) throws AuraException {
    JsonNode list = answer.get("instances");
    if (list == null || list.isNull()) {
      return List.of();
    }
    return urls(list, "'instances' " + where);
  }

  private static List<URI> urls(JsonNode list, String what) throws AuraException {
    if (!list.isArray()) {
      throw new AuraException(MALFORMED, what + " must be an array of https URLs, got " + list.getNodeType()
          .toString().toLowerCase(java.util.Locale.ROOT));
    }
    if (list.size() > MAX_URLS) {
      throw new AuraException(MALFORMED, what + " holds " + list.size() + " URLs, more than " + MAX_URLS);
    }
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      if (!entry.isTextual()) {
        throw new AuraException(MALFORMED, what + ", entry " + (i + 1) + ": expected a string, got "
            + entry.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      try {
        out.add(MothershipClient.checkUrl(URI.create(entry.asText())));
      } catch (IllegalArgumentException e) {
        throw new AuraException(MALFORMED, what + ", entry " + (i + 1) + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * @return the list saved as {@code instances.json}
   * @throws AuraException {@value #MALFORMED} when a field is not a list of Mothership URLs
   */
  static InstanceList fromJson(ObjectNode o) throws AuraException {
    Objects.requireNonNull(o, "o");
    return new InstanceList(urls(o.path("join_urls").isMissingNode() ? Wire.json().createArrayNode()
        : o.get("join_urls"), "'join_urls'"), urls(o.path("instances").isMissingNode()
        ? Wire.json().createArrayNode() : o.get("instances"), "'instances'"));
  }

  /** @return the form saved as {@code instances.json} */
  ObjectNode toJson() {
    ObjectNode o = Wire.object();
    ArrayNode join = o.putArray("join_urls");
    joinUrls.forEach(u -> join.add(u.toString()));
    ArrayNode instances = o.putArray("instances");
    announced.forEach(u -> instances.add(u.toString()));
    return o;
  }
}
