package io.lifeboat.stage.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.events.Topics;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class KafkaAclsRolesTest {

  static boolean writes(List<AclBinding> b, String principal, String topic) {
    return b.stream()
        .anyMatch(
            x ->
                x.entry().principal().equals("User:" + principal)
                    && x.entry().operation() == AclOperation.WRITE
                    && x.pattern().name().equals(topic));
  }

  @Test
  void rolesMode_takesTheCommandLinesRequestWritesAway_andSwitchingBackIsAnAddOnly() {
    List<AclBinding> single = KafkaAcls.bindings("c", "r", "s", false);
    List<AclBinding> roles = KafkaAcls.bindings("c", "r", "s", true);
    for (var t :
        List.of(
            Topics.BACKUP_REQUESTS,
            Topics.BACKUP_DELETE_REQUESTS,
            Topics.RECOVERY_REQUESTS,
            Topics.RECOVERY_PLANS,
            Topics.SCHEDULES)) {
      assertThat(writes(roles, Principals.CLI, t.name())).as(t.name()).isFalse();
    }
    assertThat(writes(single, Principals.CLI, Topics.BACKUP_REQUESTS.name())).isTrue();
    assertThat(writes(roles, Principals.COORDINATOR, Topics.BACKUP_REQUESTS.name())).isTrue();

    List<AclBinding> goneInRoles = KafkaAcls.obsolete("c", "r", "s", true);
    assertThat(writes(goneInRoles, Principals.CLI, Topics.RECOVERY_REQUESTS.name())).isTrue();
    assertThat(goneInRoles)
        .allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:" + Principals.CLI));
    assertThat(KafkaAcls.obsolete("c", "r", "s", false))
        .allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:" + Principals.CLI))
        .noneMatch(b -> writes(List.of(b), Principals.CLI, Topics.BACKUP_REQUESTS.name()));
  }

  /**
   * Every host user of the command line shares its login: it may write neither the audit trail, nor
   * deletions, nor alerts, in either mode; a broker set up by an earlier version loses those grants
   * (and only those: the command line still reads alerts).
   */
  @Test
  void theCommandLine_writesNoAuditDeletionsOrAlerts_inEitherMode_andOldGrantsAreTakenAway() {
    for (boolean roles : List.of(false, true)) {
      List<AclBinding> b = KafkaAcls.bindings("c", "r", "s", roles);
      for (var t : List.of(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS)) {
        assertThat(writes(b, Principals.CLI, t.name())).as(t.name() + " roles=" + roles).isFalse();
      }
      // the verify stage announces deletions; the coordinator writes the audit trail and alerts
      assertThat(writes(b, Principals.VERIFY, Topics.BACKUP_DELETIONS.name())).isTrue();
      assertThat(writes(b, Principals.COORDINATOR, Topics.AUDIT.name())).isTrue();
      assertThat(writes(b, Principals.COORDINATOR, Topics.ALERTS.name())).isTrue();
      List<AclBinding> gone = KafkaAcls.obsolete("c", "r", "s", roles);
      for (var t : List.of(Topics.AUDIT, Topics.BACKUP_DELETIONS, Topics.ALERTS)) {
        assertThat(writes(gone, Principals.CLI, t.name())).as(t.name()).isTrue();
      }
      assertThat(gone).doesNotContainAnyElementsOf(b);
      assertThat(b)
          .anyMatch(
              x ->
                  x.entry().principal().equals("User:" + Principals.CLI)
                      && x.entry().operation() == AclOperation.DESCRIBE
                      && x.pattern().name().equals(Topics.ALERTS.name()));
    }
  }
}
