package io.lifeboat.stage.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The named API tokens of roles mode, in one file ({@code $LIFEBOAT_HOME/api-tokens}, owner-only):
 * a line per token, {@code <id> <name> <role> sha256:<salt>:<hash> <created>}. A token is {@code
 * lbt_<id>_<secret>}: the id finds the line, the secret (32 random bytes) is kept only as a salted
 * SHA-256, so the file does not let its reader call the API. A slow password hash would protect
 * nothing here (the secret is random, not chosen) and would cost every call.
 *
 * <p>The file is read again whenever it changed: tokens added or revoked with {@code lifeboat
 * token} count at once, without a restart.
 */
public final class TokenStore {

  /** One token as the file keeps it: no secret. */
  public record Entry(String id, String name, Role role, String hash, Instant created) {
    String line() {
      return id + " " + name + " " + role.label() + " " + hash + " " + created;
    }
  }

  /** A token just made: {@code token} is shown once and kept nowhere. */
  public record Issued(Entry entry, String token) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
  private static final String PREFIX = "lbt_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final Path file;
  private volatile Snapshot snapshot = new Snapshot(null, -1, Map.of());

  private record Snapshot(@Nullable FileTime modified, long size, Map<String, Entry> byId) {}

  public TokenStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The entry a presented token belongs to, when its secret matches. */
  public Optional<Entry> authenticate(@Nullable String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() < PREFIX.length() + 10) {
      return Optional.empty();
    }
    String id = token.substring(PREFIX.length(), PREFIX.length() + 8);
    if (token.charAt(PREFIX.length() + 8) != '_') {
      return Optional.empty();
    }
    String secret = token.substring(PREFIX.length() + 9);
    Entry entry = current().byId().get(id);
    // an unknown id costs the same hash as a known one
    String stored =
        entry != null ? entry.hash() : "sha256:AAAAAAAAAAAAAAAAAAAAAA:" + "A".repeat(43);
    boolean matches = matches(stored, secret);
    return entry != null && matches ? Optional.of(entry) : Optional.empty();
  }

  /** Every token, oldest first. */
  public List<Entry> list() {
    return new ArrayList<>(current().byId().values());
  }

  /**
   * Makes a token for {@code name} with {@code role} and writes the file.
   *
   * @throws IllegalArgumentException for a name that is not 1-64 of A-Z a-z 0-9 . _ @ -, is the
   *     host token's ({@code api}), or already has a token
   */
  public synchronized Issued add(String name, Role role) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a token name is 1-64 of A-Z a-z 0-9 . _ @ -, got '" + name + "'");
    }
    if (name.equals(ApiAccess.SINGLE_TOKEN_NAME)) {
      // the host's api-token acts under this name: a second holder would count as the same person
      // (four eyes compares names) and its refusals would read as the host's
      throw new IllegalArgumentException(
          "the name " + name + " is the host's api-token's; give the token a name of its own");
    }
    Map<String, Entry> entries = new LinkedHashMap<>(read());
    if (entries.values().stream().anyMatch(e -> e.name().equals(name))) {
      throw new IllegalArgumentException(
          "there is already a token named " + name + ": revoke it first (lifeboat token revoke)");
    }
    String id;
    do {
      byte[] b = new byte[4];
      RANDOM.nextBytes(b);
      id = HexFormat.of().formatHex(b);
    } while (entries.containsKey(id));
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(secretBytes);
    String secret = B64.encodeToString(secretBytes);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Entry entry =
        new Entry(
            id,
            name,
            role,
            "sha256:" + B64.encodeToString(salt) + ":" + B64.encodeToString(digest(salt, secret)),
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    entries.put(id, entry);
    write(entries);
    return new Issued(entry, PREFIX + id + "_" + secret);
  }

  /**
   * Removes the token with this name or id.
   *
   * @return whether there was one
   */
  public synchronized boolean revoke(String nameOrId) {
    Map<String, Entry> entries = new LinkedHashMap<>(read());
    boolean removed =
        entries.values().removeIf(e -> e.name().equals(nameOrId) || e.id().equals(nameOrId));
    if (removed) {
      write(entries);
    }
    return removed;
  }

  private Snapshot current() {
    try {
      if (!Files.exists(file)) {
        return new Snapshot(null, -1, Map.of());
      }
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      Snapshot s = snapshot;
      if (modified.equals(s.modified()) && size == s.size()) {
        return s;
      }
      Snapshot fresh = new Snapshot(modified, size, read());
      snapshot = fresh;
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokens file " + file, e);
    }
  }

  private Map<String, Entry> read() {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IllegalStateException(
            "the tokens file "
                + file
                + " may be written by others ("
                + PosixFilePermissions.toString(perms)
                + "): whoever writes it can make themselves admin; chmod 600 it");
      }
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split("\\s+");
        if (f.length != 5 || !ID.matcher(f[0]).matches() || !f[3].startsWith("sha256:")) {
          throw new IllegalStateException(
              "the tokens file "
                  + file
                  + " line "
                  + n
                  + " is not '<id> <name> <role> sha256:… <created>'");
        }
        out.put(f[0], new Entry(f[0], f[1], Role.parse(f[2]), f[3], Instant.parse(f[4])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokens file " + file, e);
    }
  }

  private void write(Map<String, Entry> entries) {
    StringBuilder text =
        new StringBuilder(
            "# Lifeboat API tokens: id name role sha256:salt:hash created (lifeboat token add|list|revoke)\n");
    entries.values().forEach(e -> text.append(e.line()).append('\n'));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              ".api-tokens",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tokens file " + file, e);
    }
  }

  private static boolean matches(String stored, String secret) {
    String[] p = stored.split(":");
    if (p.length != 3) {
      return false;
    }
    try {
      byte[] salt = B64D.decode(p[1]);
      byte[] hash = B64D.decode(p[2]);
      return MessageDigest.isEqual(hash, digest(salt, secret));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] digest(byte[] salt, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
