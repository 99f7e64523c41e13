package io.lifeboat.core.provider;

import java.util.List;

/**
 * What a post-restore health check found.
 *
 * @param checks what was checked and passed, one line each (e.g. "table public.orders: 200000
 *     rows")
 * @param problems what did not match, one line each; empty when healthy
 */
public record HealthReport(List<String> checks, List<String> problems) {

  public HealthReport {
    checks = List.copyOf(checks);
    problems = List.copyOf(problems);
  }

  public boolean healthy() {
    return problems.isEmpty();
  }
}
