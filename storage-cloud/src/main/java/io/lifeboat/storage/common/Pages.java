package io.lifeboat.storage.common;

import io.lifeboat.core.storage.StorageException;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Walks a paged listing of an SDK that fetches each page when it is asked for, so that starting the
 * listing and every further page can fail alike. Failures of the SDK's type become the {@link
 * StorageException} its backend makes of them; anything else, and anything the page's consumer
 * throws, passes unchanged.
 */
public final class Pages {

  private Pages() {}

  /**
   * Hands {@code each} every page of {@code listing}; a {@code failure} while starting or fetching
   * is thrown as {@code classify} makes it.
   */
  public static <P, E extends RuntimeException> void forEach(
      Supplier<Iterator<P>> listing,
      Class<E> failure,
      Function<E, StorageException> classify,
      Consumer<P> each) {
    Iterator<P> pages;
    try {
      pages = listing.get();
    } catch (RuntimeException e) {
      throw failure.isInstance(e) ? classify.apply(failure.cast(e)) : e;
    }
    while (true) {
      P page;
      try {
        if (!pages.hasNext()) {
          return;
        }
        page = pages.next();
      } catch (RuntimeException e) {
        throw failure.isInstance(e) ? classify.apply(failure.cast(e)) : e;
      }
      each.accept(page);
    }
  }
}
