package io.lifeboat.catalog.query;

import io.lifeboat.events.CatalogEntry;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which backups a list query wants. Null fields match anything, except that archived WAL files
 * (names {@code wal.SOURCE}) are listed only when the name or the component ({@code walseg}) asks
 * for them.
 *
 * @param name exact backup definition name
 * @param component component kind or name
 * @param status status, case-insensitive
 * @param label {@code key=value}
 * @param from requested at or after
 * @param to requested before
 * @param limit at most this many
 */
public record BackupFilter(
    @Nullable String name,
    @Nullable String component,
    @Nullable String status,
    @Nullable String label,
    @Nullable Instant from,
    @Nullable Instant to,
    int limit) {

  /** The statuses a backup can have in the catalog. */
  public static final java.util.List<String> STATUSES =
      java.util.List.of(
          "UNKNOWN",
          "REQUESTED",
          "RUNNING",
          "SUCCESS",
          "PARTIAL",
          "FAILED",
          "REJECTED",
          "CANCELLED",
          "DELETED");

  public BackupFilter {
    if (label != null && !label.contains("=")) {
      throw new IllegalArgumentException(
          "label filter must be key=value, got " + io.lifeboat.model.Quoted.brief(label));
    }
    if (status != null && status.isBlank()) {
      status = null;
    }
    if (status != null) {
      String upper = status.trim().toUpperCase(java.util.Locale.ROOT);
      if (!STATUSES.contains(upper)) {
        throw new IllegalArgumentException(
            "status must be one of "
                + STATUSES
                + ", got "
                + io.lifeboat.model.Quoted.brief(status));
      }
      status = upper;
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  public boolean matches(CatalogEntry e) {
    if (name != null && !name.equals(e.getName())) {
      return false;
    }
    if (name == null && component == null && e.getName().startsWith("wal.")) {
      // archived PostgreSQL WAL files (lifeboat wal push): one per segment, listed only when asked
      // for by name (wal.SOURCE) or component (walseg)
      return false;
    }
    if (status != null && !status.equalsIgnoreCase(e.getStatus())) {
      return false;
    }
    if (label != null) {
      int eq = label.indexOf('=');
      if (!label.substring(eq + 1).equals(e.getLabels().get(label.substring(0, eq)))) {
        return false;
      }
    }
    if (component != null
        && e.getComponents().stream()
            .noneMatch(c -> component.equals(c.getKind()) || component.equals(c.getName()))
        && e.getComponentSpecs().stream()
            .noneMatch(
                s -> component.equals(s.getName()) || s.getSource().startsWith(component + ":"))) {
      return false;
    }
    Instant when = e.getRequestedAt() != null ? e.getRequestedAt() : e.getUpdatedAt();
    if (from != null && when.isBefore(from)) {
      return false;
    }
    return to == null || when.isBefore(to);
  }
}
