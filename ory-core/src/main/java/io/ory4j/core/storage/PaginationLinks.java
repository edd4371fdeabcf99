package io.ory4j.core.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code Link} header of Ory's token pagination: a {@code first} link, and a {@code next} link when there
 * is a next page, each repeating the list's other query parameters.
 */
public final class PaginationLinks {
  private PaginationLinks() {}

  /**
   * The {@code Link} header value.
   *
   * @param path the list's path, such as {@code /admin/clients}
   * @param query the other query parameters (filters) to repeat, in order
   */
  public static String linkHeader(String path, Map<String, String> query, int pageSize, Page<?> page) {
    List<String> links = new ArrayList<>();
    links.add("<" + url(path, query, pageSize, null) + ">; rel=\"first\"");
    page.next().ifPresent(t -> links.add("<" + url(path, query, pageSize, t) + ">; rel=\"next\""));
    return String.join(",", links);
  }

  private static String url(String path, Map<String, String> query, int pageSize, @org.jspecify.annotations.Nullable String token) {
    StringBuilder sb = new StringBuilder(path).append('?');
    query.forEach((k, v) -> {
      if (!"page_size".equals(k) && !"page_token".equals(k) && v != null) {
        sb.append(enc(k)).append('=').append(enc(v)).append('&');
      }
    });
    sb.append("page_size=").append(pageSize);
    if (token != null) {
      sb.append("&page_token=").append(enc(token));
    }
    return sb.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
