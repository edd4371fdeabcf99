package io.ory4j.accessrules.spi;

import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.JwkSetManager;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What handlers may call: the clock, the HTTP client for remote calls (with its default timeout), JSON, the key
 * manager of the {@code id_token} mutator, and the in-process shortcuts the host registered.
 *
 * @param clock the clock
 * @param ids the id generator (the id_token mutator's {@code jti})
 * @param http the HTTP client
 * @param timeout the default timeout of a remote call
 * @param json the JSON mapper
 * @param keys the key manager, or null
 * @param introspector the in-process token introspector, or null
 * @param acp the in-process ACP decider, or null
 * @param sessions the in-process session resolver, or null
 * @param sleeper waits between the attempts of a retried remote call (with {@code clock}, what tests replace)
 */
public record HandlerServices(Clock clock, IdGenerator ids, HttpClient http, Duration timeout, OryJson json,
    @Nullable JwkSetManager keys, @Nullable TokenIntrospector introspector, @Nullable AcpDecider acp,
    @Nullable SessionResolver sessions, Sleeper sleeper) {
  public HandlerServices {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(json, "json");
  }

  /** Services with the system sleeper. */
  public HandlerServices(Clock clock, IdGenerator ids, HttpClient http, Duration timeout, OryJson json,
      @Nullable JwkSetManager keys, @Nullable TokenIntrospector introspector, @Nullable AcpDecider acp,
      @Nullable SessionResolver sessions) {
    this(clock, ids, http, timeout, json, keys, introspector, acp, sessions, Sleeper.system());
  }

  public Optional<JwkSetManager> keyManager() {
    return Optional.ofNullable(keys);
  }
}
