package io.lifeboat.stage.common;

import io.lifeboat.events.TopicSpec;
import io.lifeboat.events.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Lifeboat's topics: each service reads the topics it consumes and writes only
 * the ones it produces. In particular only the coordinator writes recovery commands, only the
 * executor writes their results, only the dump stage writes chunk lists, and the command line
 * writes requests and plans but no command. Everything not granted is denied (the broker runs with
 * {@code allow.everyone.if.no.acl.found=false}).
 */
public final class KafkaAcls {

  private KafkaAcls() {}

  /**
   * @param catalogAppId the catalog's Kafka Streams application id (its group, internal topics and
   *     transactional ids)
   * @param coordinatorAppId the coordinator's
   * @param schedulerAppId the scheduler's
   */
  public static List<AclBinding> bindings(
      String catalogAppId, String coordinatorAppId, String schedulerAppId) {
    return bindings(catalogAppId, coordinatorAppId, schedulerAppId, false);
  }

  /**
   * @param roles roles mode ({@code lifeboat.auth.mode=roles}): the command line sends its requests
   *     through the API, so {@code lifeboat-cli} may no longer write the request topics (the
   *     services would refuse what it wrote unsigned anyway)
   */
  public static List<AclBinding> bindings(
      String catalogAppId, String coordinatorAppId, String schedulerAppId, boolean roles) {
    List<AclBinding> b = new ArrayList<>();
    // dump stage: requests in; chunks, progress, chunk lists, rejections out
    consumes(b, Principals.DUMP, "lifeboat-stage-dump", Topics.BACKUP_REQUESTS);
    produces(
        b,
        Principals.DUMP,
        Topics.CHUNKS_RAW,
        Topics.BACKUP_COMPONENTS,
        Topics.BACKUP_DUMPS,
        Topics.BACKUP_REJECTIONS);
    reads(b, Principals.DUMP, Topics.BACKUP_CANCELLATIONS); // stops a cancelled dump
    // compress-encrypt: raw chunks in (and deleted once sealed), sealed chunks out, in transactions
    consumes(b, Principals.SEAL, "lifeboat-stage-seal", Topics.CHUNKS_RAW);
    produces(b, Principals.SEAL, Topics.CHUNKS_SEALED);
    allow(
        b,
        Principals.SEAL,
        ResourceType.TOPIC,
        Topics.CHUNKS_RAW.name(),
        PatternType.LITERAL,
        AclOperation.DELETE);
    allow(
        b,
        Principals.SEAL,
        ResourceType.TRANSACTIONAL_ID,
        "lifeboat-seal-",
        PatternType.PREFIXED,
        AclOperation.WRITE);
    allow(
        b,
        Principals.SEAL,
        ResourceType.TRANSACTIONAL_ID,
        "lifeboat-seal-",
        PatternType.PREFIXED,
        AclOperation.DESCRIBE);
    // upload: sealed chunks in, stored-chunk events out
    consumes(b, Principals.UPLOAD, "lifeboat-stage-upload", Topics.CHUNKS_SEALED);
    produces(b, Principals.UPLOAD, Topics.CHUNKS_STORED);
    // verify: chunk lists (and the upload's write failures) in, completions out
    consumes(b, Principals.VERIFY, "lifeboat-stage-verify", Topics.BACKUP_DUMPS);
    reads(b, Principals.VERIFY, Topics.ALERTS);
    reads(b, Principals.VERIFY, Topics.SCHEDULES); // retention comes from the schedule
    reads(b, Principals.VERIFY, Topics.BACKUP_CANCELLATIONS); // commits nothing for them
    produces(b, Principals.VERIFY, Topics.BACKUP_COMPLETIONS);
    produces(b, Principals.VERIFY, Topics.BACKUP_DELETIONS); // scheduled retention
    // ... and verify requests for stored backups in, their answers out
    consumes(b, Principals.VERIFY, "lifeboat-stage-verify-requests", Topics.BACKUP_VERIFY_REQUESTS);
    consumes(
        b, Principals.VERIFY, "lifeboat-stage-verify-deletions", Topics.BACKUP_DELETE_REQUESTS);
    produces(b, Principals.VERIFY, Topics.BACKUP_VERIFICATIONS);
    // recovery executor: commands in, results and progress out
    consumes(b, Principals.EXECUTOR, "lifeboat-recovery-executor", Topics.RECOVERY_COMMANDS);
    produces(
        b,
        Principals.EXECUTOR,
        Topics.RECOVERY_RESULTS,
        Topics.RECOVERY_PROGRESS,
        Topics.AUDIT); // the targets its policy refuses
    // catalog: reads what it projects; its own Streams topics
    for (TopicSpec<?> t :
        List.of(
            Topics.BACKUP_REQUESTS,
            Topics.BACKUP_REJECTIONS,
            Topics.BACKUP_COMPONENTS,
            Topics.BACKUP_DUMPS,
            Topics.BACKUP_COMPLETIONS,
            Topics.ALERTS,
            Topics.BACKUP_DELETIONS,
            Topics.BACKUP_VERIFICATIONS,
            Topics.RECOVERY_EXECUTIONS,
            Topics.SCHEDULES,
            Topics.AUDIT)) {
      reads(b, Principals.CATALOG, t);
      deadLetters(b, Principals.CATALOG, t);
    }
    streamsApp(b, Principals.CATALOG, catalogAppId);
    // coordinator: plans, requests and results in; commands, executions out; its API writes plans
    // and requests
    for (TopicSpec<?> t :
        List.of(
            Topics.RECOVERY_PLANS,
            Topics.RECOVERY_REQUESTS,
            Topics.RECOVERY_RESULTS,
            Topics.APPROVALS,
            Topics.APPROVAL_DECISIONS)) {
      reads(b, Principals.COORDINATOR, t);
      deadLetters(b, Principals.COORDINATOR, t);
    }
    produces(
        b,
        Principals.COORDINATOR,
        Topics.RECOVERY_COMMANDS,
        Topics.RECOVERY_EXECUTIONS,
        Topics.RECOVERY_PLANS,
        Topics.RECOVERY_REQUESTS,
        Topics.SCHEDULES, // the schedule API
        Topics.BACKUP_REQUESTS, // the backup API
        Topics.BACKUP_VERIFY_REQUESTS,
        Topics.BACKUP_DELETE_REQUESTS,
        Topics.BACKUP_CANCELLATIONS,
        Topics.AUDIT, // the API's audit trail
        Topics.APPROVALS, // changes held for a second admin, and the decisions
        Topics.APPROVAL_DECISIONS);
    streamsApp(b, Principals.COORDINATOR, coordinatorAppId);
    // scheduler: schedules and backup outcomes in; backup and recovery requests out
    for (TopicSpec<?> t :
        List.of(Topics.SCHEDULES, Topics.BACKUP_COMPLETIONS, Topics.BACKUP_REJECTIONS)) {
      reads(b, Principals.SCHEDULER, t);
      deadLetters(b, Principals.SCHEDULER, t);
    }
    produces(b, Principals.SCHEDULER, Topics.BACKUP_REQUESTS, Topics.RECOVERY_REQUESTS);
    // roles mode: the services that act on requests record the ones they refuse
    for (String p : List.of(Principals.DUMP, Principals.VERIFY, Principals.SCHEDULER)) {
      produces(b, p, Topics.AUDIT);
    }
    streamsApp(b, Principals.SCHEDULER, schedulerAppId);
    // notifier: requests, alerts, rejections, completions and recovery executions in; its
    // delivery failures out as alerts
    for (TopicSpec<?> t :
        List.of(
            Topics.BACKUP_REQUESTS, // the notification settings a request carries
            Topics.ALERTS,
            Topics.BACKUP_COMPLETIONS,
            Topics.BACKUP_REJECTIONS,
            Topics.RECOVERY_EXECUTIONS)) {
      consumes(b, Principals.NOTIFIER, "lifeboat-notifier", t);
    }
    produces(b, Principals.NOTIFIER, Topics.ALERTS);
    // command line: requests and plans out; answers, progress and alerts in (no consumer group)
    if (!roles) {
      produces(
          b,
          Principals.CLI,
          Topics.BACKUP_REQUESTS,
          Topics.BACKUP_CANCELLATIONS,
          Topics.BACKUP_VERIFY_REQUESTS,
          Topics.RECOVERY_REQUESTS,
          Topics.RECOVERY_PLANS,
          Topics.SCHEDULES);
    }
    // no deletions, audit or alerts: every host user of the command line shares this login, so
    // what it wrote there could be forged (a storage command asks the verify stage to verify what
    // it deleted, and records a break-glass through the API); decision 0032
    for (TopicSpec<?> t :
        List.of(
            Topics.BACKUP_COMPLETIONS,
            Topics.BACKUP_REJECTIONS,
            Topics.BACKUP_COMPONENTS,
            Topics.BACKUP_VERIFICATIONS,
            Topics.ALERTS,
            Topics.RECOVERY_EXECUTIONS,
            Topics.RECOVERY_PROGRESS,
            Topics.RECOVERY_PLANS,
            Topics.SCHEDULES)) {
      reads(b, Principals.CLI, t);
    }
    // every service may raise alerts
    for (String p :
        List.of(
            Principals.DUMP,
            Principals.SEAL,
            Principals.UPLOAD,
            Principals.VERIFY,
            Principals.EXECUTOR,
            Principals.COORDINATOR,
            Principals.SCHEDULER)) {
      produces(b, p, Topics.ALERTS);
    }
    return b;
  }

  /** Reads a topic in a consumer group, and dead-letters what it cannot read. */
  private static void consumes(
      List<AclBinding> b, String principal, String group, TopicSpec<?> topic) {
    reads(b, principal, topic);
    allow(b, principal, ResourceType.GROUP, group, PatternType.PREFIXED, AclOperation.READ);
    deadLetters(b, principal, topic);
  }

  /**
   * What the other mode grants and this one does not, and what earlier versions granted and no mode
   * grants now: taken away when the mode changes, or at the next start or {@code kafka-setup} after
   * an upgrade.
   */
  public static List<AclBinding> obsolete(
      String catalogAppId, String coordinatorAppId, String schedulerAppId, boolean roles) {
    List<AclBinding> gone =
        new ArrayList<>(bindings(catalogAppId, coordinatorAppId, schedulerAppId, !roles));
    gone.addAll(retired());
    gone.removeAll(bindings(catalogAppId, coordinatorAppId, schedulerAppId, roles));
    return gone.stream().distinct().toList();
  }

  /**
   * Grants of earlier versions that no mode gives any more: {@code lifeboat-cli} wrote deletions,
   * the audit trail and alerts (decision 0032). Whatever a current grant still needs (the command
   * line's DESCRIBE of the alerts it reads) is kept by {@link #obsolete}.
   */
  static List<AclBinding> retired() {
    List<AclBinding> b = new ArrayList<>();
    produces(b, Principals.CLI, Topics.BACKUP_DELETIONS, Topics.AUDIT, Topics.ALERTS);
    return b;
  }

  /**
   * Grants {@code wanted}, takes away {@code obsolete}, and waits until the broker's authorizer
   * answers with exactly that (it applies them a moment after they are committed: services started
   * before would be refused).
   *
   * @throws IllegalStateException when it does not within the timeout
   */
  public static void apply(
      org.apache.kafka.clients.admin.Admin admin,
      List<AclBinding> wanted,
      List<AclBinding> obsolete,
      java.time.Duration timeout)
      throws Exception {
    admin.createAcls(wanted).all().get(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    if (!obsolete.isEmpty()) {
      admin
          .deleteAcls(obsolete.stream().map(AclBinding::toFilter).toList())
          .all()
          .get(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      java.util.Set<AclBinding> now =
          new java.util.HashSet<>(
              admin
                  .describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                  .values()
                  .get(10, java.util.concurrent.TimeUnit.SECONDS));
      if (now.containsAll(wanted) && obsolete.stream().noneMatch(now::contains)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the broker did not apply Lifeboat's ACLs within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  /** Writes what it cannot read of {@code topic} to the topic's dead-letter topic. */
  private static void deadLetters(List<AclBinding> b, String principal, TopicSpec<?> topic) {
    allow(
        b,
        principal,
        ResourceType.TOPIC,
        topic.deadLetterName(),
        PatternType.LITERAL,
        AclOperation.WRITE);
    allow(
        b,
        principal,
        ResourceType.TOPIC,
        topic.deadLetterName(),
        PatternType.LITERAL,
        AclOperation.DESCRIBE);
  }

  private static void reads(List<AclBinding> b, String principal, TopicSpec<?> topic) {
    allow(b, principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.READ);
    allow(
        b, principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE);
  }

  private static void produces(List<AclBinding> b, String principal, TopicSpec<?>... topics) {
    for (TopicSpec<?> t : topics) {
      allow(b, principal, ResourceType.TOPIC, t.name(), PatternType.LITERAL, AclOperation.WRITE);
      allow(b, principal, ResourceType.TOPIC, t.name(), PatternType.LITERAL, AclOperation.DESCRIBE);
    }
  }

  /** A Kafka Streams app: its group, internal topics and (exactly once) transactional ids. */
  private static void streamsApp(List<AclBinding> b, String principal, String appId) {
    allow(b, principal, ResourceType.GROUP, appId, PatternType.PREFIXED, AclOperation.ALL);
    allow(b, principal, ResourceType.TOPIC, appId, PatternType.PREFIXED, AclOperation.ALL);
    allow(
        b, principal, ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, AclOperation.ALL);
  }

  private static void allow(
      List<AclBinding> b,
      String principal,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation op) {
    b.add(
        new AclBinding(
            new ResourcePattern(type, name, pattern),
            new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)));
  }
}
