package io.lifeboat.stage.common.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which {@link Operation} an API request is, from its method and path, and what it acts on. A
 * change this table does not know is {@link Operation#OTHER_CHANGE} (admin), so a new route is
 * closed until it is named here.
 */
public final class ApiRoutes {

  /** An API request: what it is and what it acts on (empty when nothing in particular). */
  public record Route(Operation operation, String target) {}

  private ApiRoutes() {}

  public static Route classify(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
      return new Route(Operation.READ, "");
    }
    String[] s = segments(path);
    if (s.length < 2 || !s[0].equals("api")) {
      return new Route(Operation.OTHER_CHANGE, "");
    }
    String what = s[1];
    boolean post = m.equals("POST");
    boolean delete = m.equals("DELETE");
    switch (what) {
      case "backups" -> {
        if (post && s.length == 2) {
          return new Route(Operation.BACKUP, "");
        }
        if (delete && s.length == 3) {
          return new Route(Operation.DELETE, s[2]);
        }
        if (post && s.length == 4) {
          switch (s[3]) {
            case "cancel" -> {
              return new Route(Operation.CANCEL, s[2]);
            }
            case "verify" -> {
              return new Route(Operation.VERIFY, s[2]);
            }
            case "restore" -> {
              return new Route(Operation.RESTORE, s[2]);
            }
            default -> {}
          }
        }
      }
      case "plans" -> {
        if (post && s.length == 2) {
          return new Route(Operation.PLAN_DEFINE, "");
        }
        if (delete && s.length == 3) {
          return new Route(Operation.PLAN_DELETE, s[2]);
        }
        if (post && s.length == 4) {
          switch (s[3]) {
            case "deprecate", "activate" -> {
              return new Route(Operation.PLAN_DEFINE, s[2]);
            }
            case "executions" -> {
              return new Route(Operation.RECOVER, s[2]);
            }
            default -> {}
          }
        }
      }
      case "recoveries" -> {
        if (post && s.length == 4 && s[3].equals("rollback")) {
          return new Route(Operation.ROLLBACK, s[2]);
        }
      }
      case "approvals" -> {
        if (post && s.length == 4 && s[3].equals("approve")) {
          return new Route(Operation.APPROVE, s[2]);
        }
        if (post && s.length == 4 && s[3].equals("reject")) {
          return new Route(Operation.REJECT, s[2]);
        }
      }
      case "requests" -> {
        if (post && s.length == 2) {
          return new Route(Operation.SEND, "");
        }
      }
      case "break-glass" -> {
        if (post && s.length == 2) {
          return new Route(Operation.BREAK_GLASS, "");
        }
      }
      case "schedules" -> {
        if (post && s.length == 2) {
          return new Route(Operation.SCHEDULE_DEFINE, "");
        }
        if (delete && s.length == 3) {
          return new Route(Operation.SCHEDULE_DELETE, s[2]);
        }
      }
      default -> {}
    }
    return new Route(Operation.OTHER_CHANGE, s.length > 2 ? s[2] : "");
  }

  private static String[] segments(String path) {
    String p = path;
    int q = p.indexOf('?');
    if (q >= 0) {
      p = p.substring(0, q);
    }
    String[] raw = p.replaceAll("^/+|/+$", "").split("/+");
    for (int i = 0; i < raw.length; i++) {
      try {
        raw[i] = URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // left as sent
      }
    }
    return raw;
  }
}
