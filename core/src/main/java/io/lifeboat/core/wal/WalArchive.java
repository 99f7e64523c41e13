package io.lifeboat.core.wal;

import io.lifeboat.core.repo.DamagedObjectException;
import io.lifeboat.core.repo.Manifest;
import io.lifeboat.core.repo.Repository;
import io.lifeboat.core.restore.ChunkStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The WAL archive of one PostgreSQL source in a repository. Every archived file is a small backup
 * of its own (one {@code walseg} component) whose id is {@code wal.<source>.<file>.<random>}, so
 * the archive's contents are known from the manifest names alone, without reading them.
 */
public final class WalArchive {

  private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,47}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  /** Metadata keys the {@code walseg} provider records for each archived file. */
  public static final String META_SOURCE = "walSource";

  public static final String META_FILE = "walFile";
  public static final String META_CLOSED_AT = "closedAt";
  public static final String META_SEGMENT_SIZE = "walSegmentSize";
  public static final String META_SYSTEM_ID = "systemId";

  private final Repository repository;
  private final String source;
  private final TreeMap<String, String> files;

  private WalArchive(Repository repository, String source, TreeMap<String, String> files) {
    this.repository = repository;
    this.source = source;
    this.files = files;
  }

  /** Reads the archive's contents (one listing of its manifests). */
  public static WalArchive of(Repository repository, String source) {
    return of(repository, source, "");
  }

  /**
   * Reads the part of the archive whose file names start with {@code namePrefix} (one timeline and
   * log: {@code 0000000100000003}).
   */
  public static WalArchive of(Repository repository, String source, String namePrefix) {
    checkSource(source);
    String prefix = "wal." + source + ".";
    TreeMap<String, String> files = new TreeMap<>();
    for (String id : repository.listManifests(prefix + namePrefix)) {
      if (id.startsWith(prefix)) {
        String rest = id.substring(prefix.length());
        int dot = rest.lastIndexOf('.');
        if (dot > 0) {
          files.putIfAbsent(rest.substring(0, dot), id);
        }
      }
    }
    return new WalArchive(repository, source, files);
  }

  /** Source ids name a PostgreSQL cluster's archive: lower-case letters, digits, '_' and '-'. */
  public static String checkSource(String source) {
    if (source == null || !SOURCE.matcher(source).matches()) {
      throw new IllegalArgumentException(
          "invalid WAL source id (lower-case letters, digits, '_' and '-', at most 48): " + source);
    }
    return source;
  }

  /** The backup name every archived file of a source is stored under. */
  public static String backupName(String source) {
    return "wal." + checkSource(source);
  }

  /** A new backup id for one archived file. */
  public static String newBackupId(String source, String fileName) {
    if (WalFileName.parse(fileName).isEmpty()) {
      throw new IllegalArgumentException("not a WAL file name: " + fileName);
    }
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return "wal." + checkSource(source) + "." + fileName + "." + suffix;
  }

  public String source() {
    return source;
  }

  /** Archived file names (sorted: segments in WAL order per timeline) and their backup ids. */
  public Map<String, String> files() {
    return java.util.Collections.unmodifiableMap(files);
  }

  public boolean has(String fileName) {
    return files.containsKey(fileName);
  }

  /** Archived segments of a timeline, by segment number. */
  public TreeMap<Long, String> segments(long timeline, long segmentSize) {
    TreeMap<Long, String> segs = new TreeMap<>();
    for (String f : files.keySet()) {
      WalFileName.parse(f)
          .filter(n -> n.kind() == WalFileName.Kind.SEGMENT && n.timeline() == timeline)
          .ifPresent(n -> segs.put(n.segno(segmentSize), n.name()));
    }
    return segs;
  }

  /** The manifest of an archived file. */
  public Manifest manifest(String fileName) throws DamagedObjectException {
    String id = files.get(fileName);
    if (id == null) {
      throw new IllegalArgumentException("not archived: " + fileName);
    }
    return repository.readManifest(id);
  }

  /** When PostgreSQL finished an archived file (the time it marked it ready to archive). */
  public Instant closedAt(String fileName) throws DamagedObjectException {
    Manifest m = manifest(fileName);
    String closed = m.components().get(0).metadata().get(META_CLOSED_AT);
    return closed != null ? Instant.parse(closed) : m.completedAt();
  }

  /**
   * The unbroken run of segments on a timeline from {@code fromSegno}: where it ends, and the first
   * missing segment when a later one is archived (a gap).
   *
   * @param last the last segment of the run, or fromSegno - 1 when fromSegno itself is missing
   * @param firstMissing the first segment after the run that is missing while a later one exists
   * @param newest the newest archived segment on the timeline
   */
  public record Run(
      long timeline, long first, long last, Optional<Long> firstMissing, long newest) {

    public boolean empty() {
      return last < first;
    }
  }

  public Run run(long timeline, long fromSegno, long segmentSize) {
    TreeMap<Long, String> segs = segments(timeline, segmentSize);
    long last = fromSegno - 1;
    while (segs.containsKey(last + 1)) {
      last++;
    }
    long newest = segs.isEmpty() ? -1 : segs.lastKey();
    Optional<Long> missing = newest > last ? Optional.of(last + 1) : Optional.empty();
    return new Run(timeline, fromSegno, last, missing, newest);
  }

  /** Gaps on a timeline between its oldest and newest archived segment: [from, to] inclusive. */
  public List<long[]> gaps(long timeline, long segmentSize) {
    TreeMap<Long, String> segs = segments(timeline, segmentSize);
    List<long[]> gaps = new ArrayList<>();
    Long previous = null;
    for (long s : segs.keySet()) {
      if (previous != null && s > previous + 1) {
        gaps.add(new long[] {previous + 1, s - 1});
      }
      previous = s;
    }
    return gaps;
  }

  /** The name of a segment of this archive's timeline. */
  public static String name(long timeline, long segno, long segmentSize) {
    return WalFileName.segmentName(timeline, segno, segmentSize);
  }

  /**
   * Writes archived files into a folder, each read back from its chunks and checked against its
   * SHA-256; a file appears under its name only once complete.
   */
  public void fetch(List<String> fileNames, Path folder, int parallel) throws IOException {
    Files.createDirectories(folder);
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, parallel));
    try {
      for (String f : fileNames) {
        Manifest.Component c;
        try {
          c = manifest(f).components().get(0);
        } catch (DamagedObjectException e) {
          throw new IOException("the archived " + f + " is damaged: " + e.getMessage(), e);
        }
        Path tmp = folder.resolve(f + ".lifeboat-tmp");
        try (InputStream in =
                new ChunkStream(
                    repository,
                    c.name(),
                    ChunkStream.ids(c.chunks()),
                    c.streamSha256(),
                    executor,
                    Math.max(1, parallel));
            OutputStream out = Files.newOutputStream(tmp)) {
          in.transferTo(out);
        }
        Files.move(tmp, folder.resolve(f), StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "WAL archive %s (%d files)", source, files.size());
  }
}
