package io.ory4j.oauth2.spi;

import org.jspecify.annotations.Nullable;

/**
 * The filters of Hydra's client list ({@code client_name}, {@code owner}): exact matches; null matches any.
 *
 * @param clientName only clients with this name
 * @param owner only clients of this owner
 */
public record ClientFilter(@Nullable String clientName, @Nullable String owner) {

  public ClientFilter {
    clientName = clientName == null || clientName.isEmpty() ? null : clientName;
    owner = owner == null || owner.isEmpty() ? null : owner;
  }

  /** No filter. */
  public static ClientFilter none() {
    return new ClientFilter(null, null);
  }

  /** True when {@code c} passes the filter. */
  public boolean matches(io.ory4j.oauth2.OAuth2Client c) {
    return (clientName == null || clientName.equals(c.clientName())) && (owner == null || owner.equals(c.owner()));
  }
}
