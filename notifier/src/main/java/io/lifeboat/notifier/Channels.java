package io.lifeboat.notifier;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the configured channels, with errors that name the setting but not its secret value. */
public final class Channels {

  private Channels() {}

  public static List<Channel> of(Map<String, NotifierProperties.ChannelProperties> configured) {
    List<Channel> out = new ArrayList<>();
    configured.forEach((name, c) -> out.add(of(name, c)));
    return out;
  }

  static Channel of(String name, NotifierProperties.ChannelProperties c) {
    String type = c.type() == null ? "" : c.type().toLowerCase(Locale.ROOT);
    switch (type) {
      case "webhook", "slack" -> {
        if (c.url() == null || c.url().isBlank()) {
          throw new IllegalArgumentException(
              "notification channel " + name + ": set lifeboat.notify.channels." + name + ".url");
        }
        URI url;
        try {
          url = URI.create(c.url().strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "notification channel " + name + ": its url is not a URL", null);
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
          throw new IllegalArgumentException(
              "notification channel " + name + ": its url must be http:// or https://");
        }
        return new WebhookChannel(
            name,
            url,
            type.equals("slack") ? WebhookChannel.Format.SLACK : WebhookChannel.Format.JSON,
            c.timeout());
      }
      case "email" -> {
        if (c.host() == null || c.host().isBlank()) {
          throw new IllegalArgumentException(
              "notification channel " + name + ": set lifeboat.notify.channels." + name + ".host");
        }
        return new EmailChannel(
            name,
            new EmailChannel.Settings(
                c.host().strip(),
                c.port(),
                c.username(),
                c.password(),
                c.from(),
                c.to(),
                c.startTls(),
                c.timeout(),
                c.allowedDomains()));
      }
      default ->
          throw new IllegalArgumentException(
              "notification channel "
                  + name
                  + ": type must be webhook, slack or email, not '"
                  + c.type()
                  + "'");
    }
  }
}
