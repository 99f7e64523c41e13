package io.lifeboat.core.repo;

import io.lifeboat.core.chunk.ChunkerParams;
import io.lifeboat.core.crypto.AuthenticationException;
import io.lifeboat.core.crypto.ChunkId;
import io.lifeboat.core.crypto.ChunkIdHasher;
import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.crypto.SegmentedAead;
import io.lifeboat.core.json.Json;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;

/**
 * An opened repository: a backend plus the unwrapped keys. Seals and opens chunk and manifest
 * objects (see {@link SealedObjects}) and knows where they live ({@link RepositoryLayout}).
 * Thread-safe.
 */
public final class Repository {

  private final Backend backend;
  private final RepositoryConfig config;
  private final ChunkerParams chunkerParams;
  private final ChunkIdHasher hasher;
  private final SealedObjects sealer;

  private final String slotId;
  private final RepositoryKeys keys;

  private Repository(Backend backend, RepositoryConfig config, RepositoryKeys keys, String slotId) {
    this.slotId = slotId;
    this.keys = keys;
    this.backend = backend;
    this.config = config;
    RepositoryConfig.ChunkerSizes s = config.chunker();
    this.chunkerParams = new ChunkerParams(s.minSize(), s.avgSize(), s.maxSize(), keys.chunkerSeed);
    this.hasher = new ChunkIdHasher(keys.macKey);
    this.sealer = new SealedObjects(new SegmentedAead(keys.dataKey));
  }

  /**
   * Creates a repository at the backend, with new data keys wrapped under {@code masterKey}.
   *
   * @throws IllegalStateException when one exists there already
   */
  public static Repository init(Backend backend, MasterKey masterKey, ChunkerParams params) {
    String id = UUID.randomUUID().toString();
    RepositoryKeys keys = RepositoryKeys.generate(params.seed());
    byte[] wrapped = masterKey.wrap(keys.toBytes(), keyContext(id));
    RepositoryConfig config =
        new RepositoryConfig(
            RepositoryConfig.FORMAT,
            RepositoryConfig.VERSION,
            id,
            Instant.now(),
            new RepositoryConfig.ChunkerSizes(params.minSize(), params.avgSize(), params.maxSize()),
            "AES-256-GCM",
            "HMAC-SHA-256",
            "zstd",
            List.of(
                new RepositoryConfig.WrappedKey(
                    "k1", Instant.now(), Base64.getEncoder().encodeToString(wrapped))));
    byte[] json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config);
    // With retries, false can also mean "written by an earlier attempt whose answer was lost":
    // then the object holds exactly our bytes.
    if (!backend.putIfAbsent(RepositoryLayout.CONFIG, json)
        && !java.util.Arrays.equals(backend.get(RepositoryLayout.CONFIG), json)) {
      throw new IllegalStateException("a repository exists already at " + backend.location());
    }
    return new Repository(backend, config, keys, KeySlots.CONFIG_SLOT);
  }

  /**
   * Opens an existing repository with {@code masterKey}: its slot object ({@code keys/<id>}), else
   * the slot in the config. A key whose slot is retired ({@code keys-retired/<id>}) is refused.
   */
  public static Repository open(Backend backend, MasterKey masterKey)
      throws RepositoryNotFoundException, WrongKeyException {
    RepositoryConfig config = readConfig(backend);
    java.util.Optional<KeySlot> own = KeySlots.slotOf(backend, masterKey, config.id());
    List<String[]> candidates = new ArrayList<>(); // slot id, wrapped
    own.filter(k -> k.repository().equals(config.id()))
        .ifPresent(k -> candidates.add(new String[] {k.id(), k.wrapped()}));
    for (RepositoryConfig.WrappedKey slot : config.keys()) {
      candidates.add(new String[] {slot.id(), slot.wrapped()});
    }
    for (String[] slot : candidates) {
      byte[] material;
      try {
        material = masterKey.unwrap(Base64.getDecoder().decode(slot[1]), keyContext(config.id()));
      } catch (AuthenticationException | IllegalArgumentException e) {
        continue; // try the next slot
      }
      KeySlots.Tombstone retired = KeySlots.tombstone(backend, slot[0]);
      if (retired != null) {
        throw retiredKey(masterKey, backend, retired);
      }
      return new Repository(backend, config, RepositoryKeys.fromBytes(material), slot[0]);
    }
    KeySlots.Tombstone erased =
        KeySlots.tombstone(backend, KeySlots.slotId(masterKey, config.id()));
    if (erased != null) {
      throw retiredKey(masterKey, backend, erased);
    }
    throw new WrongKeyException(
        "the master key from "
            + masterKey.source()
            + " does not open the repository at "
            + backend.location()
            + " (wrong key file or LIFEBOAT_MASTER_KEY?)");
  }

  private static WrongKeyException retiredKey(
      MasterKey masterKey, Backend backend, KeySlots.Tombstone tombstone) {
    return new WrongKeyException(
        "the master key from "
            + masterKey.source()
            + " was retired from the repository at "
            + backend.location()
            + " on "
            + tombstone.retiredAt()
            + " ("
            + tombstone.reason()
            + "): use the current key");
  }

  /**
   * Makes {@code replica} a copy of the repository at {@code primary}: writes the primary's config
   * object there unless it holds one already, which must then be the same repository.
   *
   * @return true when the config was written now
   */
  public static boolean initReplica(Backend primary, Backend replica)
      throws RepositoryNotFoundException {
    RepositoryConfig config = readConfig(primary);
    if (replica.putIfAbsent(RepositoryLayout.CONFIG, primary.get(RepositoryLayout.CONFIG))) {
      copyKeySlots(primary, replica);
      return true;
    }
    RepositoryConfig other = readConfig(replica);
    if (!other.id().equals(config.id())) {
      throw new IllegalStateException(
          replica.location()
              + " holds another repository ("
              + other.id()
              + ") than "
              + primary.location()
              + " ("
              + config.id()
              + ")");
    }
    copyKeySlots(primary, replica);
    return false;
  }

  /** Copies the primary's tombstones, then its key slots, where the replica lacks them. */
  private static void copyKeySlots(Backend primary, Backend replica) {
    for (String prefix : List.of(RepositoryLayout.KEYS_RETIRED, RepositoryLayout.KEYS)) {
      List<String> names = new ArrayList<>();
      primary.list(prefix, o -> names.add(o.name()));
      for (String name : names) {
        try {
          replica.putIfAbsent(name, primary.get(name));
        } catch (ObjectNotFoundException e) {
          // removed meanwhile (a slot retired)
        }
      }
    }
  }

  /** Reads the plain config, without any key: enough to tell a repository is there. */
  public static RepositoryConfig readConfig(Backend backend) throws RepositoryNotFoundException {
    byte[] json;
    try {
      json = backend.get(RepositoryLayout.CONFIG);
    } catch (ObjectNotFoundException e) {
      throw new RepositoryNotFoundException(backend.location());
    }
    RepositoryConfig config;
    try {
      config = Json.MAPPER.readValue(json, RepositoryConfig.class);
    } catch (JacksonException e) {
      throw new IllegalStateException(
          "the config object at " + backend.location() + " is not a Lifeboat repository config");
    }
    if (!RepositoryConfig.FORMAT.equals(config.format())
        || config.version() > RepositoryConfig.VERSION) {
      throw new IllegalStateException(
          "unsupported repository format "
              + config.format()
              + " v"
              + config.version()
              + " at "
              + backend.location());
    }
    return config;
  }

  /** The id of the key slot this repository was opened through. */
  public String slotId() {
    return slotId;
  }

  /** The unwrapped data keys: to wrap them under another master key (a new slot). */
  RepositoryKeys keys() {
    return keys;
  }

  static String keyContext(String repositoryId) {
    return "lifeboat-repository-keys-v1:" + repositoryId;
  }

  public Backend backend() {
    return backend;
  }

  public RepositoryConfig config() {
    return config;
  }

  public ChunkerParams chunkerParams() {
    return chunkerParams;
  }

  public ChunkId chunkId(byte[] data, int off, int len) {
    return hasher.idOf(data, off, len);
  }

  /** Seals plaintext into the bytes of a chunk object. */
  public byte[] sealChunk(ChunkId id, byte[] plain, int off, int len, int level) {
    return sealer.seal(id.bytes(), plain, off, len, level);
  }

  /**
   * Opens the bytes of a chunk object and checks the plaintext matches its id.
   *
   * @throws DamagedObjectException when the object is altered, undecodable or another chunk
   */
  public byte[] openChunk(ChunkId id, byte[] sealed) throws DamagedObjectException {
    String name = RepositoryLayout.chunk(id);
    byte[] plain = sealer.open(name, id.bytes(), sealed);
    if (!hasher.idOf(plain).equals(id)) {
      throw new DamagedObjectException(name, "content does not match its id");
    }
    return plain;
  }

  /** Reads, authenticates and opens a chunk. */
  public byte[] loadChunk(ChunkId id) throws DamagedObjectException {
    return openChunk(id, backend.get(RepositoryLayout.chunk(id)));
  }

  /** Writes a sealed chunk unless present. @return true when written now */
  public boolean storeChunk(ChunkId id, byte[] sealed) {
    return backend.putIfAbsent(RepositoryLayout.chunk(id), sealed);
  }

  public boolean hasChunk(ChunkId id) {
    return backend.exists(RepositoryLayout.chunk(id));
  }

  /** Every chunk id in the repository (one listing). */
  public Set<ChunkId> listChunks() {
    Set<ChunkId> ids = new HashSet<>();
    backend.list(
        RepositoryLayout.CHUNKS,
        o -> {
          String name = o.name();
          String hex = name.substring(name.lastIndexOf('/') + 1);
          if (hex.length() == ChunkId.BYTES * 2) {
            ids.add(ChunkId.parse(hex));
          }
        });
    return ids;
  }

  /** Seals a manifest (bound to its backup id). */
  public byte[] sealManifest(Manifest manifest) {
    byte[] json = Json.MAPPER.writeValueAsBytes(manifest);
    return sealer.seal(manifestBinding(manifest.backupId()), json, 0, json.length, 3);
  }

  /**
   * Writes a sealed manifest to a backend (this repository's, or a replica).
   *
   * @return true when written now, false when it was there already
   */
  public static boolean storeManifest(Backend target, String backupId, byte[] sealed) {
    return target.putIfAbsent(RepositoryLayout.manifest(backupId), sealed);
  }

  public Manifest readManifest(String backupId) throws DamagedObjectException {
    String name = RepositoryLayout.manifest(backupId);
    byte[] json = sealer.open(name, manifestBinding(backupId), backend.get(name));
    try {
      Manifest m = Json.MAPPER.readValue(json, Manifest.class);
      if (!m.backupId().equals(backupId)) {
        throw new DamagedObjectException(name, "belongs to backup " + m.backupId());
      }
      return m;
    } catch (JacksonException e) {
      throw new DamagedObjectException(name, "not a readable manifest");
    }
  }

  public boolean hasManifest(String backupId) {
    return backend.exists(RepositoryLayout.manifest(backupId));
  }

  /** Backup ids with a manifest. */
  public List<String> listManifests() {
    return listManifests("");
  }

  /** Backup ids with a manifest that start with {@code idPrefix} (one listing of that prefix). */
  public List<String> listManifests(String idPrefix) {
    List<String> ids = new ArrayList<>();
    backend.list(
        RepositoryLayout.MANIFESTS + idPrefix,
        o -> ids.add(o.name().substring(RepositoryLayout.MANIFESTS.length())));
    ids.sort(null);
    return ids;
  }

  private static byte[] manifestBinding(String backupId) {
    return ("lifeboat-manifest-v1:" + Objects.requireNonNull(backupId))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 (hex) of bytes, e.g. of a sealed manifest as stored. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Repository[" + backend.location() + "]";
  }
}
