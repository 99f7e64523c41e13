package io.lifeboat.catalog.topology;

/** Names of the catalog's state stores, shared by the topology and the query layer. */
public final class CatalogStores {

  /** Backup id to {@link io.lifeboat.events.CatalogEntry}. */
  public static final String BACKUPS_BY_ID = "catalog-backups-by-id";

  /** Recovery execution id to its latest {@link io.lifeboat.events.RecoveryExecution}. */
  public static final String RECOVERIES_BY_ID = "catalog-recoveries-by-id";

  /** Schedule name to its {@link io.lifeboat.events.ScheduleDefined} (a global table). */
  public static final String SCHEDULES = "catalog-schedules";

  /** Audit event id to its {@link io.lifeboat.events.AuditEvent}. */
  public static final String AUDIT = "catalog-audit";

  private CatalogStores() {}
}
