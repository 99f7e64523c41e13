package io.lifeboat.client;

import io.lifeboat.events.TopicSpec;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * How a client's requests reach the services: straight onto their Kafka topics (the default), or
 * through the API, which signs them with the caller's identity ({@link ApiRequestSender}, needed
 * when the services check roles).
 */
public interface RequestSender {

  /**
   * Sends one request record.
   *
   * @param value null deletes (a plan or a schedule)
   * @throws io.lifeboat.model.LifeboatClientException saying why it was not sent
   */
  <V extends SpecificRecord> void send(TopicSpec<V> topic, String key, @Nullable V value);
}
