package io.lifeboat.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each notification to the channels its rules select: throttles repeats, retries a failed
 * delivery with exponential backoff on its own threads (the Kafka consumer never waits for a
 * webhook), and reports a delivery that failed every attempt as a {@code notification.failed}
 * notification of its own (to the other channels; never back to the one that failed).
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How often and how patiently a delivery is tried. */
  public record Retry(int attempts, Duration firstBackoff, Duration maxBackoff) {
    Duration backoff(int failedAttempts) {
      long ms = firstBackoff.toMillis() << Math.min(20, Math.max(0, failedAttempts - 1));
      return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
  }

  /** A delivery that failed every attempt. */
  public record Failure(Notification notification, String channel, String reason) {}

  private final Map<String, Channel> channels;
  private final List<NotifyRule> rules;
  private final Throttle throttle;
  private final Retry retry;
  private final Consumer<Failure> failed;
  private final MeterRegistry meters;
  private final Clock clock;
  private final ScheduledExecutorService workers;

  public Dispatcher(
      List<Channel> channels,
      List<NotifyRule> rules,
      Duration throttle,
      Retry retry,
      Consumer<Failure> failed,
      MeterRegistry meters,
      Clock clock) {
    this.channels = new LinkedHashMap<>();
    channels.forEach(c -> this.channels.put(c.name(), c));
    for (NotifyRule r : rules) {
      for (String c : r.channels()) {
        if (!this.channels.containsKey(c)) {
          throw new IllegalArgumentException(
              "a notification rule names the channel '"
                  + c
                  + "', which is not configured (lifeboat.notify.channels."
                  + c
                  + ".type)");
        }
      }
    }
    this.rules =
        rules.isEmpty() && !channels.isEmpty()
            ? List.of(new NotifyRule(NotifyRule.PROBLEMS, List.copyOf(this.channels.keySet())))
            : List.copyOf(rules);
    this.throttle = new Throttle(throttle);
    this.retry = retry;
    this.failed = failed;
    this.meters = meters;
    this.clock = clock;
    this.workers =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "lifeboat-notifier");
              t.setDaemon(true);
              return t;
            });
  }

  /** The rules in force (the default one when none was configured). */
  public List<NotifyRule> rules() {
    return rules;
  }

  /** The channels the rules select for this kind, in configuration order. */
  public List<String> channelsFor(String kind) {
    List<String> out = new ArrayList<>();
    for (NotifyRule r : rules) {
      if (r.matches(kind)) {
        for (String c : r.channels()) {
          if (!out.contains(c)) {
            out.add(c);
          }
        }
      }
    }
    return out;
  }

  /**
   * Routes a notification by the rules. Returns at once, with how many deliveries it started; they
   * happen on other threads.
   */
  public int dispatch(Notification n) {
    int started = 0;
    for (String c : channelsFor(n.kind())) {
      if ("notification.failed".equals(n.kind()) && c.equals(n.labels().get("channel"))) {
        continue; // it could not be reached a moment ago
      }
      if (send(n, c, List.of())) {
        started++;
      }
    }
    return started;
  }

  /**
   * Routes a notification by the rules and by its backup request's own settings (a channel both
   * select gets it once).
   */
  public int dispatch(Notification n, List<io.lifeboat.events.NotificationSetting> requested) {
    int started = dispatch(n);
    List<String> byRules = channelsFor(n.kind());
    for (io.lifeboat.events.NotificationSetting s : requested) {
      if (!BackupSubscriptions.selects(s, n.kind())) {
        continue;
      }
      Channel channel = channels.get(s.getChannel());
      if (channel == null) {
        LOG.warn(
            "backup {} asks to notify channel '{}', which is not configured",
            n.subject(),
            brief(s.getChannel()));
        continue;
      }
      List<String> refused = channel.refusedRecipients(s.getRecipients());
      if (!refused.isEmpty()) {
        LOG.warn(
            "backup {} asks channel {} to notify {}: not allowed there; sending to its own"
                + " recipients",
            n.subject(),
            channel.name(),
            refused.size() + " address(es) outside its allowed domains");
        if (byRules.contains(channel.name())) {
          continue;
        }
        if (send(n, channel.name(), List.of())) {
          started++;
        }
        continue;
      }
      if (s.getRecipients().isEmpty() && byRules.contains(channel.name())) {
        continue; // the rules send it there already
      }
      if (send(n, channel.name(), List.copyOf(s.getRecipients()))) {
        started++;
      }
    }
    return started;
  }

  /**
   * Sends to one channel, throttled like the rest.
   *
   * @return whether a delivery started (false: no such channel, or a repeat held back)
   */
  public boolean send(Notification n, String channelName, List<String> recipients) {
    Channel channel = channels.get(channelName);
    if (channel == null) {
      LOG.warn("no notification channel named '{}': {} not sent there", channelName, n.kind());
      return false;
    }
    if (!throttle.allow(channelName + "\u0000" + n.repeatKey() + recipients, clock.instant())) {
      count(channelName, n.kind(), "throttled");
      return false;
    }
    workers.execute(() -> attempt(n, channel, recipients, 1));
    return true;
  }

  private void attempt(Notification n, Channel channel, List<String> recipients, int attempt) {
    try {
      channel.send(n, recipients);
      count(channel.name(), n.kind(), "sent");
      LOG.info("notified {} of {} about {}", channel.name(), n.kind(), n.subject());
    } catch (DeliveryException | RuntimeException e) {
      String reason =
          e instanceof DeliveryException ? e.getMessage() : e.getClass().getSimpleName();
      if (attempt < retry.attempts()) {
        Duration wait = retry.backoff(attempt);
        count(channel.name(), n.kind(), "retried");
        LOG.info(
            "{} (attempt {} of {}); trying again in {} ms",
            reason,
            attempt,
            retry.attempts(),
            wait.toMillis());
        workers.schedule(
            () -> attempt(n, channel, recipients, attempt + 1),
            wait.toMillis(),
            TimeUnit.MILLISECONDS);
        return;
      }
      count(channel.name(), n.kind(), "failed");
      LOG.warn(
          "gave up notifying {} of {} after {} attempts: {}",
          channel.name(),
          n.kind(),
          attempt,
          reason);
      if (!"notification.failed".equals(n.kind())) {
        failed.accept(new Failure(n, channel.name(), String.valueOf(reason)));
      }
    }
  }

  /** A name from an event, fit for a log line: printable, at most 60 characters. */
  static String brief(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
  }

  private void count(String channel, String kind, String outcome) {
    Counter.builder("lifeboat.notifications")
        .description(
            "Notifications, by channel, kind and outcome (sent, retried, failed, throttled)")
        .tag("channel", channel)
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
