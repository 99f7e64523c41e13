package io.lifeboat.catalog.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lifeboat.catalog.query.CatalogQueryService;
import io.lifeboat.events.CatalogEntry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class CatalogControllerTest {

  @Test
  void storeNotReady_is503WithRetryAfter() throws Exception {
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(new CatalogController(new CatalogQueryService(() -> null)))
            .setControllerAdvice(new CatalogApiErrors())
            .build();
    mvc.perform(get("/api/backups"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "2"))
        .andExpect(jsonPath("$.error").value("catalog is not started"));
    mvc.perform(get("/api/backups/some-id")).andExpect(status().isServiceUnavailable());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aStoreMovedAwayByARebalanceWhileReading_is503_not500() throws Exception {
    KafkaStreams streams = mock(KafkaStreams.class);
    ReadOnlyKeyValueStore<String, CatalogEntry> store = mock(ReadOnlyKeyValueStore.class);
    when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
    when(streams.store(any())).thenReturn(store);
    when(store.get(any()))
        .thenThrow(new InvalidStateStoreException("the partition moved to another instance"));
    when(store.all())
        .thenThrow(new InvalidStateStoreException("the partition moved to another instance"));
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(
                new CatalogController(new CatalogQueryService(() -> streams)))
            .setControllerAdvice(new CatalogApiErrors())
            .build();

    mvc.perform(get("/api/backups/some-id"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "2"));
    mvc.perform(get("/api/backups")).andExpect(status().isServiceUnavailable());
  }

  @Test
  void malformedFilter_is400() throws Exception {
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(new CatalogController(new CatalogQueryService(() -> null)))
            .setControllerAdvice(new CatalogApiErrors())
            .build();
    mvc.perform(get("/api/backups?label=novalue"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error").value("label filter must be key=value, got 'novalue'"));
    mvc.perform(get("/api/backups?from=yesterday")).andExpect(status().isBadRequest());
  }
}
