package io.lifeboat.notifier;

import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/**
 * Glue: an event in, a notification (maybe) to the dispatcher, with the settings its backup's
 * request carried. Old events are skipped.
 */
public final class NotifierListener<V extends SpecificRecord>
    implements MessageListener<String, V> {

  private final Dispatcher dispatcher;
  private final BackupSubscriptions subscriptions;
  private final Duration maxAge;
  private final Clock clock;

  public NotifierListener(
      Dispatcher dispatcher, BackupSubscriptions subscriptions, Duration maxAge, Clock clock) {
    this.dispatcher = dispatcher;
    this.subscriptions = subscriptions;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public void onMessage(ConsumerRecord<String, V> record) {
    if (record.value() == null) {
      return;
    }
    if (record.value() instanceof io.lifeboat.events.BackupRequested r) {
      subscriptions.remember(r);
      return;
    }
    Notifications.of(record.value())
        .filter(n -> n.time().isAfter(clock.instant().minus(maxAge)))
        .ifPresent(n -> dispatcher.dispatch(n, subscriptions.of(n)));
  }
}
