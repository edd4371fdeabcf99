package io.ory4j.accessrules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One access rule in Oathkeeper's format. Build one in code with {@link #builder(String)}, or load Oathkeeper rule
 * files with {@link RuleFiles}.
 *
 * @param id the unique id
 * @param version the Oathkeeper version the rule was written for (informational)
 * @param description a human-readable description
 * @param match what the rule matches
 * @param authenticators the authenticators, tried in order until one is responsible
 * @param authorizer the authorizer
 * @param mutators the mutators, all run in order
 * @param errors the error handlers (empty: the global fallback)
 * @param upstream where the reverse proxy forwards
 * @param priority ory4j's extension for the precedence mode: higher wins; null counts as 0
 */
public record Rule(String id, String version, String description, RuleMatch match,
    List<RuleHandler> authenticators, @Nullable RuleHandler authorizer, List<RuleHandler> mutators,
    List<RuleHandler> errors, Upstream upstream, @Nullable Integer priority) {

  public Rule {
    Objects.requireNonNull(id, "id");
    version = version == null ? "" : version;
    description = description == null ? "" : description;
    Objects.requireNonNull(match, "match");
    authenticators = List.copyOf(authenticators);
    mutators = List.copyOf(mutators);
    errors = List.copyOf(errors);
    upstream = upstream == null ? Upstream.none() : upstream;
  }

  /** The priority, 0 when unset. */
  public int effectivePriority() {
    return priority == null ? 0 : priority;
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    Builder b = new Builder(id).version(version).description(description).match(match.url(), match.methods())
        .authorizer(authorizer).upstream(upstream).priority(priority);
    b.authenticators.addAll(authenticators);
    b.mutators.addAll(mutators);
    b.errors.addAll(errors);
    return b;
  }

  /** Builds a {@link Rule}. */
  public static final class Builder {
    private final String id;
    private String version = "";
    private String description = "";
    private RuleMatch match = new RuleMatch("", List.of());
    private final List<RuleHandler> authenticators = new ArrayList<>();
    private @Nullable RuleHandler authorizer;
    private final List<RuleHandler> mutators = new ArrayList<>();
    private final List<RuleHandler> errors = new ArrayList<>();
    private Upstream upstream = Upstream.none();
    private @Nullable Integer priority;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    public Builder version(String v) {
      version = v;
      return this;
    }

    public Builder description(String v) {
      description = v;
      return this;
    }

    public Builder match(String url, List<String> methods) {
      match = new RuleMatch(url, methods);
      return this;
    }

    public Builder match(String url, String... methods) {
      return match(url, List.of(methods));
    }

    public Builder authenticator(RuleHandler h) {
      authenticators.add(h);
      return this;
    }

    public Builder authenticator(String name) {
      return authenticator(RuleHandler.of(name));
    }

    public Builder authorizer(@Nullable RuleHandler h) {
      authorizer = h;
      return this;
    }

    public Builder authorizer(String name) {
      return authorizer(RuleHandler.of(name));
    }

    public Builder mutator(RuleHandler h) {
      mutators.add(h);
      return this;
    }

    public Builder mutator(String name) {
      return mutator(RuleHandler.of(name));
    }

    public Builder error(RuleHandler h) {
      errors.add(h);
      return this;
    }

    public Builder upstream(Upstream v) {
      upstream = v;
      return this;
    }

    public Builder priority(@Nullable Integer v) {
      priority = v;
      return this;
    }

    public Rule build() {
      return new Rule(id, version, description, match, authenticators, authorizer, mutators, errors, upstream,
          priority);
    }
  }
}
