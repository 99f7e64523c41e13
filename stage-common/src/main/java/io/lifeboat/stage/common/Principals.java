package io.lifeboat.stage.common;

import java.util.List;

/**
 * The Kafka principals of a Lifeboat deployment: one per service and one for the command line, each
 * allowed only what its role needs ({@link KafkaAcls}). The embedded default makes their SCRAM
 * credentials on first start, one owner-only file each under {@code
 * $LIFEBOAT_HOME/kafka-credentials/}.
 */
public final class Principals {

  public static final String DUMP = "lifeboat-dump";
  public static final String SEAL = "lifeboat-seal";
  public static final String UPLOAD = "lifeboat-upload";
  public static final String VERIFY = "lifeboat-verify";
  public static final String EXECUTOR = "lifeboat-executor";
  public static final String CATALOG = "lifeboat-catalog";
  public static final String COORDINATOR = "lifeboat-coordinator";
  public static final String SCHEDULER = "lifeboat-scheduler";
  public static final String NOTIFIER = "lifeboat-notifier";
  public static final String CLI = "lifeboat-cli";

  /** Creates topics and ACLs (the embedded default's `up`, or `lifeboat init` on a cluster). */
  public static final String ADMIN = "lifeboat-admin";

  /** The embedded broker itself (inter-broker traffic). */
  public static final String BROKER = "lifeboat-broker";

  /** Every principal that gets a credentials file. */
  public static final List<String> ALL =
      List.of(
          DUMP,
          SEAL,
          UPLOAD,
          VERIFY,
          EXECUTOR,
          CATALOG,
          COORDINATOR,
          SCHEDULER,
          NOTIFIER,
          CLI,
          ADMIN,
          BROKER);

  private Principals() {}
}
