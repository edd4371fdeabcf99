package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.spi.FlowStore;
import java.util.UUID;

/**
 * Self-service flows kept in a {@link FlowStore} until they expire (default 1h, Kratos' {@code selfservice.flows.*.lifespan}).
 * A flow is a Kratos flow JSON document; submitting one that expired answers 410 with
 * {@code self_service_flow_expired}, as Kratos does.
 */
public final class Flows {

  /**
   * A stored flow: its kind, flavor, JSON, expiry, the CSRF token of a browser flow, where it returns to, and its
   * internal context (Kratos' {@code internal_context}: what the server keeps between two requests of the flow, such
   * as a WebAuthn challenge; never part of the flow JSON a client sees).
   */
  public record Flow(UUID id, String kind, String flavor, ObjectNode json, Instant expiresAt, String csrfToken,
      @org.jspecify.annotations.Nullable String returnTo, ObjectNode internalContext) {

    public Flow {
      internalContext = internalContext == null ? JsonNodeFactory.instance.objectNode() : internalContext;
    }

    /** A flow with an empty internal context. */
    public Flow(UUID id, String kind, String flavor, ObjectNode json, Instant expiresAt, String csrfToken,
        @org.jspecify.annotations.Nullable String returnTo) {
      this(id, kind, flavor, json, expiresAt, csrfToken, returnTo, null);
    }

    /** The same flow with new JSON (after a failed submission). */
    public Flow withJson(ObjectNode newJson) {
      return new Flow(id, kind, flavor, newJson, expiresAt, csrfToken, returnTo, internalContext);
    }

    /** The same flow with a new internal context. */
    public Flow withInternalContext(ObjectNode ctx) {
      return new Flow(id, kind, flavor, json, expiresAt, csrfToken, returnTo, ctx);
    }
  }

  /** Where the internal context travels inside the stored document (split off again when the flow is read). */
  private static final String INTERNAL_CONTEXT = "internal_context";

  private final FlowStore store;
  private final OryJson json;
  private final Clock clock;
  private final Duration lifespan;

  public Flows(FlowStore store, OryJson json, Clock clock, Duration lifespan) {
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.lifespan = lifespan;
  }

  public Duration lifespan() {
    return lifespan;
  }

  public Flow put(Flow f) {
    ObjectNode doc = f.json();
    if (!f.internalContext().isEmpty()) {
      doc = copy(f.json());
      doc.set(INTERNAL_CONTEXT, f.internalContext());
    }
    store.save(new FlowStore.StoredFlow(f.id(), f.kind(), f.flavor(), json.write(doc), f.expiresAt(),
        f.csrfToken(), f.returnTo()));
    return f;
  }

  private Flow read(FlowStore.StoredFlow x) {
    ObjectNode doc = (ObjectNode) json.readTree(x.json());
    JsonNode ctx = doc.remove(INTERNAL_CONTEXT);
    return new Flow(x.id(), x.kind(), x.flavor(), doc, x.expiresAt(), x.csrfToken(), x.returnTo(),
        ctx instanceof ObjectNode o ? o : null);
  }

  /** The flow, or 404 / 410 in Ory's error JSON. */
  public Flow require(String id, String kind) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw OryException.badRequest("The flow query parameter is missing or malformed.");
    }
    Flow f = store.find(uuid).map(this::read).filter(x -> x.kind().equals(kind)).orElseThrow(
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
    store.delete(id);
  }

  /** For JSON copies. */
  public static ObjectNode copy(JsonNode n) {
    return (ObjectNode) n.deepCopy();
  }
}
