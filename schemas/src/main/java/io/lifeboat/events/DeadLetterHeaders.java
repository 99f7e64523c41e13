package io.lifeboat.events;

/**
 * Headers on every dead-letter record, besides the original key and value bytes. A dead-letter
 * topic is named after its source topic with {@link TopicSpec#DEAD_LETTER_SUFFIX}.
 */
public final class DeadLetterHeaders {
  /** Why the record could not be processed (exception message, never a secret). */
  public static final String ERROR = "lifeboat.dlt.error";

  /** Class name of the exception. */
  public static final String ERROR_CLASS = "lifeboat.dlt.error-class";

  public static final String ORIGINAL_TOPIC = "lifeboat.dlt.original-topic";
  public static final String ORIGINAL_PARTITION = "lifeboat.dlt.original-partition";
  public static final String ORIGINAL_OFFSET = "lifeboat.dlt.original-offset";

  /** The consumer group that gave up on the record. */
  public static final String CONSUMER_GROUP = "lifeboat.dlt.consumer-group";

  private DeadLetterHeaders() {}
}
