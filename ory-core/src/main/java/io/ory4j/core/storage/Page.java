package io.ory4j.core.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list.
 *
 * @param items the items, in the list's order
 * @param nextPageToken the token of the next page, or null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextPageToken) {

  public Page {
    items = List.copyOf(items);
  }

  /** The next page's token, if there is a next page. */
  public Optional<String> next() {
    return Optional.ofNullable(nextPageToken);
  }

  /** The same page with its items mapped. */
  public <R> Page<R> map(Function<? super T, ? extends R> f) {
    return new Page<>(items.stream().<R>map(f).toList(), nextPageToken);
  }

  /**
   * Builds a page from up to {@code pageSize + 1} items fetched in key order: when there is one more than the page
   * size, the page is full and the token is the key of its last item.
   */
  public static <T> Page<T> fromOverfetch(List<T> fetched, int pageSize, Function<T, String> key) {
    if (fetched.size() > pageSize) {
      List<T> page = fetched.subList(0, pageSize);
      return new Page<>(page, PageToken.encode(key.apply(page.get(pageSize - 1))));
    }
    return new Page<>(fetched, null);
  }
}
