package io.ory4j.policy.acp.internal;

import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Condition;
import io.ory4j.policy.acp.Decision;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.spi.ConditionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable, indexed view of one flavor's policies and roles at known store revisions. Decisions read it without
 * locks; the engine swaps in a new snapshot when the stores change.
 */
public final class AcpSnapshot {

  private static final Logger log = LoggerFactory.getLogger(AcpSnapshot.class);
  private static final ConditionType.Predicate FALSE = c -> false;

  final long policyRevision;
  final long roleRevision;
  private final Map<String, CompiledPolicy> byId;
  private final CompiledPolicy[] policies;
  private final Map<String, Role> roles;
  private final Map<String, List<String>> rolesByMember;
  private final PrefixIndex subjects;
  private final PrefixIndex resources;
  private final PrefixIndex actions;
  volatile Instant verifiedAt;

  private AcpSnapshot(long policyRevision, long roleRevision, Map<String, CompiledPolicy> byId,
      Map<String, Role> roles, PrefixIndex subjects, PrefixIndex resources, PrefixIndex actions, Instant verifiedAt) {
    this(policyRevision, roleRevision, byId, roles, byMember(roles), subjects, resources, actions, verifiedAt);
  }

  private AcpSnapshot(long policyRevision, long roleRevision, Map<String, CompiledPolicy> byId,
      Map<String, Role> roles, Map<String, List<String>> rolesByMember, PrefixIndex subjects, PrefixIndex resources,
      PrefixIndex actions, Instant verifiedAt) {
    this.policyRevision = policyRevision;
    this.roleRevision = roleRevision;
    this.byId = byId;
    this.policies = byId.values().toArray(new CompiledPolicy[0]);
    this.roles = roles;
    this.rolesByMember = rolesByMember;
    this.subjects = subjects;
    this.resources = resources;
    this.actions = actions;
    this.verifiedAt = verifiedAt;
  }

  /** Compiles and indexes {@code policies} and {@code roles}. Stored data that no longer compiles never matches. */
  public static AcpSnapshot build(Flavor flavor, List<Policy> policies, List<Role> roles, long policyRevision,
      long roleRevision, Patterns patterns, Map<String, ConditionType> conditionTypes, Instant now) {
    Map<String, CompiledPolicy> byId = new HashMap<>(Math.max(16, policies.size() * 2));
    PrefixIndex.Builder s = new PrefixIndex.Builder();
    PrefixIndex.Builder r = new PrefixIndex.Builder();
    PrefixIndex.Builder a = new PrefixIndex.Builder();
    for (Policy p : policies) {
      CompiledPolicy c = compile(flavor, p, patterns, conditionTypes);
      CompiledPolicy previous = byId.put(p.id(), c);
      if (previous != null) {
        throw new IllegalStateException("the store returned policy " + p.id() + " twice");
      }
      for (CompiledPattern x : c.subjects) {
        s.add(x, c);
      }
      for (CompiledPattern x : c.resources) {
        r.add(x, c);
      }
      for (CompiledPattern x : c.actions) {
        a.add(x, c);
      }
    }
    Map<String, Role> roleMap = new HashMap<>();
    roles.forEach(x -> roleMap.put(x.id(), x));
    return new AcpSnapshot(policyRevision, roleRevision, byId, roleMap, s.build(), r.build(), a.build(), now);
  }

  private static Map<String, List<String>> byMember(Map<String, Role> roles) {
    Map<String, List<String>> byMember = new HashMap<>();
    for (Role role : roles.values()) {
      for (String m : new LinkedHashSet<>(role.members())) {
        byMember.computeIfAbsent(m, k -> new ArrayList<>(2)).add(role.id());
      }
    }
    byMember.replaceAll((k, v) -> List.copyOf(v));
    return byMember;
  }

  /**
   * A copy with policy {@code id} replaced by {@code policy} (removed when null), at {@code revision}; the other
   * policies keep their compiled form, so the cost is a few shallow copies.
   */
  AcpSnapshot withPolicy(Flavor flavor, String id, @Nullable Policy policy, long revision, Patterns patterns,
      Map<String, ConditionType> conditionTypes, Instant now) {
    CompiledPolicy removed = byId.get(id);
    CompiledPolicy added = policy == null ? null : compile(flavor, policy, patterns, conditionTypes);
    Map<String, CompiledPolicy> ids = new HashMap<>(byId);
    if (added == null) {
      ids.remove(id);
    } else {
      ids.put(id, added);
    }
    return new AcpSnapshot(revision, roleRevision, ids, roles, rolesByMember,
        subjects.with(removed, removed == null ? null : removed.subjects, added, added == null ? null : added.subjects),
        resources.with(removed, removed == null ? null : removed.resources, added,
            added == null ? null : added.resources),
        actions.with(removed, removed == null ? null : removed.actions, added, added == null ? null : added.actions),
        now);
  }

  /** A copy with role {@code id} replaced by {@code role} (removed when null), at {@code revision}. */
  AcpSnapshot withRole(String id, @Nullable Role role, long revision, Instant now) {
    Map<String, Role> r = new HashMap<>(roles);
    if (role == null) {
      r.remove(id);
    } else {
      r.put(id, role);
    }
    return new AcpSnapshot(policyRevision, revision, byId, r, subjects, resources, actions, now);
  }

  static CompiledPolicy compile(Flavor flavor, Policy p, Patterns patterns, Map<String, ConditionType> types) {
    String[] keys = new String[p.conditions().size()];
    ConditionType.Predicate[] preds = new ConditionType.Predicate[keys.length];
    int i = 0;
    for (Map.Entry<String, Condition> e : p.conditions().entrySet()) {
      keys[i] = e.getKey();
      ConditionType t = types.get(e.getValue().type());
      ConditionType.Predicate pred = FALSE;
      if (t == null) {
        log.warn("policy {} has a condition of unknown type {}; it never matches", p.id(), e.getValue().type());
      } else {
        try {
          pred = t.compile(e.getValue().options());
        } catch (RuntimeException ex) {
          log.warn("policy {} has an unusable {} condition; it never matches", p.id(), e.getValue().type());
        }
      }
      preds[i++] = pred;
    }
    return new CompiledPolicy(p, patterns(flavor, p, p.subjects(), patterns), patterns(flavor, p, p.resources(),
        patterns), patterns(flavor, p, p.actions(), patterns), keys, preds);
  }

  private static CompiledPattern[] patterns(Flavor flavor, Policy p, List<String> sources, Patterns patterns) {
    CompiledPattern[] out = new CompiledPattern[sources.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = patterns.compile(flavor, sources.get(i));
      } catch (InvalidPatternException e) {
        log.warn("policy {} has a pattern that does not compile in flavor {}; it never matches", p.id(), flavor);
        out[i] = CompiledPattern.nothing(sources.get(i));
      }
    }
    return out;
  }

  /** The number of policies. */
  public int size() {
    return policies.length;
  }

  /** The role ids {@code subject} is a member of. */
  List<String> rolesOf(String subject) {
    return rolesByMember.getOrDefault(subject, List.of());
  }

  /**
   * Decides {@code request}. With {@code indexed}, only the policies the index names as candidates in the most
   * selective dimension are tested; without, every policy is (a plain scan, as Keto).
   */
  public Decision decide(AccessRequest request, boolean explain, boolean indexed) {
    List<String> roles = rolesOf(request.subject());
    if (!indexed) {
      return evaluate(List.<CompiledPolicy[]>of(policies), request, roles, explain);
    }
    List<CompiledPolicy[]> r = new ArrayList<>(4);
    int nr = resources.collect(request.resource(), r);
    if (nr == 0) {
      return evaluate(List.of(), request, roles, explain);
    }
    List<CompiledPolicy[]> a = new ArrayList<>(4);
    int na = actions.collect(request.action(), a);
    if (na == 0) {
      return evaluate(List.of(), request, roles, explain);
    }
    List<CompiledPolicy[]> s = new ArrayList<>(4);
    int ns = subjects.collect(request.subject(), s);
    for (int i = 0; i < roles.size(); i++) {
      ns += subjects.collect(roles.get(i), s);
    }
    List<CompiledPolicy[]> best = nr <= na ? (nr <= ns ? r : s) : (na <= ns ? a : s);
    return evaluate(best, request, roles, explain);
  }

  private static final Decision DENY = new Decision(false, List.of(), List.of());
  private static final Decision ALLOW = new Decision(true, List.of(), List.of());

  private static Decision evaluate(List<CompiledPolicy[]> buckets, AccessRequest request, List<String> roles,
      boolean explain) {
    boolean allow = false;
    Set<String> allowedBy = explain ? new TreeSet<>() : Set.of();
    Set<String> deniedBy = explain ? new TreeSet<>() : Set.of();
    for (CompiledPolicy[] bucket : buckets) {
      for (CompiledPolicy p : bucket) {
        if (p.allow && allow && !explain) {
          continue; // already allowed; only a deny can change the answer
        }
        if (p.matches(request, roles)) {
          if (p.allow) {
            allow = true;
            if (explain) {
              allowedBy.add(p.policy.id());
            }
          } else if (explain) {
            deniedBy.add(p.policy.id());
          } else {
            return DENY;
          }
        }
      }
    }
    if (!explain) {
      return allow ? ALLOW : DENY;
    }
    return new Decision(allow && deniedBy.isEmpty(), List.copyOf(allowedBy), List.copyOf(deniedBy));
  }
}
