package io.lifeboat.provider.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes POSIX.1-2001 (pax) tar: a ustar header per entry, preceded by a pax extended header when
 * the name or link target is long or not ASCII, the modification time has a fraction of a second,
 * or a number does not fit ustar's octal fields. Our own writer because common libraries round
 * times to 100 ns; GNU tar, bsdtar and commons-compress all read the result.
 */
final class PaxTarWriter {

  static final byte FILE = '0';
  static final byte SYMLINK = '2';
  static final byte DIRECTORY = '5';
  private static final byte PAX = 'x';
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final long MAX_OCTAL_7 = 07777777L;

  private final OutputStream out;
  private final byte[] header = new byte[BLOCK];
  private long remaining;
  private long written;

  PaxTarWriter(OutputStream out) {
    this.out = out;
  }

  /** Starts an entry; for files, exactly {@code size} bytes must follow via {@link #write}. */
  void begin(
      String name,
      byte type,
      int mode,
      long uid,
      long gid,
      long size,
      FileTime mtime,
      @Nullable String linkTarget)
      throws IOException {
    if (remaining != 0) {
      throw new IllegalStateException("previous entry is missing " + remaining + " bytes");
    }
    Instant t = mtime.toInstant();
    Map<String, String> pax = new LinkedHashMap<>();
    String ustarName = fitName(name, pax, "path");
    String ustarLink = linkTarget == null ? "" : fitName(linkTarget, pax, "linkpath");
    if (t.getNano() != 0 || t.getEpochSecond() < 0 || t.getEpochSecond() > MAX_OCTAL_11) {
      pax.put("mtime", decimalSeconds(t));
    }
    if (size > MAX_OCTAL_11) {
      pax.put("size", Long.toString(size));
    }
    if (uid > MAX_OCTAL_7 || uid < 0) {
      pax.put("uid", Long.toString(uid));
    }
    if (gid > MAX_OCTAL_7 || gid < 0) {
      pax.put("gid", Long.toString(gid));
    }
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      writeHeader(paxHeaderName(ustarName), PAX, 0644, 0, 0, records.length, 0, "");
      writeData(records, 0, records.length);
      pad(records.length);
    }
    long seconds = Math.max(0, Math.min(t.getEpochSecond(), MAX_OCTAL_11));
    writeHeader(
        ustarName,
        type,
        mode,
        clamp7(uid),
        clamp7(gid),
        Math.min(size, MAX_OCTAL_11),
        seconds,
        ustarLink);
    remaining = type == FILE ? size : 0;
    written = 0;
  }

  void write(byte[] b, int off, int len) throws IOException {
    if (len > remaining) {
      throw new IllegalStateException(
          "entry data exceeds its size by " + (len - remaining) + " bytes");
    }
    out.write(b, off, len);
    remaining -= len;
    written += len;
  }

  /** Ends the current entry (pads the data to a whole block). */
  void end() throws IOException {
    if (remaining != 0) {
      throw new IllegalStateException("entry is missing " + remaining + " bytes");
    }
    pad(written);
    written = 0;
  }

  /** Writes the two zero blocks that end an archive. Does not close the stream. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void writeHeader(
      String name, byte type, int mode, long uid, long gid, long size, long mtime, String link)
      throws IOException {
    Arrays.fill(header, (byte) 0);
    ascii(name, 0, 100);
    octal(mode & 07777, 100, 8);
    octal(uid, 108, 8);
    octal(gid, 116, 8);
    octal(size, 124, 12);
    octal(mtime, 136, 12);
    Arrays.fill(header, 148, 156, (byte) ' ');
    header[156] = type;
    ascii(link, 157, 100);
    ascii("ustar", 257, 6);
    header[263] = '0';
    header[264] = '0';
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xFF;
    }
    String chk = String.format("%06o", sum);
    ascii(chk, 148, 6);
    header[154] = 0;
    header[155] = ' ';
    out.write(header);
  }

  private void writeData(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  private void pad(long length) throws IOException {
    int rest = (int) (length % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }

  /** The name for the ustar field; long or non-ASCII names go to a pax record as well. */
  private static String fitName(String name, Map<String, String> pax, String key) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    boolean ascii = utf8.length == name.length();
    if (ascii && utf8.length <= 100) {
      return name;
    }
    pax.put(key, name);
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < name.length() && safe.length() < 100; i++) {
      char c = name.charAt(i);
      safe.append(c < 0x80 ? c : '_');
    }
    return safe.toString();
  }

  private static String paxHeaderName(String ustarName) {
    String base =
        ustarName.endsWith("/") ? ustarName.substring(0, ustarName.length() - 1) : ustarName;
    base = base.substring(base.lastIndexOf('/') + 1);
    String n = "PaxHeaders/" + base;
    return n.length() > 100 ? n.substring(0, 100) : n;
  }

  static byte[] paxRecords(Map<String, String> records) {
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, String> r : records.entrySet()) {
      String body = " " + r.getKey() + "=" + r.getValue() + "\n";
      int bodyLen = body.getBytes(StandardCharsets.UTF_8).length;
      int len = bodyLen + 1;
      while (Integer.toString(len).length() + bodyLen != len) {
        len = Integer.toString(len).length() + bodyLen;
      }
      all.append(len).append(body);
    }
    return all.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String decimalSeconds(Instant t) {
    long s = t.getEpochSecond();
    int n = t.getNano();
    if (n == 0) {
      return Long.toString(s);
    }
    if (s < 0) {
      // pax wants sign and magnitude: -1.5 is 1.5 s before the epoch
      long total = s * 1_000_000_000L + n;
      long abs = -total;
      return "-" + (abs / 1_000_000_000L) + "." + String.format("%09d", abs % 1_000_000_000L);
    }
    return s + "." + String.format("%09d", n);
  }

  private void ascii(String s, int off, int max) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, header, off, Math.min(b.length, max));
  }

  private void octal(long value, int off, int len) {
    String s = Long.toOctalString(value);
    int digits = len - 1;
    StringBuilder padded = new StringBuilder();
    for (int i = s.length(); i < digits; i++) {
      padded.append('0');
    }
    padded.append(s);
    ascii(padded.toString(), off, digits);
    header[off + digits] = 0;
  }

  private static long clamp7(long v) {
    return v < 0 || v > MAX_OCTAL_7 ? 0 : v;
  }
}
