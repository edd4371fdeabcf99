package io.ory4j.core.storage;

import io.ory4j.core.error.OryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens: the key of the last item of the previous page, base64url-encoded so clients treat it as
 * opaque. A token that does not decode is a 400 error naming {@code page_token}.
 */
public final class PageToken {
  private PageToken() {}

  /** Encodes a position. */
  public static String encode(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token made by {@link #encode(String)}. */
  public static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OryException.invalidField("page_token", "is not a valid page token");
    }
  }
}
