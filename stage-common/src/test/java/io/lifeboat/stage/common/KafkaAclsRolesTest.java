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
    assertThat(writes(roles, Principals.CLI, Topics.AUDIT.name())).isTrue();
    assertThat(writes(roles, Principals.COORDINATOR, Topics.BACKUP_REQUESTS.name())).isTrue();

    List<AclBinding> goneInRoles = KafkaAcls.obsolete("c", "r", "s", true);
    assertThat(writes(goneInRoles, Principals.CLI, Topics.RECOVERY_REQUESTS.name())).isTrue();
    assertThat(goneInRoles)
        .allSatisfy(b -> assertThat(b.entry().principal()).isEqualTo("User:" + Principals.CLI));
    assertThat(KafkaAcls.obsolete("c", "r", "s", false)).isEmpty();
  }
}
