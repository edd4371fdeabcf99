package io.ory4j.identity.store.memory;

import io.ory4j.identity.spi.CodeStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CodeStore} in memory, for tests and single-process use. */
public final class InMemoryCodeStore implements CodeStore {

  private final Map<UUID, OneTimeCode> codes = new ConcurrentHashMap<>();

  @Override
  public void save(OneTimeCode code) {
    codes.put(code.id(), code);
  }

  @Override
  public List<OneTimeCode> findUnused(UUID flowId, String purpose) {
    return codes.values().stream().filter(c -> c.flowId().equals(flowId) && c.purpose().equals(purpose)
        && c.usedAt() == null).sorted(Comparator.comparing(OneTimeCode::expiresAt).reversed()).toList();
  }

  @Override
  public Optional<OneTimeCode> findByHash(String purpose, String codeHash) {
    return codes.values().stream().filter(c -> c.purpose().equals(purpose)
        && io.ory4j.core.secrets.ConstantTime.equals(c.codeHash(), codeHash))
        .findFirst();
  }

  @Override
  public boolean markUsed(UUID id, Instant at) {
    boolean[] won = {false};
    codes.computeIfPresent(id, (k, c) -> {
      if (c.usedAt() != null) {
        return c;
      }
      won[0] = true;
      return new OneTimeCode(c.id(), c.purpose(), c.codeHash(), c.flowId(), c.identityId(), c.address(),
          c.expiresAt(), at, c.failedAttempts());
    });
    return won[0];
  }

  @Override
  public int countFailure(UUID id) {
    OneTimeCode c = codes.computeIfPresent(id, (k, o) -> new OneTimeCode(o.id(), o.purpose(), o.codeHash(),
        o.flowId(), o.identityId(), o.address(), o.expiresAt(), o.usedAt(), o.failedAttempts() + 1));
    return c == null ? 0 : c.failedAttempts();
  }

  @Override
  public List<OneTimeCode> findForIdentity(UUID identityId) {
    return codes.values().stream().filter(c -> c.identityId().equals(identityId))
        .sorted(Comparator.comparing(OneTimeCode::expiresAt)).toList();
  }

  @Override
  public int deleteForIdentity(UUID identityId) {
    int before = codes.size();
    codes.values().removeIf(c -> c.identityId().equals(identityId));
    return before - codes.size();
  }
}
