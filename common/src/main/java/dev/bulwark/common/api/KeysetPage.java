package dev.bulwark.common.api;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a keyset listing and the cursor of the next. Every listing reads {@link
 * #rowsToRead(int)} rows in its order, one more than the page holds: the extra row says whether a
 * next page exists, without counting; the next page starts after the page's last row.
 *
 * @param items at most the page's limit of rows, in listing order
 * @param next the cursor after the last item, when more rows follow
 */
public record KeysetPage<T, C>(List<T> items, Optional<C> next) {

  public KeysetPage {
    items = List.copyOf(items);
  }

  /** How many rows a store reads for a page of {@code limit}. */
  public static int rowsToRead(int limit) {
    return Math.addExact(limit, 1);
  }

  /**
   * The page of {@code limit} cut from {@code rows} (read with {@link #rowsToRead(int)}), with the
   * cursor {@code cursorAfter} gives for its last item when {@code rows} held more.
   */
  public static <T, C> KeysetPage<T, C> of(
      List<T> rows, int limit, Function<? super T, ? extends C> cursorAfter) {
    if (limit < 1) {
      throw new IllegalArgumentException("a page holds at least one row, limit was " + limit);
    }
    if (rows.size() <= limit) {
      return new KeysetPage<>(rows, Optional.empty());
    }
    List<T> page = rows.subList(0, limit);
    return new KeysetPage<>(page, Optional.of(cursorAfter.apply(page.get(limit - 1))));
  }

  /** The same page with each item mapped; the cursor stays. */
  public <U> KeysetPage<U, C> map(Function<? super T, ? extends U> mapper) {
    return new KeysetPage<>(items.stream().<U>map(mapper).toList(), next);
  }
}
