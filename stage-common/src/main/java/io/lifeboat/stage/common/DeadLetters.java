package io.lifeboat.stage.common;

import io.lifeboat.events.Alert;
import io.lifeboat.events.DeadLetterHeaders;
import io.lifeboat.events.Envelopes;
import io.lifeboat.events.ForgedEventException;
import io.lifeboat.events.Severity;
import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The dead-letter convention: a record that cannot be processed goes, with its original key and
 * value bytes, to {@code <topic>.dlt} with {@link DeadLetterHeaders} saying why, and the consumer
 * moves on.
 */
public final class DeadLetters {

  private static final LogAccessor LOG = new LogAccessor(DeadLetters.class);

  private DeadLetters() {}

  /**
   * The recoverer record containers use (after retries, or at once for unreadable records). A
   * record dead-lettered because its signature is missing or wrong is also alerted on: someone
   * wrote to a topic who should not have.
   */
  public static ConsumerRecordRecoverer recoverer(
      org.springframework.kafka.core.KafkaOperations<Object, Object> template, String groupId) {
    DeadLetterPublishingRecoverer r =
        new DeadLetterPublishingRecoverer(
            template,
            (rec, ex) -> new TopicPartition(rec.topic() + TopicSpec.DEAD_LETTER_SUFFIX, -1));
    r.setHeadersFunction((rec, ex) -> headers(rec, ex, groupId));
    return (rec, ex) -> {
      r.accept(rec, ex);
      if (rootCause(ex) instanceof ForgedEventException forged) {
        LOG.error(
            () ->
                "refused a forged record on "
                    + rec.topic()
                    + " (partition "
                    + rec.partition()
                    + ", offset "
                    + rec.offset()
                    + "): "
                    + forged.getMessage());
        template.send(Topics.ALERTS.name(), rec.topic(), forgedAlert(rec, forged));
      }
    };
  }

  static Alert forgedAlert(ConsumerRecord<?, ?> rec, ForgedEventException forged) {
    return Alert.newBuilder()
        .setEnvelope(Envelopes.next(rec.topic()))
        .setSeverity(Severity.CRITICAL)
        .setKind(FORGED_KIND)
        .setSubject(rec.topic())
        .setMessage(
            forged.getMessage()
                + " (partition "
                + rec.partition()
                + ", offset "
                + rec.offset()
                + "; moved to "
                + rec.topic()
                + TopicSpec.DEAD_LETTER_SUFFIX
                + "): someone who should not may write to this topic")
        .setLabels(java.util.Map.of("topic", rec.topic()))
        .build();
  }

  /** The alert kind of a record refused for its signature. */
  public static final String FORGED_KIND = "security.forged-event";

  /** The deserialization failure of a record's value, or null if it was read fine. */
  public static @Nullable DeserializationException valueFailure(ConsumerRecord<?, ?> record) {
    return SerializationUtils.getExceptionFromHeader(
        record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
  }

  /**
   * A dead-letter record for sending yourself (inside a transaction, say).
   *
   * @param originalValue the bytes to keep (the unreadable value, or the encoded event)
   */
  public static ProducerRecord<Object, Object> record(
      ConsumerRecord<?, ?> record,
      @Nullable Object originalValue,
      Exception error,
      String groupId) {
    return new ProducerRecord<>(
        record.topic() + TopicSpec.DEAD_LETTER_SUFFIX,
        null,
        null,
        record.key(),
        originalValue,
        headers(record, error, groupId));
  }

  /** The {@link DeadLetterHeaders} of a record dead-lettered by {@code groupId} for {@code ex}. */
  public static Headers headers(ConsumerRecord<?, ?> rec, Exception ex, String groupId) {
    Throwable cause = rootCause(ex);
    RecordHeaders h = new RecordHeaders();
    h.add(DeadLetterHeaders.ERROR, utf8(String.valueOf(cause.getMessage())));
    h.add(DeadLetterHeaders.ERROR_CLASS, utf8(cause.getClass().getName()));
    h.add(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(rec.topic()));
    h.add(DeadLetterHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(rec.partition())));
    h.add(DeadLetterHeaders.ORIGINAL_OFFSET, utf8(Long.toString(rec.offset())));
    h.add(DeadLetterHeaders.CONSUMER_GROUP, utf8(groupId));
    return h;
  }

  /** The exception that says why (a deserialization failure's own cause). */
  public static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof DeserializationException) {
        break;
      }
      c = c.getCause();
    }
    if (c instanceof DeserializationException d && d.getCause() != null) {
      return d.getCause();
    }
    return c;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
