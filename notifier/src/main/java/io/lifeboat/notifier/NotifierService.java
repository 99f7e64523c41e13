package io.lifeboat.notifier;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Starts the notifier's consumers with the application, if any channel is configured; stops them
 * and the dispatcher with it.
 */
public final class NotifierService implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(NotifierService.class);

  private final List<ConcurrentMessageListenerContainer<String, ?>> containers;
  private final Dispatcher dispatcher;
  private volatile boolean running;

  public NotifierService(
      List<ConcurrentMessageListenerContainer<String, ?>> containers, Dispatcher dispatcher) {
    this.containers = containers;
    this.dispatcher = dispatcher;
  }

  @Override
  public void start() {
    if (containers.isEmpty()) {
      LOG.debug("no notification channel configured: the notifier reads nothing");
    } else {
      containers.forEach(ConcurrentMessageListenerContainer::start);
      LOG.info("notifier: rules {}", dispatcher.rules());
    }
    running = true;
  }

  @Override
  public void stop() {
    containers.forEach(ConcurrentMessageListenerContainer::stop);
    dispatcher.close();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
