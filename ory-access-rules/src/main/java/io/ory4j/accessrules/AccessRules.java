package io.ory4j.accessrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.accessrules.internal.When;
import io.ory4j.accessrules.internal.handlers.Authenticators;
import io.ory4j.accessrules.internal.handlers.Authorizers;
import io.ory4j.accessrules.internal.handlers.ErrorHandlers;
import io.ory4j.accessrules.internal.handlers.Mutators;
import io.ory4j.accessrules.internal.matching.MatchTarget;
import io.ory4j.accessrules.internal.matching.MatchUrl;
import io.ory4j.accessrules.internal.matching.RegexTimeoutException;
import io.ory4j.accessrules.internal.matching.RuleIndex;
import io.ory4j.accessrules.internal.matching.UrlPattern;
import io.ory4j.accessrules.spi.AcpDecider;
import io.ory4j.accessrules.spi.AuthenticationSession;
import io.ory4j.accessrules.spi.Authenticator;
import io.ory4j.accessrules.spi.Authorizer;
import io.ory4j.accessrules.spi.ErrorHandler;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.accessrules.spi.HandlerServices;
import io.ory4j.accessrules.spi.MatchContext;
import io.ory4j.accessrules.spi.Mutator;
import io.ory4j.accessrules.spi.RequestContext;
import io.ory4j.accessrules.spi.SessionResolver;
import io.ory4j.accessrules.spi.TokenIntrospector;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpInterceptor;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.JwkSetManager;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oathkeeper's access-rule pipeline: for each request, find the one rule whose method and URL match, run its
 * authenticators (in order, until one is responsible), its authorizer and its mutators, and either let the request
 * through with the mutated headers or answer with the rule's error handler.
 *
 * <p>Use it as an {@link HttpInterceptor} (the servlet {@code AccessRuleFilter}), through the decision API
 * ({@link io.ory4j.accessrules.http.DecisionApi}), or directly with {@link #decide(HttpRequest)}. The rule set is
 * validated whole when it loads: {@link Builder#build()} throws {@link InvalidRulesException} naming every bad rule,
 * field and reason, and {@link #reload()} keeps the previous good set when the new one is invalid.
 */
public final class AccessRules implements HttpInterceptor {

  private static final Logger log = LoggerFactory.getLogger(AccessRules.class);

  private final MatchingStrategy strategy;
  private final OverlapPolicy overlap;
  private final Duration regexDeadline;
  private final int maxBufferedBody;
  private final Map<HandlerKind, Map<String, HandlerFactory<?>>> factories;
  private final Map<HandlerKind, Map<String, ObjectNode>> enabled;
  private final List<String> errorFallback;
  private final List<RuleSource> sources;
  private final HandlerServices services;
  private final Object reloadLock = new Object();
  private volatile State state;

  private AccessRules(Builder b) {
    this.strategy = b.strategy;
    this.overlap = b.overlap;
    this.regexDeadline = b.regexDeadline;
    this.maxBufferedBody = b.maxBufferedBody;
    this.factories = b.factories;
    this.enabled = b.enabled;
    this.errorFallback = List.copyOf(b.errorFallback);
    this.sources = List.copyOf(b.sources);
    HttpClient http = b.http != null ? b.http
        : HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.services = new HandlerServices(b.clock, b.ids, http, b.timeout, b.json, b.keys, b.introspector, b.acp, b.sessions,
        b.sleeper);
    for (String name : errorFallback) {
      if (!enabled.get(HandlerKind.ERROR_HANDLER).containsKey(name)) {
        throw new IllegalArgumentException("errors.fallback names \"" + name + "\", which is not an enabled error "
            + "handler");
      }
    }
    this.fallbackHandlers = compileFallback();
    this.state = compile(loadAll());
  }

  private final List<CompiledError> fallbackHandlers;

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- rules

  /** The rules in force, in load order. */
  public List<Rule> rules() {
    return state.rules.stream().map(c -> c.rule).toList();
  }

  /** One rule by id. */
  public Optional<Rule> rule(String id) {
    return Optional.ofNullable(state.byId.get(id)).map(c -> c.rule);
  }

  /**
   * Reads every source again and puts the new set in force, whole. An invalid set is refused with
   * {@link InvalidRulesException} and the previous set stays in force.
   */
  public void reload() {
    synchronized (reloadLock) {
      try {
        State next = compile(loadAll());
        state = next;
        log.info("access rules reloaded: {} rules", next.rules.size());
      } catch (InvalidRulesException e) {
        log.warn("access rules reload refused, the previous {} rules stay in force: {}", state.rules.size(),
            e.getMessage());
        throw e;
      }
    }
  }

  /** Reloads when any source's rules differ from those in force; true when it changed the set. */
  public boolean reloadIfChanged() {
    synchronized (reloadLock) {
      List<Rule> loaded = loadAll();
      if (loaded.equals(rules())) {
        return false;
      }
      try {
        state = compile(loaded);
      } catch (InvalidRulesException e) {
        log.warn("access rules reload refused, the previous {} rules stay in force: {}", state.rules.size(),
            e.getMessage());
        throw e;
      }
      log.info("access rules changed and reloaded: {} rules", loaded.size());
      return true;
    }
  }

  private List<Rule> loadAll() {
    List<Rule> all = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (RuleSource s : sources) {
      try {
        all.addAll(s.load());
      } catch (InvalidRulesException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
    return all;
  }

  /** The services handlers use (clock, HTTP client, keys): for hosts writing their own handlers. */
  public HandlerServices services() {
    return services;
  }

  /**
   * The public keys of the {@code id_token} mutator, for {@code /.well-known/jwks.json}: the key manager's
   * {@code oathkeeper.id_token} set and the public halves of every {@code jwks_url} the rules in force sign with.
   */
  public com.nimbusds.jose.jwk.JWKSet idTokenKeys() {
    Map<String, com.nimbusds.jose.jwk.JWK> keys = new LinkedHashMap<>();
    services.keyManager().ifPresent(m -> m.publicSet(Mutators.ID_TOKEN_SET).getKeys()
        .forEach(k -> keys.putIfAbsent(k.toJSONString(), k)));
    for (CompiledRule r : state.rules) {
      for (Mutator m : r.mutators) {
        if (m instanceof Mutators.IdTokenMutator t && t.keys() != null) {
          t.keys().publicKeys().getKeys().forEach(k -> keys.putIfAbsent(k.toJSONString(), k));
        }
      }
    }
    return new com.nimbusds.jose.jwk.JWKSet(List.copyOf(keys.values()));
  }

  /** The matching strategy. */
  public MatchingStrategy matchingStrategy() {
    return strategy;
  }

  // ---------------------------------------------------------------- compile

  private record CompiledError(String name, ErrorHandler handler, When when) {}

  private record CompiledRule(Rule rule, UrlPattern pattern, List<Authenticator> authenticators,
      Authorizer authorizer, List<Mutator> mutators, List<CompiledError> errors) {}

  private record State(List<CompiledRule> rules, Map<String, CompiledRule> byId, RuleIndex index) {}

  private State compile(List<Rule> rules) {
    List<RuleProblem> problems = new ArrayList<>();
    List<CompiledRule> out = new ArrayList<>();
    List<MatchTarget> targets = new ArrayList<>();
    Map<String, CompiledRule> byId = new LinkedHashMap<>();
    HashSet<String> ids = new HashSet<>();
    for (Rule r : rules) {
      int before = problems.size();
      if (!ids.add(r.id())) {
        problems.add(new RuleProblem(r.id(), "id", "is used by more than one rule"));
      }
      UrlPattern pattern = null;
      if (r.match().url().isEmpty()) {
        problems.add(new RuleProblem(r.id(), "match.url", "is required"));
      } else {
        try {
          pattern = UrlPattern.compile(r.match().url(), strategy, regexDeadline);
        } catch (IllegalArgumentException e) {
          problems.add(new RuleProblem(r.id(), "match.url", e.getMessage()));
        } catch (RuntimeException e) {
          problems.add(new RuleProblem(r.id(), "match.url", "invalid pattern: " + e.getMessage()));
        }
      }
      if (r.match().methods().isEmpty()) {
        problems.add(new RuleProblem(r.id(), "match.methods", "must list at least one HTTP method"));
      }
      if (r.authenticators().isEmpty()) {
        problems.add(new RuleProblem(r.id(), "authenticators", "must list at least one authenticator"));
      }
      if (r.authorizer() == null) {
        problems.add(new RuleProblem(r.id(), "authorizer", "is required"));
      }
      if (r.mutators().isEmpty()) {
        problems.add(new RuleProblem(r.id(), "mutators", "must list at least one mutator"));
      }
      List<Authenticator> authn = new ArrayList<>();
      for (int i = 0; i < r.authenticators().size(); i++) {
        Authenticator a = create(HandlerKind.AUTHENTICATOR, r, "authenticators[" + i + "]", r.authenticators().get(i),
            problems);
        if (a != null) {
          authn.add(a);
        }
      }
      Authorizer authz = r.authorizer() == null ? null
          : create(HandlerKind.AUTHORIZER, r, "authorizer", r.authorizer(), problems);
      List<Mutator> mutators = new ArrayList<>();
      for (int i = 0; i < r.mutators().size(); i++) {
        Mutator m = create(HandlerKind.MUTATOR, r, "mutators[" + i + "]", r.mutators().get(i), problems);
        if (m != null) {
          mutators.add(m);
        }
      }
      List<CompiledError> errors = new ArrayList<>();
      for (int i = 0; i < r.errors().size(); i++) {
        RuleHandler h = r.errors().get(i);
        ErrorHandler e = create(HandlerKind.ERROR_HANDLER, r, "errors[" + i + "]", h, problems);
        if (e != null) {
          try {
            errors.add(new CompiledError(h.handler(), e, When.parse(new HandlerConfig(config(HandlerKind.ERROR_HANDLER,
                h), services))));
          } catch (HandlerConfig.InvalidConfigException ex) {
            problems.add(new RuleProblem(r.id(), "errors[" + i + "].config." + ex.field(), ex.reason()));
          }
        }
      }
      if (problems.size() == before) {
        CompiledRule c = new CompiledRule(r, pattern, List.copyOf(authn), authz, List.copyOf(mutators),
            List.copyOf(errors));
        targets.add(new MatchTarget(out.size(), new HashSet<>(r.match().methods()), pattern));
        out.add(c);
        byId.put(r.id(), c);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRulesException(problems);
    }
    return new State(List.copyOf(out), Map.copyOf(byId), new RuleIndex(targets));
  }

  @SuppressWarnings("unchecked")
  private <T> @Nullable T create(HandlerKind kind, Rule r, String field, RuleHandler h, List<RuleProblem> problems) {
    HandlerFactory<?> f = factories.get(kind).get(h.handler());
    if (f == null) {
      problems.add(new RuleProblem(r.id(), field + ".handler", "unknown " + kind.name().toLowerCase(Locale.ROOT)
          .replace('_', ' ') + " \"" + h.handler() + "\" (known: " + factories.get(kind).keySet() + ")"));
      return null;
    }
    if (!enabled.get(kind).containsKey(h.handler())) {
      problems.add(new RuleProblem(r.id(), field + ".handler", "\"" + h.handler() + "\" is not enabled (set "
          + kind.section() + "." + h.handler() + ".enabled to true)"));
      return null;
    }
    try {
      return (T) f.create(new HandlerConfig(config(kind, h), services));
    } catch (HandlerConfig.InvalidConfigException e) {
      problems.add(new RuleProblem(r.id(), field + ".config." + e.field(), e.reason()));
    } catch (RuntimeException e) {
      problems.add(new RuleProblem(r.id(), field + ".config", String.valueOf(e.getMessage())));
    }
    return null;
  }

  /** Oathkeeper's merge: the global config, with the rule's top-level keys replacing the global ones. */
  private ObjectNode config(HandlerKind kind, RuleHandler h) {
    ObjectNode global = enabled.get(kind).get(h.handler());
    ObjectNode merged = global == null ? JsonNodeFactory.instance.objectNode() : global.deepCopy();
    h.config().fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    return merged;
  }

  private List<CompiledError> compileFallback() {
    List<CompiledError> out = new ArrayList<>();
    for (String name : errorFallback) {
      HandlerFactory<?> f = factories.get(HandlerKind.ERROR_HANDLER).get(name);
      if (f == null) {
        throw new IllegalArgumentException("errors.fallback names the unknown error handler \"" + name + "\"");
      }
      try {
        ObjectNode c = enabled.get(HandlerKind.ERROR_HANDLER).get(name);
        HandlerConfig hc = new HandlerConfig(c, services);
        out.add(new CompiledError(name, (ErrorHandler) f.create(hc), When.parse(hc)));
      } catch (HandlerConfig.InvalidConfigException e) {
        throw new IllegalArgumentException("errors.handlers." + name + ".config." + e.field() + ": " + e.reason());
      }
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- decide

  @Override
  public Interception intercept(HttpRequest request) {
    AccessDecision d = decide(request);
    if (d instanceof AccessDecision.Allowed a) {
      return new Proceed(a.headers(), List.of());
    }
    return new Respond(((AccessDecision.Denied) d).response());
  }

  /** Runs the request through the rules. Never throws for a request: every failure is an error handler's answer. */
  public AccessDecision decide(HttpRequest request) {
    State s = state;
    URI url = requestUrl(request);
    if (url == null) { // a host no URL can hold, e.g. from X-Forwarded-Host (found by HostileRequestProperties)
      return deny(null, request, URI.create("http://invalid/"), OryException.badRequest("The request host and path "
          + "do not form a URL.").withReason("The host " + printable(request.host()) + " is not valid in a URL"));
    }
    String matchUrl = MatchUrl.of(request.scheme(), request.host(), request.path());
    CompiledRule rule = null;
    List<String> groups = List.of();
    try {
      List<RuleIndex.Match> matches = s.index.matchAll(request.method(), matchUrl);
      if (matches.isEmpty()) {
        throw OryException.notFound("Requested url does not match any rules").withReason("No access rule matches "
            + request.method() + " " + matchUrl);
      }
      RuleIndex.Match chosen = matches.get(0);
      if (matches.size() > 1) {
        if (overlap == OverlapPolicy.REJECT) {
          log.warn("{} {} matches {} rules: {}", request.method(), matchUrl, matches.size(),
              matches.stream().map(m -> s.rules.get(m.target().position()).rule.id()).toList());
          throw OryException.internal("Expected exactly one rule but found multiple rules")
              .withReason("The request matches more than one access rule");
        }
        for (RuleIndex.Match m : matches) {
          if (s.rules.get(m.target().position()).rule.effectivePriority()
              > s.rules.get(chosen.target().position()).rule.effectivePriority()) {
            chosen = m;
          }
        }
      }
      rule = s.rules.get(chosen.target().position());
      List<String> captured = chosen.target().pattern().match(matchUrl);
      groups = captured == null ? List.of() : captured;
    } catch (RegexTimeoutException e) {
      log.warn("{} {}: {}", request.method(), matchUrl, e.getMessage());
      return deny(null, request, url, OryException.internal("An internal server error occurred, please contact "
          + "the system administrator").withReason("An access rule pattern timed out or ran out of stack"));
    } catch (OryException e) {
      return deny(null, request, url, e);
    }
    RequestContext ctx = new RequestContext(request, rule.rule.id(), url);
    AuthenticationSession session = new AuthenticationSession(new MatchContext(groups, url, request.method(),
        request.headers()));
    try {
      RequestContext judged = run(rule, ctx, session);
      return new AccessDecision.Allowed(rule.rule, session.subject(), session.header(), judged.request());
    } catch (OryException e) {
      return deny(rule, request, url, e);
    } catch (RuntimeException e) {
      log.error("rule {}: a handler failed unexpectedly", rule.rule.id(), e);
      return deny(rule, request, url, OryException.internal("An internal server error occurred, please contact "
          + "the system administrator"));
    }
  }

  /** Runs the handlers; returns the request context as judged (with the body buffered when the authorizer read it). */
  private RequestContext run(CompiledRule rule, RequestContext ctx, AuthenticationSession session) {
    boolean found = false;
    for (Authenticator a : rule.authenticators) {
      if (a.authenticate(ctx, session)) {
        found = true;
        break;
      }
    }
    if (!found) {
      log.debug("rule {}: no authenticator was responsible", rule.rule.id());
      throw OryException.unauthorized("Access credentials are invalid")
          .withReason("No authentication handler was responsible for handling the authentication request");
    }
    if (rule.authorizer.needsRequestBody() && ctx.request().streamingBody()) {
      ctx = new RequestContext(bufferBody(rule, ctx.request()), ctx.ruleId(), ctx.url());
    }
    rule.authorizer.authorize(ctx, session);
    for (Mutator m : rule.mutators) {
      m.mutate(ctx, session);
    }
    return ctx;
  }

  /**
   * Reads a streamed body for an authorizer that needs it, up to {@code maxBufferedBody} bytes (more is a 413), and
   * returns the request with those bytes as its body and as a stream that replays them.
   */
  private HttpRequest bufferBody(CompiledRule rule, HttpRequest request) {
    long declared = request.header("Content-Length").map(AccessRules::contentLength).orElse(-1L);
    if (declared > maxBufferedBody) {
      throw tooLarge(rule);
    }
    byte[] body;
    try (java.io.InputStream in = request.bodyStream()) {
      body = in.readNBytes(maxBufferedBody + 1);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw OryException.badRequest("The request body could not be read.").withReason("rule " + rule.rule.id()
          + ": reading the body for the authorizer failed: " + e.getClass().getSimpleName());
    }
    if (body.length > maxBufferedBody) {
      throw tooLarge(rule);
    }
    log.debug("rule {}: buffered {} body bytes for the authorizer", rule.rule.id(), body.length);
    return request.toBuilder().body(body).bodyStream(() -> new java.io.ByteArrayInputStream(body)).build();
  }

  private OryException tooLarge(CompiledRule rule) {
    return OryException.of(413, "The request body is larger than " + maxBufferedBody + " bytes.")
        .withReason("rule " + rule.rule.id() + ": the authorizer reads the body, which is bounded by "
            + "maxBufferedBody");
  }

  private static long contentLength(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw OryException.badRequest("The Content-Length header is not a number.");
    }
  }

  private AccessDecision.Denied deny(@Nullable CompiledRule rule, HttpRequest request, URI url, OryException error) {
    if (error.status() >= 500) {
      log.warn("rule {}: {} {} failed: {} ({})", rule == null ? "-" : rule.rule.id(), request.method(),
          request.path(), error.getMessage(), error.error().reason());
    } else {
      log.debug("rule {}: {} {} refused with {}", rule == null ? "-" : rule.rule.id(), request.method(),
          request.path(), error.status());
    }
    RequestContext ctx = new RequestContext(request, rule == null ? "" : rule.rule.id(), url);
    CompiledError handler = null;
    if (rule != null) {
      for (CompiledError e : rule.errors) {
        if (e.when.matches(error, request)) {
          if (handler != null) {
            return denied(rule, request, ctx, OryException.internal("Found more than one error handlers to be "
                + "responsible for this request. This is a configuration error that needs to be resolved by the "
                + "system administrator."));
          }
          handler = e;
        }
      }
    }
    if (handler == null) {
      for (CompiledError e : fallbackHandlers) {
        if (e.when.matches(error, request)) {
          handler = e;
          break;
        }
      }
    }
    if (handler == null) {
      return denied(rule, request, ctx, error);
    }
    try {
      return new AccessDecision.Denied(rule == null ? null : rule.rule, error, withRateLimitHeaders(error,
          handler.handler.handle(ctx, error)));
    } catch (RuntimeException e) {
      log.error("error handler {} failed", handler.name, e);
      return denied(rule, request, ctx, error);
    }
  }

  /** The last resort: Ory's JSON error. */
  private AccessDecision.Denied denied(@Nullable CompiledRule rule, HttpRequest request, RequestContext ctx,
      OryException error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", error.status());
    body.put("status", error.error().status());
    body.put("message", error.getMessage());
    return new AccessDecision.Denied(rule == null ? null : rule.rule, error, withRateLimitHeaders(error,
        HttpResponse.json(error.status(), services.json().writeBytes(Map.of("error", body)))));
  }

  /** A remote's 429 travels on with its rate-limit headers, whatever error handler answers (as in Oathkeeper). */
  private static HttpResponse withRateLimitHeaders(OryException error, HttpResponse response) {
    if (!(error instanceof io.ory4j.accessrules.internal.RateLimitedException r) || r.headers().isEmpty()) {
      return response;
    }
    HttpResponse.Builder b = response.toBuilder();
    r.headers().forEach(b::header);
    return b.build();
  }

  /** The request URL, or null when the host (or scheme) cannot be part of one. */
  private static @Nullable URI requestUrl(HttpRequest r) {
    try {
      return new URI(r.scheme(), r.host(), r.path(), r.rawQuery() == null ? null : decodeQuery(r.rawQuery()), null);
    } catch (URISyntaxException e) {
      try {
        return new URI(r.scheme(), r.host(), "/", null);
      } catch (URISyntaxException e2) {
        return null;
      }
    }
  }

  /** A value for a log or reason: at most 64 characters, control characters escaped. */
  private static String printable(String v) {
    StringBuilder sb = new StringBuilder("\"");
    v.codePoints().limit(64).forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
        : new String(Character.toChars(c))));
    return sb.append(v.length() > 64 ? "...\"" : "\"").toString();
  }

  private static String decodeQuery(String raw) {
    try {
      return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  // ---------------------------------------------------------------- builder

  /** Builds {@link AccessRules}. Only the {@code json} error handler is enabled unless you enable others. */
  public static final class Builder {
    private MatchingStrategy strategy = MatchingStrategy.REGEXP;
    private OverlapPolicy overlap = OverlapPolicy.REJECT;
    private Duration regexDeadline = Duration.ofMillis(100);
    private int maxBufferedBody = 1 << 20;
    private Duration timeout = Duration.ofSeconds(5);
    private final Map<HandlerKind, Map<String, HandlerFactory<?>>> factories = new EnumMap<>(HandlerKind.class);
    private final Map<HandlerKind, Map<String, ObjectNode>> enabled = new EnumMap<>(HandlerKind.class);
    private List<String> errorFallback = List.of("json");
    private final List<RuleSource> sources = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private io.ory4j.accessrules.spi.Sleeper sleeper = io.ory4j.accessrules.spi.Sleeper.system();
    private IdGenerator ids = IdGenerator.randomV4();
    private @Nullable HttpClient http;
    private OryJson json = OryJson.create();
    private @Nullable JwkSetManager keys;
    private @Nullable TokenIntrospector introspector;
    private @Nullable AcpDecider acp;
    private @Nullable SessionResolver sessions;

    private Builder() {
      for (HandlerKind k : HandlerKind.values()) {
        factories.put(k, new LinkedHashMap<>());
        enabled.put(k, new LinkedHashMap<>());
      }
      Authenticators.all().forEach(f -> factories.get(HandlerKind.AUTHENTICATOR).put(f.name(), f));
      Authorizers.all().forEach(f -> factories.get(HandlerKind.AUTHORIZER).put(f.name(), f));
      Mutators.all().forEach(f -> factories.get(HandlerKind.MUTATOR).put(f.name(), f));
      ErrorHandlers.all().forEach(f -> factories.get(HandlerKind.ERROR_HANDLER).put(f.name(), f));
      enabled.get(HandlerKind.ERROR_HANDLER).put("json", JsonNodeFactory.instance.objectNode());
    }

    /** {@code access_rules.matching_strategy}. */
    public Builder matchingStrategy(MatchingStrategy v) {
      strategy = Objects.requireNonNull(v);
      return this;
    }

    /** What more than one matching rule means (Oathkeeper: an error). */
    public Builder overlapPolicy(OverlapPolicy v) {
      overlap = Objects.requireNonNull(v);
      return this;
    }

    /** The deadline of one lookaround pattern match (default 100ms). */
    public Builder regexDeadline(Duration v) {
      regexDeadline = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The largest request body read for an authorizer that needs it (Oathkeeper's {@code remote} authorizer posts
     * the request body) when the body arrives streamed (the servlet filter, {@code OryServlet.streaming}); default
     * 1 MiB. A larger body is refused with 413 through the rule's error handlers. Requests whose rule does not read
     * the body are never buffered.
     */
    public Builder maxBufferedBody(int bytes) {
      if (bytes < 0 || bytes == Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxBufferedBody must be between 0 and " + (Integer.MAX_VALUE - 1));
      }
      maxBufferedBody = bytes;
      return this;
    }

    /** The default timeout of remote calls (default 5s); a handler's {@code timeout} overrides it. */
    public Builder remoteTimeout(Duration v) {
      timeout = Objects.requireNonNull(v);
      return this;
    }

    /** Enables a handler with an empty global config. */
    public Builder enable(HandlerKind kind, String name) {
      return enable(kind, name, JsonNodeFactory.instance.objectNode());
    }

    /** Enables a handler with its global config ({@code <section>.<name>.config}). */
    public Builder enable(HandlerKind kind, String name, JsonNode config) {
      if (!(config instanceof ObjectNode o)) {
        throw new IllegalArgumentException(kind.section() + "." + name + ".config must be a JSON object");
      }
      enabled.get(kind).put(name, o.deepCopy());
      return this;
    }

    /** Enables a handler with its global config as a JSON string. */
    public Builder enable(HandlerKind kind, String name, String configJson) {
      return enable(kind, name, json.readTree(configJson));
    }

    /** Disables a handler (rules naming it are refused). */
    public Builder disable(HandlerKind kind, String name) {
      enabled.get(kind).remove(name);
      return this;
    }

    /** Adds (or replaces) a handler implementation; enable it with {@link #enable}. */
    public Builder register(HandlerKind kind, HandlerFactory<?> factory) {
      factories.get(kind).put(factory.name(), factory);
      return this;
    }

    /** {@code errors.fallback}: the error handlers used when a rule names none that matches (default json). */
    public Builder errorFallback(List<String> v) {
      errorFallback = List.copyOf(v);
      return this;
    }

    /** Adds a rule source. */
    public Builder source(RuleSource v) {
      sources.add(Objects.requireNonNull(v));
      return this;
    }

    /** Adds rules given in code. */
    public Builder rules(List<Rule> v) {
      return source(RuleSource.of(v));
    }

    public Builder rules(Rule... v) {
      return rules(List.of(v));
    }

    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    /** What waits between retried remote calls (default {@code Thread.sleep}); tests pair it with their clock. */
    public Builder sleeper(io.ory4j.accessrules.spi.Sleeper v) {
      sleeper = Objects.requireNonNull(v);
      return this;
    }

    public Builder ids(IdGenerator v) {
      ids = Objects.requireNonNull(v);
      return this;
    }

    public Builder httpClient(HttpClient v) {
      http = Objects.requireNonNull(v);
      return this;
    }

    public Builder json(OryJson v) {
      json = Objects.requireNonNull(v);
      return this;
    }

    /** The key manager of the {@code id_token} mutator (set {@code oathkeeper.id_token}). */
    public Builder keys(JwkSetManager v) {
      keys = v;
      return this;
    }

    /** An in-process introspector for {@code oauth2_introspection} without {@code introspection_url}. */
    public Builder tokenIntrospector(TokenIntrospector v) {
      introspector = v;
      return this;
    }

    /** An in-process ACP engine for {@code keto_engine_acp_ory} without {@code base_url}. */
    public Builder acpDecider(AcpDecider v) {
      acp = v;
      return this;
    }

    /** An in-process session resolver for {@code cookie_session}/{@code bearer_token} without a check URL. */
    public Builder sessionResolver(SessionResolver v) {
      sessions = v;
      return this;
    }

    /**
     * Reads Oathkeeper's settings from environment variables, as Ory does: {@code ACCESS_RULES_MATCHING_STRATEGY},
     * {@code ACCESS_RULES_REPOSITORIES} (comma-separated or a JSON array), {@code <SECTION>_<NAME>_ENABLED},
     * {@code <SECTION>_<NAME>_CONFIG} (a JSON object) and {@code <SECTION>_<NAME>_CONFIG_<KEY>} (JSON when it parses,
     * else a string), for AUTHENTICATORS, AUTHORIZERS, MUTATORS and ERRORS, and {@code ERRORS_FALLBACK}.
     */
    public Builder environment(Map<String, String> env) {
      OathkeeperEnvironment.apply(this, env, json);
      return this;
    }

    HttpClient clientForSources() {
      return http != null ? http : HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Duration timeout() {
      return timeout;
    }

    Map<HandlerKind, Map<String, ObjectNode>> enabledMap() {
      return enabled;
    }

    /**
     * Loads and validates every rule.
     *
     * @throws InvalidRulesException naming each invalid rule, field and reason
     * @throws IllegalArgumentException for a bad global setting
     */
    public AccessRules build() {
      return new AccessRules(this);
    }
  }
}
