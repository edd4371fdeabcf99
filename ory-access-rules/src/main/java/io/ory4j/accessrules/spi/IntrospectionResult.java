package io.ory4j.accessrules.spi;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 7662 introspection response, with the fields Oathkeeper reads.
 *
 * @param active whether the token is active
 * @param subject {@code sub}
 * @param username {@code username}
 * @param clientId {@code client_id}
 * @param scope {@code scope}, space-separated
 * @param audience {@code aud}
 * @param issuer {@code iss}
 * @param tokenType {@code token_type}
 * @param tokenUse {@code token_use} (Hydra)
 * @param expiresAt {@code exp}, epoch seconds, or null
 * @param ext {@code ext} (Hydra's extra claims)
 */
public record IntrospectionResult(boolean active, String subject, String username, String clientId, String scope,
    List<String> audience, String issuer, String tokenType, String tokenUse, @Nullable Long expiresAt,
    Map<String, Object> ext) {
  public IntrospectionResult {
    subject = subject == null ? "" : subject;
    username = username == null ? "" : username;
    clientId = clientId == null ? "" : clientId;
    scope = scope == null ? "" : scope;
    audience = List.copyOf(audience);
    issuer = issuer == null ? "" : issuer;
    tokenType = tokenType == null ? "" : tokenType;
    tokenUse = tokenUse == null ? "" : tokenUse;
    ext = ext == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ext));
  }

  /** An inactive token. */
  public static IntrospectionResult inactive() {
    return new IntrospectionResult(false, "", "", "", "", List.of(), "", "", "", null, Map.of());
  }
}
