package io.lifeboat.catalog.web;

import io.lifeboat.events.RecoveryExecution;
import io.lifeboat.model.RecoveryView;

/**
 * Recovery executions in the API's JSON shape ({@link RecoveryView}, GET /api/recoveries and
 * /api/recoveries/{id}), converted from the Avro state.
 */
public final class RecoveryViews {

  private RecoveryViews() {}

  static RecoveryView of(RecoveryExecution x) {
    return RecoveryView.of(x);
  }
}
