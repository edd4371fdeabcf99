package io.ory4j.accessrules.embedded;

import io.ory4j.accessrules.spi.IntrospectionResult;
import io.ory4j.accessrules.spi.TokenIntrospector;
import io.ory4j.oauth2.Introspection;
import io.ory4j.oauth2.OAuth2Provider;
import java.util.List;
import java.util.Objects;

/** {@code oauth2_introspection} answered by an embedded {@link OAuth2Provider}, with no HTTP round trip. */
public final class EmbeddedIntrospection {
  private EmbeddedIntrospection() {}

  public static TokenIntrospector of(OAuth2Provider provider) {
    Objects.requireNonNull(provider, "provider");
    return (token, scopes) -> {
      Introspection i = scopes.isEmpty() ? provider.introspect(token) : provider.introspect(token, scopes);
      if (!i.active()) {
        return IntrospectionResult.inactive();
      }
      return new IntrospectionResult(true, i.sub(), "", i.clientId(), i.scope(),
          i.aud() == null ? List.of() : i.aud(), i.iss(), i.tokenType(), i.tokenUse(), i.exp(), i.ext());
    };
  }
}
