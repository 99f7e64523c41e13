package io.lifeboat.core.repo;

import io.lifeboat.core.crypto.MasterKey;
import io.lifeboat.core.json.Json;
import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.ObjectNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The key slots of a repository location: {@code keys/<id>} (one per master key that may open it),
 * and {@code keys-retired/<id>} (a tombstone: that key no longer opens it, whatever copies of its
 * slot remain). The slot in the config object ({@code k1}, from {@code init}) counts as a slot too;
 * it is retired by a tombstone only (the config is never rewritten).
 */
public final class KeySlots {

  /** The id of the slot that lives in the config object. */
  public static final String CONFIG_SLOT = "k1";

  /** A retired slot: when, and why (no secret). */
  public record Tombstone(String id, Instant retiredAt, String reason) {}

  private KeySlots() {}

  /** The id of {@code key}'s slot in the repository {@code repositoryId}. */
  public static String slotId(MasterKey key, String repositoryId) {
    return HexFormat.of().formatHex(key.derive("key slot " + repositoryId)).substring(0, 16);
  }

  /** The slot object of {@code key} at this location, if there is one. */
  public static Optional<KeySlot> slotOf(Backend backend, MasterKey key, String repositoryId) {
    try {
      byte[] json = backend.get(RepositoryLayout.KEYS + slotId(key, repositoryId));
      return Optional.of(Json.MAPPER.readValue(json, KeySlot.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Every slot object at this location (not the config's), by id. */
  public static Map<String, KeySlot> list(Backend backend) {
    return readAll(backend, RepositoryLayout.KEYS, KeySlot.class, KeySlot::id);
  }

  /** The tombstones at this location, by slot id. */
  public static Map<String, Tombstone> retired(Backend backend) {
    return readAll(backend, RepositoryLayout.KEYS_RETIRED, Tombstone.class, Tombstone::id);
  }

  /** The JSON objects under {@code prefix}, by their id (one removed meanwhile is left out). */
  private static <T> Map<String, T> readAll(
      Backend backend, String prefix, Class<T> type, java.util.function.Function<T, String> id) {
    List<String> names = new ArrayList<>();
    backend.list(prefix, o -> names.add(o.name()));
    Map<String, T> out = new LinkedHashMap<>();
    for (String name : names) {
      try {
        T value = Json.MAPPER.readValue(backend.get(name), type);
        out.put(id.apply(value), value);
      } catch (ObjectNotFoundException e) {
        // removed meanwhile
      }
    }
    return out;
  }

  /**
   * Writes {@code key}'s slot at this location (the data keys wrapped under it), unless it is there
   * already, and reads it back: it must open to the same data keys.
   *
   * @throws IllegalStateException when the slot there does not open with {@code key}
   */
  static KeySlot add(
      Backend backend, RepositoryConfig config, RepositoryKeys keys, MasterKey key, String label) {
    String id = slotId(key, config.id());
    byte[] wrapped = key.wrap(keys.toBytes(), Repository.keyContext(config.id()));
    KeySlot slot =
        new KeySlot(
            KeySlot.FORMAT,
            config.id(),
            id,
            label,
            Instant.now(),
            Base64.getEncoder().encodeToString(wrapped));
    backend.putIfAbsent(
        RepositoryLayout.KEYS + id,
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(slot));
    KeySlot stored = slotOf(backend, key, config.id()).orElseThrow();
    try {
      byte[] material =
          key.unwrap(
              Base64.getDecoder().decode(stored.wrapped()), Repository.keyContext(config.id()));
      if (!java.util.Arrays.equals(material, keys.toBytes())) {
        throw new IllegalStateException(
            "the key slot " + id + " at " + backend.location() + " holds other keys");
      }
    } catch (io.lifeboat.core.crypto.AuthenticationException e) {
      throw new IllegalStateException(
          "the key slot " + id + " at " + backend.location() + " does not open with its key", e);
    }
    return stored;
  }

  /**
   * Gives {@code extra} its own slot at every location (a second holder: a key kept in a vault
   * opens the repository too, and survives rotations of {@code current}).
   *
   * @return the new slot's id
   */
  public static String addKey(
      List<Backend> locations, MasterKey current, MasterKey extra, String label)
      throws RepositoryNotFoundException, WrongKeyException {
    Repository primary = Repository.open(locations.get(0), current);
    for (Backend b : locations) {
      Repository.open(b, current); // every location opens before any is changed
    }
    for (Backend b : locations) {
      add(b, primary.config(), primary.keys(), extra, label);
    }
    return slotId(extra, primary.config().id());
  }

  /**
   * Retires a slot at this location: the tombstone first (from then on the key is refused here),
   * then the slot object, if any, is deleted.
   */
  static void retire(Backend backend, String id, String reason) {
    byte[] tombstone = Json.MAPPER.writeValueAsBytes(new Tombstone(id, Instant.now(), reason));
    backend.putIfAbsent(RepositoryLayout.KEYS_RETIRED + id, tombstone);
    if (!id.equals(CONFIG_SLOT)) {
      backend.delete(RepositoryLayout.KEYS + id);
    }
  }

  static @Nullable Tombstone tombstone(Backend backend, String id) {
    try {
      return Json.MAPPER.readValue(
          backend.get(RepositoryLayout.KEYS_RETIRED + id), Tombstone.class);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
