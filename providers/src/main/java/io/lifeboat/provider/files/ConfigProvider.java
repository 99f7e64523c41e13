package io.lifeboat.provider.files;

/**
 * {@code config:/etc/myapp}: configuration files, validated while they are dumped. YAML, JSON,
 * properties and TOML files are parsed; a file that does not parse is still backed up, but makes
 * the component PARTIAL with the file and the parse error named.
 */
public final class ConfigProvider extends TreeProvider {
  public ConfigProvider() {
    super("config");
  }

  @Override
  ContentInspector inspector() {
    return new ConfigValidator();
  }
}
