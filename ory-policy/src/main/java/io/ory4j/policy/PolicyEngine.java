package io.ory4j.policy;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Condition;
import io.ory4j.policy.acp.Decision;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.http.AcpHandlers;
import io.ory4j.policy.acp.internal.BuiltinConditions;
import io.ory4j.policy.acp.internal.InvalidPatternException;
import io.ory4j.policy.acp.internal.Patterns;
import io.ory4j.policy.acp.internal.SnapshotCache;
import io.ory4j.policy.acp.spi.ConditionType;
import io.ory4j.policy.acp.spi.InvalidConditionException;
import io.ory4j.policy.acp.spi.PolicyStore;
import io.ory4j.policy.acp.spi.RoleStore;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;
import io.ory4j.policy.acp.store.memory.InMemoryRoleStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ORY Access Control Policy engine (Keto up to v0.5): decides whether a subject may do an action on a resource,
 * and manages the policies and roles of each {@link Flavor}. Decisions follow Keto v0.5's server: a request is allowed
 * when at least one matching policy allows it and none denies it.
 *
 * <p>Decisions run on an in-memory index of each flavor's policies, rebuilt after every write through this engine and
 * whenever the stores' revisions show another process changed them (checked at most {@code maxStaleness} apart,
 * 1 s by default). Thread-safe.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder().build();
 * engine.upsertPolicy(Flavor.REGEX, Policy.builder("articles-readers")
 *     .subjects("users:<alice|bob>").resources("articles:<.*>").actions("read").allow().build());
 * engine.isAllowed(AccessRequest.of(Flavor.REGEX, "users:alice", "articles:42", "read")); // true
 * }</pre>
 */
public final class PolicyEngine {

  private static final Logger log = LoggerFactory.getLogger(PolicyEngine.class);

  /** The longest policy or role id (it is a primary key in every supported database). */
  public static final int MAX_ID_LENGTH = 191;

  private final PolicyStore policies;
  private final RoleStore roles;
  private final IdGenerator ids;
  private final Patterns patterns;
  private final Map<String, ConditionType> conditionTypes;
  private final SnapshotCache cache;
  private final boolean indexing;
  private final io.ory4j.policy.relations.@org.jspecify.annotations.Nullable Permissions relations;

  private PolicyEngine(Builder b) {
    this.relations = b.relations;
    this.policies = b.policies;
    this.roles = b.roles;
    this.ids = b.ids;
    this.patterns = new Patterns(b.patternCacheSize);
    this.conditionTypes = Map.copyOf(b.conditionTypes);
    this.indexing = b.indexing;
    this.cache = new SnapshotCache(policies, roles, patterns, conditionTypes, b.clock, b.maxStaleness);
  }

  /** A builder with in-memory stores, the system clock and a 1 s staleness bound. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Keto's other engine, relation tuples with OPL, when the builder was given one: the module's two engines behind
   * one entry point.
   *
   * @throws IllegalStateException when no relation-tuple engine was configured
   */
  public io.ory4j.policy.relations.Permissions relations() {
    if (relations == null) {
      throw new IllegalStateException("no relation-tuple engine: use PolicyEngine.builder().relations(...)");
    }
    return relations;
  }

  // ---- decisions ----------------------------------------------------------------------------------------------

  /** Whether {@code request} is allowed. */
  public boolean isAllowed(AccessRequest request) {
    return cache.get(request.flavor()).decide(request, false, indexing).allowed();
  }

  /** The decision with its explanation: the ids of the matching allow and deny policies. */
  public Decision explain(AccessRequest request) {
    return cache.get(request.flavor()).decide(request, true, indexing);
  }

  // ---- policies -----------------------------------------------------------------------------------------------

  /**
   * Validates and stores {@code policy} (replacing one with the same id); an empty id gets a random UUID, as Keto.
   * Invalid input is a 400 {@link OryException} naming the field, and nothing is stored.
   */
  public Policy upsertPolicy(Flavor flavor, Policy policy) {
    Policy p = policy.id().isEmpty() ? policy.toBuilder().id(ids.nextString()).build() : policy;
    validate(flavor, p);
    policies.upsert(flavor, p);
    cache.policyWritten(flavor, p.id(), p);
    log.debug("upserted {} policy {}", flavor.pathName(), p.id());
    return p;
  }

  /** The policy with {@code id}. */
  public Optional<Policy> getPolicy(Flavor flavor, String id) {
    return policies.find(flavor, id);
  }

  /** Deletes the policy with {@code id}; false when there was none. */
  public boolean deletePolicy(Flavor flavor, String id) {
    boolean deleted = policies.delete(flavor, id);
    cache.policyWritten(flavor, id, null);
    return deleted;
  }

  /** A page of policies passing {@code filter}, ordered by id. */
  public List<Policy> listPolicies(Flavor flavor, PolicyFilter filter, int limit, int offset) {
    return policies.list(flavor, filter, Math.max(0, limit), Math.max(0, offset));
  }

  /**
   * Checks {@code policy} as {@link #upsertPolicy} does: id, patterns (they must compile in {@code flavor}) and
   * conditions (known type, usable options). Throws a 400 {@link OryException} naming the field.
   */
  public void validate(Flavor flavor, Policy policy) {
    checkId(policy.id());
    checkPatterns(flavor, "subjects", policy.subjects());
    checkPatterns(flavor, "resources", policy.resources());
    checkPatterns(flavor, "actions", policy.actions());
    for (Map.Entry<String, Condition> e : policy.conditions().entrySet()) {
      String field = "conditions." + e.getKey();
      ConditionType t = conditionTypes.get(e.getValue().type());
      if (t == null) {
        throw OryException.invalidField(field + ".type", "unknown condition type \"" + e.getValue().type()
            + "\"; known types: " + String.join(", ", conditionTypes.keySet().stream().sorted().toList()));
      }
      try {
        t.compile(e.getValue().options());
      } catch (InvalidConditionException ex) {
        throw OryException.invalidField(field + ".options." + ex.option(), ex.getMessage());
      } catch (RuntimeException ex) {
        throw OryException.invalidField(field + ".options", String.valueOf(ex.getMessage()));
      }
    }
  }

  private void checkPatterns(Flavor flavor, String field, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      try {
        patterns.compile(flavor, values.get(i));
      } catch (InvalidPatternException e) {
        throw OryException.invalidField(field + "[" + i + "]", "is not a valid " + flavor.pathName() + " pattern: "
            + e.getMessage());
      }
    }
  }

  private static void checkId(String id) {
    if (id.length() > MAX_ID_LENGTH) {
      throw OryException.invalidField("id", "must be at most " + MAX_ID_LENGTH + " characters");
    }
  }

  // ---- roles --------------------------------------------------------------------------------------------------

  /** Stores {@code role} (replacing one with the same id); an empty id gets a random UUID, as Keto. */
  public Role upsertRole(Flavor flavor, Role role) {
    Role r = role.id().isEmpty() ? new Role(ids.nextString(), role.members()) : role;
    checkId(r.id());
    roles.upsert(flavor, r);
    cache.roleWritten(flavor, r.id(), r);
    return r;
  }

  /** The role with {@code id}. */
  public Optional<Role> getRole(Flavor flavor, String id) {
    return roles.find(flavor, id);
  }

  /** Deletes the role with {@code id}; false when there was none. */
  public boolean deleteRole(Flavor flavor, String id) {
    boolean deleted = roles.delete(flavor, id);
    cache.roleWritten(flavor, id, null);
    return deleted;
  }

  /** A page of roles having {@code member} (all when null), ordered by id. */
  public List<Role> listRoles(Flavor flavor, @Nullable String member, int limit, int offset) {
    return roles.list(flavor, member, Math.max(0, limit), Math.max(0, offset));
  }

  /** Adds members to a role, creating the role when it does not exist (as Keto). */
  public Role addRoleMembers(Flavor flavor, String id, List<String> members) {
    checkId(id);
    Role r = roles.addMembers(flavor, id, members);
    cache.roleWritten(flavor, id, r);
    return r;
  }

  /** Removes a member from a role; empty when there is no such role. */
  public Optional<Role> removeRoleMember(Flavor flavor, String id, String member) {
    Optional<Role> r = roles.removeMember(flavor, id, member);
    cache.roleWritten(flavor, id, r.orElse(null));
    return r;
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  /** Keto v0.5's ACP API ({@code /engines/acp/ory/{flavor}/...}) as a router, errors in Ory's JSON. */
  public Router acpApi() {
    return acpApi(OryJson.create());
  }

  /** Keto v0.5's ACP API with the given JSON mapper. */
  public Router acpApi(OryJson json) {
    return new AcpHandlers(this, json).router();
  }

  /** Builds a {@link PolicyEngine}. */
  public static final class Builder {
    private PolicyStore policies = new InMemoryPolicyStore();
    private RoleStore roles = new InMemoryRoleStore();
    private Clock clock = Clock.systemUTC();
    private Duration maxStaleness = Duration.ofSeconds(1);
    private IdGenerator ids = IdGenerator.randomV4();
    private final Map<String, ConditionType> conditionTypes = new LinkedHashMap<>(BuiltinConditions.all());
    private boolean indexing = true;
    private long patternCacheSize = 1_000_000;

    private io.ory4j.policy.relations.@org.jspecify.annotations.Nullable Permissions relations;

    private Builder() {}

    /** The relation-tuple engine (Keto's Zanzibar part) to offer through {@link PolicyEngine#relations()}. */
    public Builder relations(io.ory4j.policy.relations.Permissions v) {
      relations = java.util.Objects.requireNonNull(v, "relations");
      return this;
    }

    /** Where policies are stored (in memory by default). */
    public Builder policyStore(PolicyStore v) {
      policies = Objects.requireNonNull(v, "policyStore");
      return this;
    }

    /** Where roles are stored (in memory by default). */
    public Builder roleStore(RoleStore v) {
      roles = Objects.requireNonNull(v, "roleStore");
      return this;
    }

    /** The clock that times the staleness bound. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** How long a change made by another process may stay unseen (1 s by default; zero checks on every call). */
    public Builder maxStaleness(Duration v) {
      if (v.isNegative()) {
        throw new IllegalArgumentException("maxStaleness must not be negative");
      }
      maxStaleness = v;
      return this;
    }

    /** Generates ids for policies and roles written without one. */
    public Builder idGenerator(IdGenerator v) {
      ids = Objects.requireNonNull(v, "idGenerator");
      return this;
    }

    /** Registers a custom condition type (or replaces a built-in one) under {@code name}. */
    public Builder condition(String name, ConditionType type) {
      conditionTypes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
      return this;
    }

    /** Whether decisions use the index (default) or scan every policy as Keto does; both decide the same. */
    public Builder indexing(boolean v) {
      indexing = v;
      return this;
    }

    /** How many compiled patterns to keep (1,000,000 by default). */
    public Builder patternCacheSize(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("patternCacheSize must be positive");
      }
      patternCacheSize = v;
      return this;
    }

    public PolicyEngine build() {
      return new PolicyEngine(this);
    }
  }
}
