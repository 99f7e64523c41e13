package io.lifeboat.scheduler.topology;

import io.lifeboat.scheduler.RunState;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** {@link RunState} as JSON in the scheduler's store and its changelog. */
final class RunStateSerde implements Serde<RunState> {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public Serializer<RunState> serializer() {
    return (topic, state) ->
        state == null ? null : JSON.writeValueAsString(state).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Deserializer<RunState> deserializer() {
    return (String topic, byte @Nullable [] bytes) ->
        bytes == null ? null : JSON.readValue(bytes, RunState.class);
  }
}
