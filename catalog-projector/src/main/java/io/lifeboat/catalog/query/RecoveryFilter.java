package io.lifeboat.catalog.query;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.events.RecoveryMode;
import io.lifeboat.events.RecoveryStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which recovery executions a list query wants. Null fields match anything.
 *
 * @param plan exact plan name
 * @param mode EXECUTE, TEST, VALIDATE or ROLLBACK, case-insensitive
 * @param status a {@link RecoveryStatus}, case-insensitive
 * @param from requested at or after
 * @param to requested before
 * @param limit at most this many
 */
public record RecoveryFilter(
    @Nullable String plan,
    @Nullable String mode,
    @Nullable String status,
    @Nullable Instant from,
    @Nullable Instant to,
    int limit) {

  public RecoveryFilter {
    mode = symbol("mode", mode, RecoveryMode.values());
    status = symbol("status", status, RecoveryStatus.values());
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  public boolean matches(RecoveryExecution x) {
    if (plan != null && !plan.equals(x.getPlanName())) {
      return false;
    }
    if (mode != null && !mode.equals(x.getMode().name())) {
      return false;
    }
    if (status != null && !status.equals(x.getStatus().name())) {
      return false;
    }
    if (from != null && x.getRequestedAt().isBefore(from)) {
      return false;
    }
    return to == null || x.getRequestedAt().isBefore(to);
  }

  /**
   * The enum symbol named by value (upper-cased), null for none; an unknown one is a bad filter.
   */
  private static @Nullable String symbol(String param, @Nullable String value, Enum<?>[] symbols) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String upper = value.trim().toUpperCase(Locale.ROOT);
    if (Arrays.stream(symbols).noneMatch(s -> s.name().equals(upper))) {
      throw new IllegalArgumentException(
          param
              + " must be one of "
              + Arrays.stream(symbols).map(Enum::name).toList()
              + ", got "
              + io.lifeboat.model.Quoted.brief(value));
    }
    return upper;
  }
}
