package io.lifeboat.notifier;

import java.util.List;

/** Where notifications go: a webhook, a Slack-compatible webhook, an email account. */
public interface Channel {

  /** The name it was configured with: the only way a message, a log or a metric names it. */
  String name();

  /**
   * Delivers one notification, or throws. Never puts the channel's secrets (URL, token, password)
   * into the exception.
   *
   * @param recipients extra addresses (email) given by the backup request; empty: the configured
   */
  void send(Notification n, List<String> recipients) throws DeliveryException;

  /**
   * The requested recipients this channel will not send to. A webhook takes none; an email channel
   * takes addresses in its allowed domains.
   */
  default List<String> refusedRecipients(List<String> recipients) {
    return recipients;
  }
}
