package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Self-service flows kept in memory until they expire (default 1h, Kratos' {@code selfservice.flows.*.lifespan}).
 * A flow is a Kratos flow JSON document; submitting one that expired answers 410 with
 * {@code self_service_flow_expired}, as Kratos does.
 */
public final class Flows {

  /**
   * A stored flow: its kind, flavor, JSON, expiry, the CSRF token of a browser flow, and where it returns to.
   */
  public record Flow(UUID id, String kind, String flavor, ObjectNode json, Instant expiresAt, String csrfToken,
      @org.jspecify.annotations.Nullable String returnTo) {

    /** The same flow with new JSON (after a failed submission). */
    public Flow withJson(ObjectNode newJson) {
      return new Flow(id, kind, flavor, newJson, expiresAt, csrfToken, returnTo);
    }
  }

  private final Map<UUID, Flow> flows = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration lifespan;

  public Flows(Clock clock, Duration lifespan) {
    this.clock = clock;
    this.lifespan = lifespan;
  }

  public Duration lifespan() {
    return lifespan;
  }

  public Flow put(Flow f) {
    Instant now = clock.instant();
    flows.values().removeIf(x -> x.expiresAt().isBefore(now.minus(lifespan)));
    flows.put(f.id(), f);
    return f;
  }

  /** The flow, or 404 / 410 in Ory's error JSON. */
  public Flow require(String id, String kind) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw OryException.badRequest("The flow query parameter is missing or malformed.");
    }
    Flow f = Optional.ofNullable(flows.get(uuid)).filter(x -> x.kind().equals(kind)).orElseThrow(
        () -> OryException.notFound("Unable to locate the resource").withReason("The " + kind + " flow " + id
            + " does not exist."));
    if (!clock.instant().isBefore(f.expiresAt())) {
      throw new OryException(OryError.of(410, "The self-service flow expired " + Duration.between(f.expiresAt(),
          clock.instant()).toMinutes() + " minutes ago, initialize a new one.").withId("self_service_flow_expired")
          .withReason("The self-service flow expired").withDetail("since", f.expiresAt().toString()));
    }
    return f;
  }

  public void remove(UUID id) {
    flows.remove(id);
  }

  /** For JSON copies. */
  public static ObjectNode copy(JsonNode n) {
    return (ObjectNode) n.deepCopy();
  }
}
