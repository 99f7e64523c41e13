package io.lifeboat.stage.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every Lifeboat HTTP API checks before anything else:
 *
 * <ul>
 *   <li>the Host header names this service (loopback names, the address it is bound to, or {@code
 *       lifeboat.api.allowed-hosts}): a web page the user opens cannot reach the API through a DNS
 *       name that rebinds to 127.0.0.1 and read backup sources, hosts and check output (421
 *       otherwise);
 *   <li>a request body is at most {@value #MAX_BODY} bytes (413 otherwise);
 *   <li>every answer says how a browser may use it: {@code X-Content-Type-Options: nosniff}, {@code
 *       X-Frame-Options: DENY}, and (but for Swagger UI's own pages) a {@code
 *       Content-Security-Policy} that allows only this origin's scripts, styles and connections, no
 *       inline script and no framing ({@link #CONTENT_SECURITY_POLICY}): the dashboard is three
 *       static files and needs no more.
 * </ul>
 */
public final class ApiGuard extends OncePerRequestFilter {

  /**
   * The dashboard's policy (decision 0026: static HTML, one script and one style sheet of its own,
   * charts drawn as SVG by the script, JSON from this origin): nothing inline, nothing from
   * elsewhere, no plugins, never in a frame.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  /** Largest request body accepted (a recovery plan is a few KiB). */
  public static final int MAX_BODY = 1 << 20;

  private final Set<String> hosts = new HashSet<>();
  private final boolean anyHost;

  public ApiGuard(Environment env) {
    hosts.addAll(Set.of("localhost", "127.0.0.1", "[::1]", "::1"));
    String configured = env.getProperty("lifeboat.api.allowed-hosts", "");
    for (String h : configured.split(",")) {
      if (!h.isBlank()) {
        hosts.add(h.strip().toLowerCase(Locale.ROOT));
      }
    }
    String bound = env.getProperty("server.address", "");
    anyHost = configured.strip().equals("*");
    if (!bound.isBlank() && !isWildcard(bound)) {
      hosts.add(bound.toLowerCase(Locale.ROOT));
    }
  }

  private static boolean isWildcard(String address) {
    try {
      return InetAddress.getByName(address).isAnyLocalAddress();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    String path = request.getRequestURI();
    if (path == null || !(path.startsWith("/swagger-ui/") || path.equals("/swagger-ui.html"))) {
      response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    } else {
      // Swagger UI's page carries inline code of its own: only the framing rule
      response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
    }
    String host = hostName(request.getHeader("Host"));
    if (!anyHost && (host == null || !hosts.contains(host))) {
      response.sendError(
          421,
          "this API answers only to "
              + String.join(", ", new java.util.TreeSet<>(hosts))
              + " (lifeboat.api.allowed-hosts)");
      return;
    }
    long length = request.getContentLengthLong();
    if (length > MAX_BODY) {
      response.sendError(413, "request body larger than " + MAX_BODY + " bytes");
      return;
    }
    chain.doFilter(new Limited(request), response);
  }

  /** The host of a Host header, without its port; null when there is none. */
  static @Nullable String hostName(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /**
   * A request whose body stream ends with an error past {@link #MAX_BODY} bytes (chunked bodies
   * have no length).
   */
  private static final class Limited extends HttpServletRequestWrapper {
    Limited(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream in = super.getInputStream();
      return new ServletInputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0 && ++read > MAX_BODY) {
            throw new IOException("request body larger than " + MAX_BODY + " bytes");
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = in.read(buf, off, len);
          if (n > 0 && (read += n) > MAX_BODY) {
            throw new IOException("request body larger than " + MAX_BODY + " bytes");
          }
          return n;
        }

        @Override
        public boolean isFinished() {
          return in.isFinished();
        }

        @Override
        public boolean isReady() {
          return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          in.setReadListener(listener);
        }
      };
    }
  }
}
