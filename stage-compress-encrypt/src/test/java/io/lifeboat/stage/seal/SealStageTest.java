package io.lifeboat.stage.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.crypto.TransportSeal;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ChunkSealed;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.InvalidEventException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SealStageTest {

  final MasterKey key = MasterKey.generate();
  final Repository repo =
      Repository.init(
          new MemBackend(UUID.randomUUID().toString()), key, ChunkerParams.defaults(1L));
  final TransportSeal transport = new TransportSeal(key);
  final SealStage stage = new SealStage(() -> repo, () -> transport);

  /** A raw chunk as the dump stage sends it: encrypted for the trip. */
  ChunkRaw raw(String id, byte[] plain) {
    return ChunkRaw.newBuilder()
        .setEnvelope(Envelopes.next("b-1"))
        .setBackupId("b-1")
        .setComponent("files")
        .setChunkId(id)
        .setPayload(ByteBuffer.wrap(transport.seal("b-1", id, plain, 0, plain.length)))
        .build();
  }

  @Test
  void seal_givesTheBytesOfAChunkObject() throws Exception {
    byte[] plain = "configuration line\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
    ChunkId id = repo.chunkId(plain, 0, plain.length);

    ChunkSealed sealed = stage.seal(raw(id.hex(), plain));

    byte[] object = new byte[sealed.getSealed().remaining()];
    sealed.getSealed().get(object);
    assertThat(object.length).isLessThan(plain.length / 5);
    assertThat(repo.openChunk(id, object)).isEqualTo(plain);
    assertThat(sealed.getPlainSize()).isEqualTo(plain.length);
    assertThat(new String(object, StandardCharsets.ISO_8859_1)).doesNotContain("configuration");
  }

  @Test
  void seal_payloadNotMatchingItsId_isInvalid() {
    byte[] plain = "a".getBytes(StandardCharsets.UTF_8);
    String otherId = repo.chunkId(new byte[] {1}, 0, 1).hex();
    assertThatThrownBy(() -> stage.seal(raw(otherId, plain)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("does not match its id");
    assertThatThrownBy(() -> stage.seal(raw("not-hex", plain)))
        .isInstanceOf(InvalidEventException.class);
  }

  @Test
  void seal_aPayloadNotSealedForTheTrip_orMovedToAnotherBackup_isInvalid() {
    byte[] plain = "secret: hunter2\n".getBytes(StandardCharsets.UTF_8);
    String id = repo.chunkId(plain, 0, plain.length).hex();
    ChunkRaw inClear =
        ChunkRaw.newBuilder(raw(id, plain)).setPayload(ByteBuffer.wrap(plain)).build();
    ChunkRaw moved = ChunkRaw.newBuilder(raw(id, plain)).setBackupId("b-2").build();

    assertThatThrownBy(() -> stage.seal(inClear))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("transport key");
    assertThatThrownBy(() -> stage.seal(moved))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("transport key");
  }
}
