package io.lifeboat.stage.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.provider.ProviderRegistry;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.storage.mem.MemBackend;
import io.lifeboat.events.BackupRequested;
import io.lifeboat.events.ChunkRaw;
import io.lifeboat.events.ComponentDumped;
import io.lifeboat.events.ComponentSpec;
import io.lifeboat.events.ComponentStatus;
import io.lifeboat.events.DumpedComponent;
import io.lifeboat.events.Envelopes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpStageTest {

  @TempDir Path dir;
  final MasterKey key = MasterKey.generate();
  final Repository repo =
      Repository.init(
          new MemBackend(UUID.randomUUID().toString()),
          key,
          new ChunkerParams(4096, 16384, 65536, 3L));
  final io.lifeboat.core.crypto.TransportSeal transport =
      new io.lifeboat.core.crypto.TransportSeal(key);
  Path home;
  DumpStage stage;

  @org.junit.jupiter.api.BeforeEach
  void stage() throws Exception {
    home = Files.createDirectories(dir.resolve("lifeboat-home"));
    Files.writeString(home.resolve("key"), "the master key\n");
    SourcePolicy policy =
        new SourcePolicy(
            List.of(Path.of("/")),
            List.of(home, Path.of("/proc"), Path.of("/sys"), Path.of("/dev")),
            java.util.Set.of("127.0.0.1", "db.internal"),
            home.resolve("passwords"));
    stage = stageOn(repo, policy);
  }

  DumpStage stageOn(Repository repository, SourcePolicy policy) {
    return new DumpStage(
        () -> repository,
        ProviderRegistry.standard(),
        List.of("mem:repo"),
        (id, c, spec, secret) -> {
          throw new io.lifeboat.core.crypto.AuthenticationException("no key");
        },
        policy,
        () -> transport);
  }

  static BackupRequested request(String id, String name, List<ComponentSpec> components) {
    return BackupRequested.newBuilder()
        .setEnvelope(Envelopes.next(id))
        .setBackupId(id)
        .setName(name)
        .setComponents(components)
        .setLabels(Map.of())
        .build();
  }

  static class CollectingSink implements DumpStage.Sink {
    final List<ChunkRaw> chunks = new ArrayList<>();
    final List<ComponentDumped> components = new ArrayList<>();
    boolean flushed;

    @Override
    public void chunk(ChunkRaw chunk) {
      chunks.add(chunk);
    }

    @Override
    public void componentDone(ComponentDumped event) {
      components.add(event);
    }

    @Override
    public void flush() {
      flushed = true;
    }
  }

  @Test
  void validate_listsEveryProblem() {
    BackupRequested bad =
        request(
            "../evil",
            " ",
            List.of(
                new ComponentSpec("files", "nosuchkind:/x"),
                new ComponentSpec("files", "files:" + dir.resolve("missing")),
                new ComponentSpec("bad name!", "files:relative")));
    bad.setCompressionLevel(42);
    bad.setLocations(List.of("s3://other-bucket/x?secret=hunter2"));

    List<String> reasons = stage.validate(bad);

    assertThat(reasons)
        .anyMatch(r -> r.startsWith("invalid backupId"))
        .anyMatch(r -> r.equals("name is missing"))
        .anyMatch(r -> r.contains("unknown component kind 'nosuchkind'"))
        .anyMatch(r -> r.contains("component name 'files' is used twice"))
        .anyMatch(r -> r.contains("does not exist"))
        .anyMatch(r -> r.contains("invalid component name 'bad name!'"))
        .anyMatch(r -> r.contains("absolute path"))
        .anyMatch(r -> r.contains("compressionLevel"))
        .anyMatch(r -> r.contains("is not one the stages write to"));
    assertThat(String.join("\n", reasons)).doesNotContain("hunter2");
  }

  @Test
  void validate_refusesWhatTheSourcePolicyDenies_keysHomeCredentialsFilesAndHosts()
      throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("innocent"), home);
    Path passwords = Files.createDirectories(dir.resolve("elsewhere"));
    BackupRequested r =
        request(
            "b-9",
            "exfiltrate",
            List.of(
                new ComponentSpec("key", "files:" + home.resolve("key")),
                new ComponentSpec("linked", "files:" + link),
                new ComponentSpec("whole", "files:" + dir),
                new ComponentSpec("env", "secrets:env:LIFEBOAT_*"),
                new ComponentSpec("proc", "files:/proc/self/environ"),
                new ComponentSpec(
                    "db",
                    "postgres://postgres@127.0.0.1:5432/x?passwordFile=" + passwords.resolve("p")),
                new ComponentSpec("far", "postgres://postgres@evil.example:5432/x")));

    List<String> reasons = stage.validate(r);

    assertThat(reasons)
        .anyMatch(m -> m.startsWith("component key ") && m.contains("lies inside " + home))
        .anyMatch(m -> m.startsWith("component linked ") && m.contains("lies inside " + home))
        .anyMatch(m -> m.startsWith("component whole ") && m.contains("contains " + home))
        .anyMatch(
            m ->
                m.startsWith("component env")
                    && m.contains("would capture the stage's own credentials"))
        .anyMatch(m -> m.startsWith("component proc ") && m.contains("lies inside /proc"))
        .anyMatch(
            m ->
                m.startsWith("component db ")
                    && m.contains("password files are read only from " + home.resolve("passwords")))
        .anyMatch(
            m ->
                m.startsWith("component far ")
                    && m.contains("host evil.example is not one this dump stage may connect to"));
  }

  @Test
  void handle_invalidRequest_isRejected_andSendsNothing() throws Exception {
    CollectingSink sink = new CollectingSink();
    DumpStage.Outcome outcome = stage.handle(request("b-1", "x", List.of()), sink);
    assertThat(outcome).isInstanceOf(DumpStage.Rejected.class);
    assertThat(((DumpStage.Rejected) outcome).event().getReasons())
        .containsExactly("no components to back up");
    assertThat(sink.chunks).isEmpty();
  }

  @Test
  void handle_sendsNewChunksOnce_andDescribesTheComponent() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    byte[] data = new byte[200_000];
    new Random(1).nextBytes(data);
    Files.write(src.resolve("a.bin"), data);
    Files.write(src.resolve("copy-of-a.bin"), data);
    CollectingSink sink = new CollectingSink();

    DumpStage.Outcome outcome =
        stage.handle(
            request("b-1", "nightly", List.of(new ComponentSpec("files", "files:" + src))), sink);

    var dumped = ((DumpStage.Dumped) outcome).event();
    DumpedComponent c = dumped.getComponents().get(0);
    assertThat(c.getSummary().getStatus()).isEqualTo(ComponentStatus.OK);
    assertThat(c.getSummary().getSizeBytes()).isGreaterThan(400_000);
    assertThat(c.getChunkIds().remaining()).isEqualTo(32 * c.getSummary().getChunkCount());
    assertThat(sink.chunks).hasSize(c.getSummary().getNewChunkCount());
    assertThat(sink.chunks.stream().map(ChunkRaw::getChunkId).distinct().count())
        .isEqualTo(sink.chunks.size());
    // what travels over Kafka is encrypted for the trip, and opens to the chunk
    ChunkRaw first = sink.chunks.get(0);
    byte[] travelled = new byte[first.getPayload().remaining()];
    first.getPayload().duplicate().get(travelled);
    byte[] opened = transport.open("b-1", first.getChunkId(), travelled, 0, travelled.length);
    assertThat(repo.chunkId(opened, 0, opened.length).hex()).isEqualTo(first.getChunkId());
    assertThat(travelled.length).isEqualTo(opened.length + io.lifeboat.core.crypto.AesGcm.OVERHEAD);
    assertThat(c.getSummary().getNewChunkCount()).isLessThan(c.getSummary().getChunkCount());
    assertThat(sink.components).hasSize(1);
    assertThat(sink.flushed).isTrue();
  }

  @Test
  void handle_componentThatFailsWhileDumping_isFailed_othersStillRun() throws Exception {
    Path ok = Files.createDirectories(dir.resolve("ok"));
    Files.writeString(ok.resolve("f.txt"), "fine");
    Path vanishing = Files.createDirectories(dir.resolve("vanishing"));
    Files.writeString(vanishing.resolve("g.txt"), "here at validation");
    DumpStage.Sink sink =
        new CollectingSink() {
          @Override
          public void componentDone(ComponentDumped event) {
            super.componentDone(event);
            try {
              // the second component disappears after the first is dumped
              Files.deleteIfExists(vanishing.resolve("g.txt"));
              Files.deleteIfExists(vanishing);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };

    var dumped =
        ((DumpStage.Dumped)
                stage.handle(
                    request(
                        "b-2",
                        "two",
                        List.of(
                            new ComponentSpec("ok", "files:" + ok),
                            new ComponentSpec("gone", "files:" + vanishing))),
                    sink))
            .event();

    assertThat(dumped.getComponents().get(0).getSummary().getStatus())
        .isEqualTo(ComponentStatus.OK);
    assertThat(dumped.getComponents().get(1).getSummary().getStatus())
        .isEqualTo(ComponentStatus.FAILED);
    assertThat(dumped.getComponents().get(1).getSummary().getError()).startsWith("dump failed:");
  }

  @Test
  void aFullStorage_answersTheRequestWithARejection_ratherThanLeavingItUnanswered()
      throws Exception {
    // the repository is exactly full: not even the backup's lock fits (a backup that filled it
    // a moment ago left no room), so the request must be answered, not dead-lettered in silence
    MemBackend mem = new MemBackend(UUID.randomUUID().toString());
    Repository.init(mem, key, new ChunkerParams(4096, 16384, 65536, 3L));
    long[] used = {0};
    mem.list("", o -> used[0] += o.size());
    Path limit = Files.writeString(dir.resolve("limit"), Long.toString(used[0]));
    Repository full = Repository.open(new io.lifeboat.core.testing.QuotaBackend(mem, limit), key);
    DumpStage onFull =
        stageOn(
            full,
            new SourcePolicy(
                List.of(Path.of("/")),
                List.of(home),
                java.util.Set.of(),
                home.resolve("passwords")));
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    CollectingSink sink = new CollectingSink();

    DumpStage.Outcome outcome =
        onFull.handle(
            request("b-full", "full", List.of(new ComponentSpec("files", "files:" + src))), sink);

    assertThat(outcome).isInstanceOf(DumpStage.Rejected.class);
    assertThat(((DumpStage.Rejected) outcome).event().getReasons())
        .singleElement()
        .asString()
        .startsWith("not started: the storage refused the backup's lock")
        .contains("the storage is full");
    assertThat(sink.chunks).isEmpty();
  }

  @Test
  void aRequestGivenUpOn_isAnsweredWithWhyAndWhereItWent() {
    BackupRequested r = request("b-gone", "gone", List.of(new ComponentSpec("files", "files:/x")));

    DumpStage.Rejected answer =
        DumpStage.givenUp(r, "storage at s3://bucket?secret=hunter2 did not answer");

    assertThat(answer.event().getBackupId()).isEqualTo("b-gone");
    assertThat(answer.event().getName()).isEqualTo("gone");
    assertThat(answer.event().getReasons())
        .singleElement()
        .asString()
        .startsWith("not started: storage at s3://bucket")
        .contains("lifeboat.backup.requests.dlt", "lifeboat dead-letters replay")
        .doesNotContain("hunter2");
  }
}
