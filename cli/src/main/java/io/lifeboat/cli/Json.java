package io.lifeboat.cli;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** JSON for --json output: one object per line. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static String line(Object value) {
    return MAPPER.writeValueAsString(value);
  }
}
