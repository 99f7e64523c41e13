package io.lifeboat.core.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one kind of source (a folder tree, a database, a keyspace) into a byte stream and back. The
 * pipeline chunks, seals and stores the stream; a restore feeds the same stream back in.
 * Implementations are found with {@link java.util.ServiceLoader} and must pass {@code
 * ComponentProviderContractTest}.
 */
public interface ComponentProvider {

  /** The kind, which is also the spec prefix: {@code files} for {@code files:/path}. */
  String kind();

  /** Spec prefixes this provider accepts (before the first ':'); by default its kind. */
  default java.util.Set<String> schemes() {
    return java.util.Set.of(kind());
  }

  /**
   * Whether this kind restores into a folder (so a folder per component can be its default target).
   */
  default boolean restoresToFolder() {
    return false;
  }

  /**
   * For a folder kind: the options a restore target may carry after {@code ?} that whoever restores
   * may choose, each with the pattern its value must match. Empty (the default): the whole target
   * is a path, and a {@code ?} in it is refused.
   */
  default Map<String, java.util.regex.Pattern> targetOptions() {
    return Map.of();
  }

  /**
   * For a folder kind: users besides this process's and root who may own the folders above a
   * target, because the restore hands the target to them anyway (the user a restored server runs
   * as). Empty by default.
   */
  default java.util.Set<String> trustedOwners(RestoreTarget target) {
    return java.util.Set.of();
  }

  /**
   * For a folder kind: the folder the restore writes in, which the restore makes and which must be
   * its own (see {@code Restorer.secureFolder}); by default the target's parent (the provider makes
   * or moves aside the target itself). A kind that writes files into an existing target folder
   * names that folder. Null: none.
   */
  default java.nio.file.@org.jspecify.annotations.Nullable Path restoreFolder(
      java.nio.file.Path target) {
    return target.getParent();
  }

  /** For a server kind: the port a target URI without one connects to; 0 for folder kinds. */
  default int defaultPort() {
    return 0;
  }

  /**
   * The folder (or file) a source of this kind reads, exactly as {@link #parse} will read it, or
   * empty when it reads no folder (a server, the environment). Reads nothing: the dump stage's
   * source policy judges it before anything is opened.
   *
   * @throws InvalidSourceException when the spec does not parse
   */
  default java.util.Optional<java.nio.file.Path> sourceFolder(String spec)
      throws InvalidSourceException {
    return java.util.Optional.empty();
  }

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
   * Problems that would stop a restore into the target (occupied and the target's policy does not
   * allow it, unreachable, not writable, a tool missing), each a sentence. Checked for every
   * component before anything is written.
   */
  List<String> checkTarget(RestoreTarget target);

  /** Whether the target holds data now (a non-empty folder, an existing database, keys). */
  boolean occupied(RestoreTarget target) throws IOException;

  /**
   * Moves an occupied target out of the way before a {@link RestoreTarget.Occupied#REPLACE}
   * restore, so the restore starts from an empty target and the original can be put back.
   */
  Aside moveAside(RestoreTarget target) throws IOException;

  /**
   * Restores a stream written by {@link #dump} into the target (which is empty, or occupied with
   * {@link RestoreTarget.Occupied#MERGE}).
   *
   * @param metadata what the dump reported, for checks
   */
  void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException;

  /** Checks a restored target against what the dump recorded. */
  HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata) throws IOException;

  /**
   * Undoes a restore: removes what it wrote to the target and, when there is one, puts the moved
   * aside original back. Must succeed as a no-op when the restore never wrote anything.
   */
  void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException;

  /** Removes a moved-aside original for good. */
  void dropAside(Aside aside) throws IOException;

  /**
   * A scratch target beside a real one, for a recovery test: the same server, a database nobody
   * uses (for folder kinds the executor picks a scratch folder itself). Empty when this kind cannot
   * make one; the plan then names a test target itself.
   *
   * @param suffix letters and digits that make the name unique to one test
   */
  default Optional<String> scratchTarget(String targetSpec, String suffix) {
    return Optional.empty();
  }

  /**
   * Runs a plan's check query against a restored target and returns the first column of the first
   * row as text ("(no rows)" when there is none). SQL kinds only. The query runs as {@code login},
   * in a read-only transaction, and only once the login was found to have no right beyond reading
   * (no superuser, no access to the server's files or programs, no creating roles): a check must
   * not be a way to run a program or read a file on the database server.
   *
   * @throws IOException when the login has more rights, the query fails, or this kind takes no SQL
   */
  default String queryValue(RestoreTarget target, String sql, CheckLogin login) throws IOException {
    throw new IOException(kind() + " targets take no SQL checks");
  }

  /**
   * Replaces the database name in a database URI spec, keeping everything else (query options too).
   */
  static String withDatabaseName(String spec, String database) {
    java.net.URI u = java.net.URI.create(spec);
    String rest =
        spec.substring(
            0, spec.length() - (u.getRawQuery() == null ? 0 : u.getRawQuery().length() + 1));
    int slash = rest.indexOf('/', rest.indexOf("//") + 2);
    String base = slash < 0 ? rest : rest.substring(0, slash);
    return base + "/" + database + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}
