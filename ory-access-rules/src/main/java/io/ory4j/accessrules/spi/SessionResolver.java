package io.ory4j.accessrules.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.HttpRequest;
import java.util.Optional;

/**
 * Resolves a session from the request's cookies or bearer token, as Kratos's {@code /sessions/whoami} does: the
 * remote implementation forwards to {@code check_session_url}; an embedded identity service answers in-process.
 * Used by {@code cookie_session} and {@code bearer_token} when their {@code check_session_url} is not set.
 */
@FunctionalInterface
public interface SessionResolver {
  /** The session as JSON (read with {@code subject_from} and {@code extra_from}), or empty when there is none. */
  Optional<JsonNode> resolve(HttpRequest request);
}
