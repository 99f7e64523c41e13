package io.lifeboat.provider.files;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.toml.TomlMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses configuration files by extension and says what is wrong with the ones that do not parse.
 */
final class ConfigValidator implements ContentInspector {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();
  private static final ObjectMapper TOML = TomlMapper.builder().build();

  @Override
  public boolean wants(String name) {
    return format(name) != null;
  }

  private static @Nullable String format(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".yaml") || n.endsWith(".yml")) {
      return "YAML";
    }
    if (n.endsWith(".json")) {
      return "JSON";
    }
    if (n.endsWith(".properties")) {
      return "properties";
    }
    if (n.endsWith(".toml")) {
      return "TOML";
    }
    return null;
  }

  @Override
  public Optional<String> inspect(String name, byte[] content) {
    String format = format(name);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
      switch (Objects.requireNonNull(format)) { // only asked about names it wants
        case "YAML" -> {
          try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNextValue()) {
              docs.nextValue();
            }
          }
        }
        case "JSON" -> JSON.readTree(text);
        case "TOML" -> TOML.readTree(text);
        case "properties" -> new Properties().load(new StringReader(text));
        default -> {}
      }
      return Optional.empty();
    } catch (CharacterCodingException e) {
      return Optional.of("invalid " + format + ": not UTF-8 text");
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      String where =
          at == null || at.getLineNr() < 0
              ? ""
              : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return Optional.of("invalid " + format + where + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of("invalid " + format + ": " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
