package io.lifeboat.provider.postgres;

import io.lifeboat.core.provider.Aside;
import io.lifeboat.core.provider.ComponentProvider;
import io.lifeboat.core.provider.ComponentSource;
import io.lifeboat.core.provider.DumpResult;
import io.lifeboat.core.provider.HealthReport;
import io.lifeboat.core.provider.InvalidSourceException;
import io.lifeboat.core.provider.RestoreTarget;
import io.lifeboat.core.wal.WalArchive;
import io.lifeboat.core.wal.WalFileName;
import io.lifeboat.core.wal.WalSegmentHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code walseg:/var/lib/postgresql/15/main/pg_wal/000000010000000000000003?source=shop-pg}: one
 * file PostgreSQL hands to its {@code archive_command} (a WAL segment, a timeline history file, a
 * backup history file). The stream is the file itself. A segment's header must match its name (its
 * timeline and position) and, once the source has archived anything, the same cluster. Restored
 * into a folder, under its own name.
 */
public final class WalSegmentProvider implements ComponentProvider {

  @Override
  public String kind() {
    return "walseg";
  }

  @Override
  public boolean restoresToFolder() {
    return true;
  }

  /** The segment is written into the target folder itself (pg_wal, a spool): it must be ours. */
  @Override
  public Path restoreFolder(Path target) {
    return target;
  }

  @Override
  public java.util.Optional<Path> sourceFolder(String spec) throws InvalidSourceException {
    return java.util.Optional.of(Path.of(parse(spec).location().replaceFirst("\\?.*", "")));
  }

  @Override
  public ComponentSource parse(String spec) throws InvalidSourceException {
    if (!spec.startsWith("walseg:")) {
      throw new InvalidSourceException("not a walseg spec: " + spec);
    }
    String rest = spec.substring("walseg:".length());
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    if (!path.startsWith("/")) {
      throw new InvalidSourceException("walseg needs an absolute path: " + spec);
    }
    Path p = Path.of(path);
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    if (WalFileName.parse(name).isEmpty()) {
      throw new InvalidSourceException(
          "walseg: " + name + " is not a file PostgreSQL archives (a WAL segment or history file)");
    }
    String source = q < 0 ? null : option(rest.substring(q + 1), "source");
    if (source == null) {
      throw new InvalidSourceException("walseg needs ?source=ID (the cluster's archive): " + spec);
    }
    try {
      WalArchive.checkSource(source);
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceException(String.valueOf(e.getMessage()));
    }
    return new ComponentSource(kind(), rest, spec);
  }

  static @org.jspecify.annotations.Nullable String option(String query, String key) {
    for (String kv : query.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(key)) {
        return java.net.URLDecoder.decode(
            kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static Path path(ComponentSource source) {
    String loc = source.location();
    int q = loc.indexOf('?');
    return Path.of(q < 0 ? loc : loc.substring(0, q));
  }

  private static String sourceId(ComponentSource source) {
    String loc = source.location();
    return java.util.Objects.requireNonNull(option(loc.substring(loc.indexOf('?') + 1), "source"));
  }

  @Override
  public List<String> check(ComponentSource source) {
    Path p = path(source);
    if (!Files.isRegularFile(p)) {
      return List.of("walseg: no file " + p);
    }
    if (!Files.isReadable(p)) {
      return List.of("walseg: cannot read " + p);
    }
    return List.of();
  }

  @Override
  public DumpResult dump(ComponentSource source, OutputStream out) throws IOException {
    Path p = path(source);
    WalFileName name = WalFileName.parse(String.valueOf(p.getFileName())).orElseThrow();
    Instant closedAt = Files.getLastModifiedTime(p).toInstant();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(WalArchive.META_SOURCE, sourceId(source));
    meta.put(WalArchive.META_FILE, name.name());
    meta.put("walKind", name.kind().name());
    meta.put("timeline", Long.toString(name.timeline()));
    meta.put(WalArchive.META_CLOSED_AT, closedAt.toString());
    MessageDigest sha = sha256();
    long size = 0;
    byte[] first = null;
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        if (first == null
            && (name.kind() == WalFileName.Kind.SEGMENT
                || name.kind() == WalFileName.Kind.PARTIAL)) {
          first = java.util.Arrays.copyOf(buf, Math.min(n, WalSegmentHeader.SIZE));
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
        size += n;
      }
    }
    if (first != null) {
      WalSegmentHeader header;
      try {
        header = WalSegmentHeader.read(first);
      } catch (IllegalArgumentException e) {
        throw new IOException(name + ": " + e.getMessage());
      }
      if (name.kind() == WalFileName.Kind.SEGMENT) {
        List<String> problems = header.mismatches(name);
        if (!problems.isEmpty()) {
          throw new IOException(
              "refusing to archive "
                  + name
                  + ": "
                  + String.join("; ", problems)
                  + " (a renamed or damaged file)");
        }
        if (size != header.segmentSize()) {
          throw new IOException(
              "refusing to archive "
                  + name
                  + ": "
                  + size
                  + " bytes, but the cluster's segments are "
                  + header.segmentSize());
        }
        meta.put("segno", Long.toString(name.segno(header.segmentSize())));
      }
      meta.put(WalArchive.META_SEGMENT_SIZE, Long.toString(header.segmentSize()));
      meta.put(WalArchive.META_SYSTEM_ID, Long.toUnsignedString(header.systemId()));
      if (header.pgMajor() > 0) {
        meta.put("pgMajor", Integer.toString(header.pgMajor()));
      }
    }
    meta.put("sha256", HexFormat.of().formatHex(sha.digest()));
    meta.put("sizeBytes", Long.toString(size));
    return new DumpResult(meta, List.of());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path folder(RestoreTarget target) {
    String spec = target.spec();
    int q = spec.indexOf('?');
    return Path.of(q < 0 ? spec : spec.substring(0, q));
  }

  @Override
  public List<String> checkTarget(RestoreTarget target) {
    List<String> problems = new ArrayList<>();
    Path f = folder(target);
    if (Files.exists(f) && !Files.isDirectory(f)) {
      problems.add("walseg: " + f + " is not a folder");
    }
    try {
      if (target.occupied() == RestoreTarget.Occupied.REFUSE && occupied(target)) {
        problems.add("walseg: " + f + " is not empty (move it aside with replace, or merge)");
      }
    } catch (IOException e) {
      problems.add("walseg: cannot read " + f + ": " + e.getMessage());
    }
    return problems;
  }

  @Override
  public boolean occupied(RestoreTarget target) throws IOException {
    Path f = folder(target);
    if (!Files.isDirectory(f)) {
      return false;
    }
    try (var s = Files.list(f)) {
      return s.findAny().isPresent();
    }
  }

  @Override
  public Aside moveAside(RestoreTarget target) throws IOException {
    Path f = folder(target);
    Path aside =
        f.resolveSibling(f.getFileName() + ".lifeboat-aside-" + System.currentTimeMillis());
    Files.move(f, aside, StandardCopyOption.ATOMIC_MOVE);
    return new Aside(kind(), target.spec(), aside.toString(), Instant.now());
  }

  @Override
  public void restore(InputStream stream, RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    Path f = folder(target);
    Files.createDirectories(f);
    String file = metadata.get(WalArchive.META_FILE);
    if (file == null || WalFileName.parse(file).isEmpty()) {
      throw new IOException("walseg: the backup does not say which WAL file it holds");
    }
    Path tmp = f.resolve(file + ".lifeboat-tmp");
    Files.deleteIfExists(tmp); // a left-over (or a planted link) is removed, never written through
    try (OutputStream out =
        Files.newOutputStream(
            tmp,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      stream.transferTo(out);
    }
    Files.move(tmp, f.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public HealthReport healthCheck(RestoreTarget target, Map<String, String> metadata)
      throws IOException {
    String file = metadata.getOrDefault(WalArchive.META_FILE, "");
    Path p = folder(target).resolve(file);
    if (file.isEmpty() || !Files.isRegularFile(p)) {
      return new HealthReport(List.of(), List.of("walseg: " + p + " is missing"));
    }
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    }
    String got = HexFormat.of().formatHex(sha.digest());
    String want = metadata.get("sha256");
    if (want != null && !want.equals(got)) {
      return new HealthReport(
          List.of(), List.of("walseg: " + file + " differs from the archived one (sha256)"));
    }
    return new HealthReport(List.of(file + ": sha256 " + got), List.of());
  }

  @Override
  public void rollBack(RestoreTarget target, Optional<Aside> aside) throws IOException {
    Path f = folder(target);
    if (Files.isDirectory(f)) {
      try (var s = Files.list(f)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(f);
    }
    if (aside.isPresent()) {
      Files.move(Path.of(aside.get().location()), f, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  @Override
  public void dropAside(Aside aside) throws IOException {
    Path a = Path.of(aside.location());
    if (Files.isDirectory(a)) {
      try (var s = Files.list(a)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.deleteIfExists(a);
  }
}
