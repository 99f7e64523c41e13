package io.lifeboat.provider.files;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every folder-tree kind shares ({@code files}, {@code config}, {@code secrets}, {@code logs},
 * {@code artifacts}): a {@link TreeSpec} source, a pax tar stream, restore into a folder that may
 * be moved aside, and a health check against the dump's {@link TreeDigest}.
 */
abstract class TreeProvider implements ComponentProvider {

  private final String kind;

  TreeProvider(String kind) {
    this.kind = kind;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public boolean restoresToFolder() {
    return true;
  }

  /** Looks at file contents during the dump (config validation). */
  ContentInspector inspector() {
    return ContentInspector.NONE;
  }

  /** Whether content checksums go into the tree digest (not for secrets). */
  boolean contentDigest() {
    return true;
  }

  /** Whether restored files are 0600 and folders 0700 whatever they were (secrets). */
  boolean privateFiles() {
    return false;
  }

  /** Extra metadata from the dump result. */
  Map<String, String> extraMetadata(TreeArchiver.Result result, TreeSpec spec) {
    return Map.of();
  }

  TreeSpec spec(ComponentSource source) throws IOException {
    try {
      return TreeSpec.parse(kind, source.location());
    } catch (InvalidSourceException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public Optional<Path> sourceFolder(String spec) throws InvalidSourceException {
    String prefix = kind + ":";
    if (spec == null || !spec.startsWith(prefix)) {
      throw new InvalidSourceException("not a " + kind + " spec: " + spec);
    }
    return Optional.of(TreeSpec.parse(kind, spec.substring(prefix.length())).root());
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    String prefix = kind + ":";
    if (spec == null || !spec.startsWith(prefix)) {
      throw new InvalidSourceException("not a " + kind + " spec: " + spec);
    }
    String rest = spec.substring(prefix.length());
    TreeSpec tree = TreeSpec.parse(kind, rest);
    return new ComponentSource(kind, rest, tree.display(kind));
  }

  @Override
  public List<String> check(ComponentSource source) {
    Path path;
    try {
      path = spec(source).root();
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
    if (!Files.exists(path)) {
      return List.of("path " + path + " does not exist");
    }
    if (!Files.isReadable(path)) {
      return List.of("path " + path + " is not readable");
    }
    if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
      return List.of("path " + path + " is neither a folder nor a regular file");
    }
    return List.of();
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    TreeSpec spec = spec(source);
    if (!Files.exists(spec.root())) {
      throw new IOException("path " + spec.root() + " does not exist");
    }
    TreeArchiver.Result result = new TreeArchiver(inspector(), contentDigest()).archive(spec, out);
    Map<String, String> metadata = new HashMap<>(result.asMetadata());
    metadata.putAll(extraMetadata(result, spec));
    return new DumpResult(metadata, result.warnings);
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    return FolderTarget.check(target, true);
  }

  @Override
  public boolean occupied(RestoreTarget target) throws IOException {
    return FolderTarget.occupied(FolderTarget.path(target));
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    return FolderTarget.moveAside(kind, target);
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    Path root = FolderTarget.path(target);
    TreeExtractor.Extracted extracted =
        new TreeExtractor(privateFiles())
            .extract(
                stream, root, target.occupied() == RestoreTarget.Occupied.MERGE, contentDigest());
    justExtracted.put(root.toAbsolutePath().normalize(), extracted);
  }

  /**
   * What {@link #restore} just wrote, by target folder, for the health check that follows it: the
   * content checksums are taken as the bytes were written, so the check reads no file back (it only
   * walks the tree to compare names, types, sizes and links). A check with nothing here (another
   * process restored) reads the whole tree.
   */
  private final java.util.Map<Path, TreeExtractor.Extracted> justExtracted =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    Path root = FolderTarget.path(target);
    TreeExtractor.Extracted extracted = justExtracted.remove(root.toAbsolutePath().normalize());
    List<String> checks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return new HealthReport(checks, List.of(root + " is not a folder after the restore"));
    }
    if (target.occupied() == RestoreTarget.Occupied.MERGE) {
      checks.add("restored into an existing folder (--force): tree not compared");
      return new HealthReport(checks, problems);
    }
    TreeDigest digest;
    if (extracted != null) {
      // the tree on disk must be the one written: names, types, sizes, links (a walk, no reads)
      TreeDigest onDisk = TreeArchiver.digestOf(new TreeSpec(root, List.of(), List.of()), false);
      if (!onDisk.hex().equals(extracted.structure().hex())) {
        problems.add(
            "the folder differs from what the restore wrote (names, sizes or links changed meanwhile)");
      }
      digest = extracted.withContent();
    } else {
      digest = TreeArchiver.digestOf(new TreeSpec(root, List.of(), List.of()), contentDigest());
    }
    compare("files", digest.files(), metadata, checks, problems);
    compare("dirs", digest.dirs(), metadata, checks, problems);
    compare("symlinks", digest.links(), metadata, checks, problems);
    compare("fileBytes", digest.bytes(), metadata, checks, problems);
    String recorded = metadata.get("treeDigest");
    if (recorded != null) {
      if (recorded.equals(digest.hex())) {
        checks.add(
            "tree digest "
                + recorded.substring(0, 16)
                + "… matches (names, sizes"
                + (contentDigest() ? ", content checksums" : "")
                + ", links)");
      } else {
        problems.add("tree digest differs from the backup's: names, sizes or contents changed");
      }
    }
    return new HealthReport(checks, problems);
  }

  private static void compare(
      String key,
      long actual,
      Map<String, String> metadata,
      List<String> checks,
      List<String> problems) {
    String recorded = metadata.get(key);
    if (recorded == null) {
      return;
    }
    if (Long.parseLong(recorded) == actual) {
      checks.add(key + ": " + actual);
    } else {
      problems.add(key + ": " + actual + " restored, " + recorded + " in the backup");
    }
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    FolderTarget.rollBack(target, aside);
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    FolderTarget.deleteRecursively(Path.of(aside.location()));
  }
}
