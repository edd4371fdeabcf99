package io.ory4j.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A Kratos identity, with Kratos' JSON field names.
 *
 * @param id the identity id
 * @param schemaId the identity schema id
 * @param state {@code active} or {@code inactive}
 * @param stateChangedAt when the state last changed
 * @param traits the traits, valid against the schema
 * @param verifiableAddresses addresses that can be verified (from the schema's {@code verification} extension)
 * @param recoveryAddresses addresses usable for recovery (from the schema's {@code recovery} extension)
 * @param metadataPublic metadata the identity can read
 * @param metadataAdmin metadata only the admin API shows
 * @param credentials credentials by type (only shown when asked for)
 * @param createdAt when it was created
 * @param updatedAt when it was last updated
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Identity(
    @JsonProperty("id") UUID id,
    @JsonProperty("schema_id") String schemaId,
    @JsonProperty("state") String state,
    @JsonProperty("state_changed_at") @Nullable Instant stateChangedAt,
    @JsonProperty("traits") JsonNode traits,
    @JsonProperty("verifiable_addresses") List<VerifiableAddress> verifiableAddresses,
    @JsonProperty("recovery_addresses") List<RecoveryAddress> recoveryAddresses,
    @JsonProperty("metadata_public") JsonNode metadataPublic,
    @JsonProperty("metadata_admin") JsonNode metadataAdmin,
    @JsonProperty("credentials") @Nullable Map<String, Credentials> credentials,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {

  public static final String ACTIVE = "active";
  public static final String INACTIVE = "inactive";

  public Identity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(schemaId, "schemaId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(traits, "traits");
    verifiableAddresses = verifiableAddresses == null ? List.of() : List.copyOf(verifiableAddresses);
    recoveryAddresses = recoveryAddresses == null ? List.of() : List.copyOf(recoveryAddresses);
    metadataPublic = metadataPublic == null ? NullNode.getInstance() : metadataPublic;
    metadataAdmin = metadataAdmin == null ? NullNode.getInstance() : metadataAdmin;
    credentials = credentials == null ? null : Map.copyOf(credentials);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (!state.equals(ACTIVE) && !state.equals(INACTIVE)) {
      throw new IllegalArgumentException("state must be active or inactive");
    }
  }

  /** True when the identity may sign in. (Not a JSON field: Kratos' identity has {@code state} only.) */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isActive() {
    return ACTIVE.equals(state);
  }

  /** The same identity without credentials (what the API shows unless credentials are asked for). */
  public Identity withoutCredentials() {
    return new Identity(id, schemaId, state, stateChangedAt, traits, verifiableAddresses, recoveryAddresses,
        metadataPublic, metadataAdmin, null, createdAt, updatedAt);
  }

  /** The same identity with these credentials. */
  public Identity withCredentials(@Nullable Map<String, Credentials> c) {
    return new Identity(id, schemaId, state, stateChangedAt, traits, verifiableAddresses, recoveryAddresses,
        metadataPublic, metadataAdmin, c, createdAt, updatedAt);
  }

  /** A credential of Kratos: type, identifiers, config (the password's {@code hashed_password}), version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Credentials(
      @JsonProperty("type") String type,
      @JsonProperty("identifiers") List<String> identifiers,
      @JsonProperty("config") JsonNode config,
      @JsonProperty("version") int version,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt) {
    public Credentials {
      Objects.requireNonNull(type, "type");
      identifiers = List.copyOf(identifiers);
      config = config == null ? NullNode.getInstance() : config;
    }
  }

  /** An address that can be verified. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VerifiableAddress(
      @JsonProperty("id") UUID id,
      @JsonProperty("value") String value,
      @JsonProperty("verified") boolean verified,
      @JsonProperty("via") String via,
      @JsonProperty("status") String status,
      @JsonProperty("verified_at") @Nullable Instant verifiedAt,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt) {}

  /** An address usable for account recovery. */
  public record RecoveryAddress(
      @JsonProperty("id") UUID id,
      @JsonProperty("value") String value,
      @JsonProperty("via") String via,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("updated_at") Instant updatedAt) {}
}
