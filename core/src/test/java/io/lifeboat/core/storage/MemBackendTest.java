package io.lifeboat.core.storage;

import io.lifeboat.core.storage.mem.MemBackend;
import java.util.UUID;

class MemBackendTest extends BackendContractTest {
  @Override
  protected Backend newBackend() {
    return new MemBackend(UUID.randomUUID().toString());
  }
}
