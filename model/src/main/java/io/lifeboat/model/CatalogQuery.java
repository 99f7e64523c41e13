package io.lifeboat.model;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Filters of GET /api/backups. All optional; null means "any".
 *
 * @param name backup definition name
 * @param component component kind (e.g. files) or component name
 * @param status status
 * @param label {@code key=value}
 * @param from requested at or after
 * @param to requested before
 * @param limit at most this many, newest first
 */
public record CatalogQuery(
    @Nullable String name,
    @Nullable String component,
    @Nullable String status,
    @Nullable String label,
    @Nullable Instant from,
    @Nullable Instant to,
    @Nullable Integer limit) {

  public static CatalogQuery all() {
    return new CatalogQuery(null, null, null, null, null, null, null);
  }

  /** Only backups of this definition name. */
  public CatalogQuery withName(String backupName) {
    return new CatalogQuery(backupName, component, status, label, from, to, limit);
  }

  /** Only backups with this status. */
  public CatalogQuery withStatus(String backupStatus) {
    return new CatalogQuery(name, component, backupStatus, label, from, to, limit);
  }

  /** Only backups with this label ({@code key=value}). */
  public CatalogQuery withLabel(String keyValue) {
    return new CatalogQuery(name, component, status, keyValue, from, to, limit);
  }

  String toQueryString() {
    List<String> parts = new ArrayList<>();
    add(parts, "name", name);
    add(parts, "component", component);
    add(parts, "status", status);
    add(parts, "label", label);
    add(parts, "from", from == null ? null : from.toString());
    add(parts, "to", to == null ? null : to.toString());
    add(parts, "limit", limit == null ? null : limit.toString());
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  private static void add(List<String> parts, String key, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      parts.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
