package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A social sign-in provider of Kratos' {@code oidc} method, with the keys of
 * {@code selfservice.methods.oidc.config.providers[]}: a generic OpenID Connect provider found by discovery from its
 * issuer. The ID token's claims become traits through a Kratos Jsonnet mapper ({@code mapper_url}: {@code file://} or
 * {@code base64://}, run by ory4j's Jsonnet subset) or, beyond Kratos, through {@code claimsToTraits}: JSON pointers
 * into the traits mapped to JSON pointers into the claims ({@code {"/email": "/email", "/name/first":
 * "/given_name"}}).
 *
 * @param id {@code id}: the provider's id in URLs ({@code /self-service/methods/oidc/callback/{id}}), node values and
 *     credential identifiers ({@code <id>:<subject>})
 * @param provider {@code provider}: only {@code generic}
 * @param issuerUrl {@code issuer_url}: where {@code /.well-known/openid-configuration} is read
 * @param clientId {@code client_id}
 * @param clientSecret {@code client_secret} (sent with {@code client_secret_basic})
 * @param scope {@code scope}: {@code openid} is always asked for
 * @param mapperUrl {@code mapper_url}: a Jsonnet mapper, or null
 * @param claimsToTraits the JSON-pointer mapping, used when there is no mapper
 * @param label {@code label}: the name shown on the buttons, the id when null
 */
public record OidcProvider(String id, String provider, URI issuerUrl, String clientId, String clientSecret,
    List<String> scope, @Nullable URI mapperUrl, Map<String, String> claimsToTraits, @Nullable String label) {

  public OidcProvider {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[].id must be letters, digits, "
          + "'_', '.' or '-', was \"" + id + "\"");
    }
    if (!"generic".equals(provider)) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "].provider: only "
          + "\"generic\" is supported, was \"" + provider + "\"");
    }
    Objects.requireNonNull(issuerUrl, "issuer_url");
    if (!issuerUrl.isAbsolute() || issuerUrl.getHost() == null) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "].issuer_url must be "
          + "an absolute URL");
    }
    if (clientId == null || clientId.isEmpty()) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "].client_id is required");
    }
    clientSecret = clientSecret == null ? "" : clientSecret;
    List<String> s = new ArrayList<>(scope == null ? List.of() : scope);
    if (!s.contains("openid")) {
      s.add(0, "openid");
    }
    scope = List.copyOf(s);
    claimsToTraits = Map.copyOf(claimsToTraits == null ? Map.of() : claimsToTraits);
    if (mapperUrl == null && claimsToTraits.isEmpty()) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "]: set mapper_url or "
          + "claims_to_traits");
    }
    claimsToTraits.forEach((trait, claim) -> {
      if (!trait.startsWith("/") || !claim.startsWith("/")) {
        throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "].claims_to_traits: "
            + "keys and values are JSON pointers starting with '/', was \"" + trait + "\": \"" + claim + "\"");
      }
    });
  }

  /** A generic provider mapping claims to traits by JSON pointers. */
  public static OidcProvider generic(String id, URI issuerUrl, String clientId, String clientSecret,
      Map<String, String> claimsToTraits) {
    return new OidcProvider(id, "generic", issuerUrl, clientId, clientSecret, List.of("openid", "email"), null,
        claimsToTraits, null);
  }

  /** The name on the buttons. */
  public String displayName() {
    return label == null || label.isEmpty() ? id : label;
  }

  /**
   * Reads Kratos' {@code selfservice.methods.oidc.config.providers} array (and our {@code claims_to_traits} object).
   *
   * @throws IllegalArgumentException naming the key and the reason
   */
  public static List<OidcProvider> fromKratosConfig(JsonNode providers) {
    if (providers == null || providers.isMissingNode() || providers.isNull()) {
      return List.of();
    }
    if (!providers.isArray()) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers must be an array");
    }
    List<OidcProvider> out = new ArrayList<>();
    for (JsonNode p : providers) {
      String id = p.path("id").asText("");
      List<String> scope = new ArrayList<>();
      p.path("scope").forEach(x -> scope.add(x.asText()));
      Map<String, String> mapping = new LinkedHashMap<>();
      p.path("claims_to_traits").fields().forEachRemaining(e -> mapping.put(e.getKey(), e.getValue().asText()));
      String mapper = p.path("mapper_url").asText("");
      String issuer = p.path("issuer_url").asText("");
      if (issuer.isEmpty()) {
        throw new IllegalArgumentException("selfservice.methods.oidc.config.providers[" + id + "].issuer_url is "
            + "required");
      }
      out.add(new OidcProvider(id, p.path("provider").asText(""), URI.create(issuer), p.path("client_id").asText(""),
          p.path("client_secret").asText(""), scope, mapper.isEmpty() ? null : URI.create(mapper), mapping,
          p.path("label").asText(null)));
    }
    if (out.stream().map(OidcProvider::id).distinct().count() != out.size()) {
      throw new IllegalArgumentException("selfservice.methods.oidc.config.providers: ids must be unique, were "
          + Arrays.toString(out.stream().map(OidcProvider::id).toArray()));
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "OidcProvider[" + id + ", " + issuerUrl + ", client " + clientId + ", secret redacted]";
  }
}
