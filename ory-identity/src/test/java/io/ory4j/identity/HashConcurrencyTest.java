package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.hash.PasswordHasher;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Password hashing is bounded: a burst cannot run more hashes at once than the limit (argon2 memory). */
class HashConcurrencyTest {

  /** A hasher that holds its permit until the test lets it go. */
  static final class GatedHasher implements PasswordHasher {
    final CountDownLatch inside = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final PasswordHasher real = new BcryptHasher(4, new SecureRandom());
    volatile boolean gate;

    @Override
    public String hash(byte[] password) {
      if (gate) {
        inside.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.hash(password);
    }

    @Override
    public boolean needsRehash(String storedHash) {
      return false;
    }
  }

  @Test
  void loginWhenAllHashPermitsBusyThen503AndAfterwardsServed() throws Exception {
    GatedHasher hasher = new GatedHasher();
    IdentityService service = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas()).hasher(hasher)
        .hashConcurrency(1, Duration.ZERO).build();
    OryJson json = OryJson.create();
    service.registerWithPassword(null, json.readTree("{\"email\":\"a@example.com\"}"), "correct horse staple");
    hasher.gate = true;
    CompletableFuture<IdentityService.Login> slow = CompletableFuture.supplyAsync(() -> service.registerWithPassword(
        null, json.readTree("{\"email\":\"b@example.com\"}"), "correct horse staple"));
    assertTrue(hasher.inside.await(30, TimeUnit.SECONDS), "the first hash holds the only permit");
    OryException busy = assertThrows(OryException.class,
        () -> service.loginWithPassword("a@example.com", "correct horse staple"));
    assertEquals(503, busy.status());
    hasher.gate = false;
    hasher.release.countDown();
    slow.get(30, TimeUnit.SECONDS);
    assertTrue(service.loginWithPassword("a@example.com", "correct horse staple").sessionToken().startsWith("ory_st_"));
  }

  @Test
  void defaultPermitsWhenArgon2At128MibThenBoundedByHalfTheHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    int permits = IdentityService.defaultHashPermits(PasswordHasher.argon2id());
    assertTrue(permits >= 1);
    assertTrue(permits * 128L * 1024 * 1024 <= Math.max(heap / 2, 128L * 1024 * 1024), "permits " + permits);
    assertTrue(IdentityService.defaultHashPermits(new BcryptHasher(4, new SecureRandom()))
        <= Runtime.getRuntime().availableProcessors() * 2);
  }
}
