package io.lifeboat.core.provider;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The component providers on the classpath, by kind. */
public final class ProviderRegistry {

  private final Map<String, ComponentProvider> providers = new TreeMap<>();
  private final Map<String, ComponentProvider> bySchemes = new TreeMap<>();

  private ProviderRegistry() {}

  public static ProviderRegistry standard() {
    ProviderRegistry r = new ProviderRegistry();
    for (ComponentProvider p : ServiceLoader.load(ComponentProvider.class)) {
      r.register(p);
    }
    return r;
  }

  public static ProviderRegistry of(ComponentProvider... list) {
    ProviderRegistry r = new ProviderRegistry();
    for (ComponentProvider p : list) {
      r.register(p);
    }
    return r;
  }

  public void register(ComponentProvider provider) {
    if (providers.putIfAbsent(provider.kind(), provider) != null) {
      throw new IllegalStateException("two providers of kind " + provider.kind());
    }
    for (String scheme : provider.schemes()) {
      if (bySchemes.putIfAbsent(scheme, provider) != null) {
        throw new IllegalStateException("two providers for " + scheme + ":");
      }
    }
  }

  /** The provider of a kind. @throws InvalidSourceException naming the known kinds */
  public ComponentProvider byKind(String kind) throws InvalidSourceException {
    ComponentProvider p = providers.get(kind);
    if (p == null) {
      throw new InvalidSourceException(
          "unknown component kind '"
              + kind
              + "' (known: "
              + String.join(", ", providers.keySet())
              + ")");
    }
    return p;
  }

  /** The provider a spec's prefix names, without parsing (or reading anything for) the spec. */
  public ComponentProvider forSpec(String spec) throws InvalidSourceException {
    int colon = spec == null ? -1 : spec.indexOf(':');
    ComponentProvider p = colon <= 0 ? null : bySchemes.get(spec.substring(0, colon));
    if (p == null) {
      return byKind(colon <= 0 ? String.valueOf(spec) : spec.substring(0, colon));
    }
    return p;
  }

  /** Parses a spec with the provider its prefix names. */
  public ComponentSource parse(String spec) throws InvalidSourceException {
    if (spec == null || spec.isBlank()) {
      throw new InvalidSourceException("empty component spec");
    }
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new InvalidSourceException(
          "component spec must look like KIND:WHERE (e.g. files:/etc/myapp), got '"
              + Redact.spec(spec)
              + "'");
    }
    String scheme = spec.substring(0, colon);
    ComponentProvider p = bySchemes.get(scheme);
    if (p == null) {
      throw new InvalidSourceException(
          "unknown component kind '"
              + Redact.spec(scheme)
              + "' (known: "
              + String.join(", ", bySchemes.keySet())
              + ")");
    }
    return p.parse(spec);
  }

  public java.util.Set<String> kinds() {
    return java.util.Collections.unmodifiableSet(providers.keySet());
  }
}
