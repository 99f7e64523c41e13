package io.lifeboat.core.provider;

import java.util.List;
import java.util.Map;

/**
 * What a provider reports after writing a component stream.
 *
 * @param metadata facts for the catalog and health checks (counts, versions)
 * @param warnings things skipped or odd; any warning makes the component PARTIAL
 */
public record DumpResult(Map<String, String> metadata, List<String> warnings) {
  public DumpResult {
    metadata = Map.copyOf(metadata);
    warnings = List.copyOf(warnings);
  }
}
