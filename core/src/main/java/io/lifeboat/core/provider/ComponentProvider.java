package io.lifeboat.core.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Turns one kind of source (a folder tree, a database, a keyspace) into a byte stream and back.
 * The pipeline chunks, seals and stores the stream; a restore feeds the same stream back in.
 * Implementations are found with {@link java.util.ServiceLoader} and must pass
 * {@code ComponentProviderContractTest}.
 */
public interface ComponentProvider {

  /** The kind, which is also the spec prefix: {@code files} for {@code files:/path}. */
  String kind();

  /** Parses a spec of this kind. @throws InvalidSourceException with the reason */
  ComponentSource parse(String spec) throws InvalidSourceException;

  /**
   * Problems that would stop a dump of this source right now (missing path, unreadable folder,
   * unreachable server), each a sentence. Empty when the source is ready.
   */
  List<String> check(ComponentSource source);

  /**
   * Writes the component stream. Must be deterministic: dumping an unchanged source twice writes
   * the same bytes (so nothing new is stored).
   */
  DumpResult dump(ComponentSource source, OutputStream out) throws IOException;

  /**
   * Problems that would stop a restore into the target (not empty without overwrite, not
   * writable), each a sentence. Checked for every component before anything is written.
   */
  List<String> checkTarget(RestoreTarget target);

  /**
   * Restores a stream written by {@link #dump} into the target.
   *
   * @param metadata what the dump reported, for checks
   */
  void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException;
}
