package io.ory4j.oauth2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.id.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TokenCodecTest {

  private final TokenCodec codec = new TokenCodec(List.of("key-one-0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
      SecretGenerator.secureRandom());

  @Test
  void mintWhenCalledThenHydraFormAndSignatureVerifies() {
    TokenCodec.Minted m = codec.mint("ory_at_");
    assertTrue(m.token().matches("ory_at_[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}"), m.token());
    assertEquals(List.of(m.signature()), codec.signatures("ory_at_", m.token()).orElseThrow());
    assertTrue(codec.signatures("ory_rt_", m.token()).isEmpty());
  }

  @Property
  void signaturesWhenAnyOtherStringThenEmpty(@ForAll String s) {
    assertTrue(codec.signatures("ory_at_", "ory_at_" + s).isEmpty() || s.contains("."));
  }

  @Test
  void signaturesWhenOneCharacterChangedThenEmpty() {
    String t = codec.mint("ory_ac_").token();
    char last = t.charAt(t.length() - 1);
    String tampered = t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertTrue(codec.signatures("ory_ac_", tampered).isEmpty());
  }
}
