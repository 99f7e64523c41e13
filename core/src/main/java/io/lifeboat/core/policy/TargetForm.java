package io.lifeboat.core.policy;

import io.lifeboat.core.provider.ComponentProvider;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a kind writes its targets, as its provider reads them: a folder (the whole spec is its path,
 * unless the kind names options it takes after a {@code ?}) or a server URI. The target policy
 * judges a target in the same form the provider will use it, never by how the text looks.
 *
 * @param folder the target is a folder (or file) path
 * @param options for a folder: the options whoever restores may give after {@code ?}, each with the
 *     pattern its value must match (empty: a {@code ?} is refused)
 * @param defaultPort for a server: the port a URI without one means
 */
public record TargetForm(boolean folder, Map<String, Pattern> options, int defaultPort) {

  public TargetForm {
    options = Map.copyOf(options);
  }

  /** The form a provider reads its targets in. */
  public static TargetForm of(ComponentProvider provider) {
    return new TargetForm(
        provider.restoresToFolder(), provider.targetOptions(), provider.defaultPort());
  }

  /** A folder whose whole spec is its path. */
  public static final TargetForm FOLDER = new TargetForm(true, Map.of(), 0);

  /**
   * The path of a folder target: the whole spec, or for a kind with options the part before its
   * {@code ?}.
   */
  public String path(String target) {
    int q = options.isEmpty() ? -1 : target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }
}
