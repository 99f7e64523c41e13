package io.lifeboat.catalog;

import io.lifeboat.catalog.topology.CatalogTopology;
import io.lifeboat.stage.common.KafkaClients;
import io.lifeboat.stage.streams.StreamsService;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Runs the catalog topology: started with the application context, closed with it. The store is
 * persistent (RocksDB under the state dir) and backed by a compacted changelog topic, so a restart
 * or a new instance rebuilds it.
 */
public final class CatalogStreams extends StreamsService {

  public CatalogStreams(
      KafkaClients clients,
      CatalogProperties properties,
      String stateDir,
      Consumer<SpecificRecord> observer) {
    super(
        clients,
        properties.applicationId(),
        stateDir,
        StreamsConfig.AT_LEAST_ONCE,
        () -> CatalogTopology.build(observer));
  }
}
