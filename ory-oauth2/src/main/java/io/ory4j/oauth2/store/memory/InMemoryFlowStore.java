package io.ory4j.oauth2.store.memory;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.ConsentSession;
import io.ory4j.oauth2.spi.Flow;
import io.ory4j.oauth2.spi.FlowState;
import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.spi.LoginSession;
import io.ory4j.oauth2.spi.LogoutRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A {@link FlowStore} in memory. Thread-safe; flow updates are compare-and-set on the state. */
public final class InMemoryFlowStore implements FlowStore {

  private final ConcurrentHashMap<String, Flow> flows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> index = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LoginSession> loginSessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConsentSession> consents = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LogoutRequest> logouts = new ConcurrentHashMap<>();

  @Override
  public void createFlow(Flow flow) {
    if (flows.putIfAbsent(flow.id(), flow) != null) {
      throw new DuplicateException("a flow with this id exists already");
    }
    indexFlow(flow);
  }

  private void indexFlow(Flow f) {
    if (f.loginVerifier() != null) {
      index.put(FlowKey.LOGIN_VERIFIER + ":" + f.loginVerifier(), f.id());
    }
    if (f.consentChallenge() != null) {
      index.put(FlowKey.CONSENT_CHALLENGE + ":" + f.consentChallenge(), f.id());
    }
    if (f.consentVerifier() != null) {
      index.put(FlowKey.CONSENT_VERIFIER + ":" + f.consentVerifier(), f.id());
    }
  }

  private void unindex(FlowKey key, @Nullable String value, String id) {
    if (value != null) {
      index.remove(key + ":" + value, id);
    }
  }

  @Override
  public Optional<Flow> findFlow(FlowKey key, String value) {
    String id = key == FlowKey.LOGIN_CHALLENGE ? value : index.get(key + ":" + value);
    if (id == null) {
      return Optional.empty();
    }
    Flow f = flows.get(id);
    if (f == null) {
      return Optional.empty();
    }
    String actual = switch (key) {
      case LOGIN_CHALLENGE -> f.id();
      case LOGIN_VERIFIER -> f.loginVerifier();
      case CONSENT_CHALLENGE -> f.consentChallenge();
      case CONSENT_VERIFIER -> f.consentVerifier();
    };
    return value.equals(actual) ? Optional.of(f) : Optional.empty();
  }

  @Override
  public boolean updateFlow(Flow flow, FlowState expected) {
    boolean[] ok = {false};
    flows.computeIfPresent(flow.id(), (id, current) -> {
      if (current.state() == expected) {
        ok[0] = true;
        return flow;
      }
      return current;
    });
    if (ok[0]) {
      indexFlow(flow);
    }
    return ok[0];
  }

  @Override
  public void saveLoginSession(LoginSession session) {
    loginSessions.put(session.id(), session);
  }

  @Override
  public Optional<LoginSession> findLoginSession(String id) {
    return Optional.ofNullable(loginSessions.get(id));
  }

  @Override
  public boolean deleteLoginSession(String id) {
    return loginSessions.remove(id) != null;
  }

  @Override
  public int deleteLoginSessions(String subject) {
    int before = loginSessions.size();
    loginSessions.values().removeIf(s -> s.subject().equals(subject));
    return before - loginSessions.size();
  }

  @Override
  public void saveConsentSession(ConsentSession session) {
    consents.put(session.challenge(), session);
  }

  @Override
  public List<ConsentSession> consentSessions(String subject, @Nullable ClientId clientId) {
    List<ConsentSession> out = new ArrayList<>();
    for (ConsentSession c : consents.values()) {
      if (c.subject().equals(subject) && (clientId == null || clientId.equals(c.clientId()))) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparing((ConsentSession c) -> c.grant().handledAt()).reversed()
        .thenComparing(ConsentSession::challenge));
    return out;
  }

  @Override
  public int revokeConsentSessions(String subject, @Nullable ClientId clientId) {
    int before = consents.size();
    consents.values().removeIf(c -> c.subject().equals(subject)
        && (clientId == null || clientId.equals(c.clientId())));
    return before - consents.size();
  }

  @Override
  public void saveLogout(LogoutRequest request) {
    logouts.put(request.challenge(), request);
  }

  @Override
  public Optional<LogoutRequest> findLogout(String challenge) {
    return Optional.ofNullable(logouts.get(challenge));
  }

  @Override
  public Optional<LogoutRequest> findLogoutByVerifier(String verifier) {
    return logouts.values().stream().filter(l -> io.ory4j.core.secrets.ConstantTime.equals(verifier, l.verifier())).findFirst();
  }

  @Override
  public int deleteExpired(Instant before) {
    int n = 0;
    for (var it = flows.values().iterator(); it.hasNext(); ) {
      Flow f = it.next();
      if (f.expiresAt().isBefore(before)) {
        it.remove();
        unindex(FlowKey.LOGIN_VERIFIER, f.loginVerifier(), f.id());
        unindex(FlowKey.CONSENT_CHALLENGE, f.consentChallenge(), f.id());
        unindex(FlowKey.CONSENT_VERIFIER, f.consentVerifier(), f.id());
        n++;
      }
    }
    int l = logouts.size() + loginSessions.size();
    logouts.values().removeIf(x -> x.expiresAt().isBefore(before));
    loginSessions.values().removeIf(x -> x.expiresAt() != null && x.expiresAt().isBefore(before));
    return n + l - logouts.size() - loginSessions.size();
  }
}
