package io.lifeboat.notifier;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Sends each notification as a plain-text email over SMTP (optionally STARTTLS and login). A
 * failure names the channel and the server, never the password.
 */
public final class EmailChannel implements Channel {

  /**
   * @param host SMTP server
   * @param port its port (25, 587, ...)
   * @param username login, or null for none
   * @param password its password (a secret: never in a message or a log)
   * @param from sender address
   * @param to default recipients
   * @param startTls require STARTTLS
   * @param allowedDomains domains a backup request may send to (empty: those of {@code to})
   */
  public record Settings(
      String host,
      int port,
      @Nullable String username,
      @Nullable String password,
      String from,
      List<String> to,
      boolean startTls,
      Duration timeout,
      List<String> allowedDomains) {

    @Override
    public String toString() {
      return "smtp://" + host + ":" + port + " from " + from + " to " + to;
    }
  }

  private final String name;
  private final Settings settings;
  private final Session session;

  public EmailChannel(String name, Settings settings) {
    this.name = name;
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.smtp.host", settings.host());
    p.put("mail.smtp.port", String.valueOf(settings.port()));
    String ms = String.valueOf(settings.timeout().toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    if (settings.username() != null) {
      p.put("mail.smtp.auth", "true");
    }
    if (settings.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    this.session = Session.getInstance(p);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(Notification n, List<String> recipients) throws DeliveryException {
    List<String> to = recipients.isEmpty() ? settings.to() : recipients;
    if (to.isEmpty()) {
      throw new DeliveryException("email " + name + " has no recipient");
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(settings.from()));
      List<InternetAddress> addresses = new ArrayList<>();
      for (String a : to) {
        addresses.add(new InternetAddress(a.strip(), true));
      }
      m.setRecipients(Message.RecipientType.TO, addresses.toArray(InternetAddress[]::new));
      m.setSubject("Lifeboat: " + n.title(), "UTF-8");
      m.setSentDate(new Date());
      m.setText(text(n), "UTF-8");
      m.setHeader("X-Lifeboat-Kind", n.kind());
      if (settings.username() != null) {
        Transport.send(m, settings.username(), String.valueOf(settings.password()));
      } else {
        Transport.send(m);
      }
    } catch (MessagingException e) {
      throw new DeliveryException(
          "email "
              + name
              + " via "
              + settings.host()
              + ":"
              + settings.port()
              + " failed ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /**
   * Addresses a backup request may add: in the domains of the configured recipients, or of {@code
   * allowedDomains} when set (a request cannot make Lifeboat mail anyone on the internet).
   */
  @Override
  public List<String> refusedRecipients(List<String> recipients) {
    java.util.Set<String> domains = new java.util.HashSet<>();
    List<String> allowed =
        settings.allowedDomains().isEmpty() ? settings.to() : settings.allowedDomains();
    for (String a : allowed) {
      domains.add(domainOf(a));
    }
    return recipients.stream().filter(r -> !domains.contains(domainOf(r))).toList();
  }

  private static String domainOf(String address) {
    String a = address.strip().toLowerCase(java.util.Locale.ROOT);
    int at = a.lastIndexOf('@');
    return at < 0 ? a : a.substring(at + 1);
  }

  static String text(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append(n.text()).append("\n\n");
    b.append("kind:     ").append(n.kind()).append('\n');
    b.append("severity: ").append(n.severity()).append('\n');
    b.append("subject:  ").append(n.subject()).append('\n');
    b.append("time:     ").append(n.time()).append('\n');
    for (Map.Entry<String, String> l : n.labels().entrySet()) {
      b.append(l.getKey()).append(": ").append(l.getValue()).append('\n');
    }
    return b.toString();
  }
}
