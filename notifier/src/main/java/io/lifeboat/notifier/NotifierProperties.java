package io.lifeboat.notifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeboat.notify.*}: the channels, the rules, and how deliveries are tried. Without a
 * channel the notifier reads nothing. Secrets (webhook URLs, SMTP passwords) come from here only,
 * usually from environment variables; they never travel in events.
 *
 * @param groupId the consumer group (and its prefix for the three topics it follows)
 * @param channels by name
 * @param rules which kinds go to which channels; none: every problem to every channel
 * @param throttle the same kind about the same subject goes to a channel once per this
 * @param attempts tries per delivery
 * @param backoff wait after the first failed try, doubled after each (at most 5 min)
 * @param maxAge events older than this are not notified (a new notifier does not replay history)
 */
@ConfigurationProperties("lifeboat.notify")
public record NotifierProperties(
    @DefaultValue("lifeboat-notifier") String groupId,
    @DefaultValue Map<String, ChannelProperties> channels,
    @DefaultValue List<RuleProperties> rules,
    @DefaultValue("15m") Duration throttle,
    @DefaultValue("5") int attempts,
    @DefaultValue("2s") Duration backoff,
    @DefaultValue("1h") Duration maxAge) {

  /**
   * One channel.
   *
   * @param type {@code webhook} (Lifeboat's JSON), {@code slack} (Slack-compatible), {@code email}
   * @param url the webhook's URL (secret)
   * @param host SMTP server
   * @param port SMTP port
   * @param username SMTP login
   * @param password SMTP password (secret)
   * @param from sender
   * @param to recipients
   * @param startTls require STARTTLS
   * @param timeout per attempt
   * @param allowedDomains email domains a backup request may add recipients in (default: those of
   *     {@code to})
   */
  public record ChannelProperties(
      String type,
      @Nullable String url,
      @Nullable String host,
      @DefaultValue("25") int port,
      @Nullable String username,
      @Nullable String password,
      @DefaultValue("lifeboat@localhost") String from,
      @DefaultValue List<String> to,
      @DefaultValue("false") boolean startTls,
      @DefaultValue("10s") Duration timeout,
      @DefaultValue List<String> allowedDomains) {

    @Override
    public String toString() {
      return "channel of type " + type; // never the URL or the password
    }
  }

  /**
   * One rule.
   *
   * @param events kinds (exact, {@code backup.*}, {@code *})
   * @param channels channel names
   */
  public record RuleProperties(
      @DefaultValue List<String> events, @DefaultValue List<String> channels) {}
}
