package io.ory4j.core.http;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code Set-Cookie}: secure defaults (HttpOnly, Secure, SameSite=Lax, path {@code /}), changed only on purpose.
 *
 * @param name the name
 * @param value the value
 * @param path the path
 * @param domain the domain, or null for the host only
 * @param maxAge the lifetime, or null for a session cookie; zero deletes the cookie
 * @param secure send only over HTTPS
 * @param httpOnly hide from scripts
 * @param sameSite {@code Lax}, {@code Strict} or {@code None}
 */
public record Cookie(String name, String value, String path, @Nullable String domain, @Nullable Duration maxAge,
    boolean secure, boolean httpOnly, String sameSite) {

  public Cookie {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sameSite, "sameSite");
    if (!name.matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+")) {
      throw new IllegalArgumentException("invalid cookie name: " + name);
    }
    if (!value.matches("[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*")) {
      throw new IllegalArgumentException("invalid characters in the value of cookie " + name);
    }
    if (!sameSite.equals("Lax") && !sameSite.equals("Strict") && !sameSite.equals("None")) {
      throw new IllegalArgumentException("SameSite must be Lax, Strict or None");
    }
  }

  /** A session cookie with the secure defaults. */
  public static Cookie of(String name, String value) {
    return new Cookie(name, value, "/", null, null, true, true, "Lax");
  }

  /** A cookie that deletes {@code name}. */
  public static Cookie delete(String name, String path) {
    return new Cookie(name, "", path, null, Duration.ZERO, true, true, "Lax");
  }

  public Cookie withMaxAge(@Nullable Duration v) {
    return new Cookie(name, value, path, domain, v, secure, httpOnly, sameSite);
  }

  public Cookie withSecure(boolean v) {
    return new Cookie(name, value, path, domain, maxAge, v, httpOnly, sameSite);
  }

  public Cookie withSameSite(String v) {
    return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, v);
  }

  public Cookie withPath(String v) {
    return new Cookie(name, value, v, domain, maxAge, secure, httpOnly, sameSite);
  }

  public Cookie withDomain(@Nullable String v) {
    return new Cookie(name, value, path, v, maxAge, secure, httpOnly, sameSite);
  }

  /** The {@code Set-Cookie} header value. */
  public String toHeaderValue() {
    StringBuilder sb = new StringBuilder(name).append('=').append(value).append("; Path=").append(path);
    if (domain != null) {
      sb.append("; Domain=").append(domain);
    }
    if (maxAge != null) {
      sb.append("; Max-Age=").append(Math.max(0, maxAge.toSeconds()));
    }
    if (secure) {
      sb.append("; Secure");
    }
    if (httpOnly) {
      sb.append("; HttpOnly");
    }
    return sb.append("; SameSite=").append(sameSite).toString();
  }

  @Override
  public String toString() {
    return "Cookie[" + name + ", value redacted]";
  }
}
