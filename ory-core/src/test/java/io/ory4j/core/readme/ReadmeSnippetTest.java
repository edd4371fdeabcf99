package io.ory4j.core.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import io.ory4j.core.config.ConfigKey;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.keys.JwsKeys;
import io.ory4j.core.keys.KeyAlgorithm;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code shown in README.md, compiled and run so it cannot rot. Keep the two in step. */
class ReadmeSnippetTest {

  @Test
  void coreSnippet() throws Exception {
    // README: ory-core
    OryConfig config = OryConfig.builder()
        .environment(Map.of("SECRETS_SYSTEM", "a-very-long-system-secret", "TTL_ACCESS_TOKEN", "30m"))
        .build();
    Duration ttl = config.get(ConfigKey.duration("ttl.access_token", Duration.ofHours(1)));
    SystemSecrets secrets = SystemSecrets.of(config.get(ConfigKey.stringList("secrets.system", null)));
    JwkSetManager keys = new JwkSetManager(new InMemoryJwkSetStore(), new SecretCipher(secrets),
        Clock.systemUTC(), IdGenerator.randomV4());
    JWK key = keys.createKey("my.signing-keys", KeyAlgorithm.EdDSA, "sig", null);
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JwsKeys.algorithm(key)).keyID(key.getKeyID()).build(),
        new Payload("hello"));
    jws.sign(JwsKeys.signer(key));
    boolean valid = jws.verify(JwsKeys.verifier(keys.publicSet("my.signing-keys").getKeyByKeyId(key.getKeyID())));
    // end README
    assertEquals(Duration.ofMinutes(30), ttl);
    assertTrue(valid);
  }
}
