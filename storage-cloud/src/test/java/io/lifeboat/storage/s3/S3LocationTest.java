package io.lifeboat.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.core.storage.StorageException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

class S3LocationTest {

  static S3Location parse(String s) {
    return S3Location.parse(URI.create(s));
  }

  @Test
  void defaults_forAws() {
    S3Location l = parse("s3://my-bucket/backups/host1/");
    assertThat(l.bucket()).isEqualTo("my-bucket");
    assertThat(l.prefix()).isEqualTo("backups/host1/");
    assertThat(l.endpoint()).isEmpty();
    assertThat(l.pathStyle()).isFalse();
    assertThat(l.multipartThreshold()).isEqualTo(64L << 20);
    assertThat(l.conditionalWrites()).isEmpty();
    assertThat(l.display()).isEqualTo("s3://my-bucket/backups/host1");
    assertThat(parse("s3://my-bucket").prefix()).isEmpty();
  }

  @Test
  void allOptions() {
    S3Location l =
        parse(
            "s3://b-1/p?region=eu-west-1&endpoint=http://127.0.0.1:9000&storageClass=STANDARD_IA&sse=aws:kms"
                + "&kmsKeyId=arn:aws:kms:k&objectLockMode=COMPLIANCE&objectLockDays=30&multipartThreshold=16MiB"
                + "&conditionalWrites=false");
    assertThat(l.pathStyle()).isTrue();
    assertThat(l.storageClass()).hasValue(StorageClass.STANDARD_IA);
    assertThat(l.sse()).hasValue(ServerSideEncryption.AWS_KMS);
    assertThat(l.kmsKeyId()).hasValue("arn:aws:kms:k");
    assertThat(l.objectLockMode()).hasValue(ObjectLockMode.COMPLIANCE);
    assertThat(l.objectLockDays()).isEqualTo(30);
    assertThat(l.multipartThreshold()).isEqualTo(16L << 20);
    assertThat(l.conditionalWrites()).isEqualTo(Optional.of(false));
    assertThat(l.display()).isEqualTo("s3://b-1/p?region=eu-west-1&endpoint=http://127.0.0.1:9000");
    assertThat(parse("s3://b-1/p?endpoint=http://h:1&pathStyle=false").pathStyle()).isFalse();
  }

  @Test
  void badLocations_failNamingTheProblem_withoutEchoingValues() {
    assertThatThrownBy(() -> parse("s3://AKIAXXX:topsecret@bucket/p"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> parse("s3://bucket/p?secretKey=topsecret"))
        .hasMessageContaining("unknown option 'secretKey'")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> parse("s3://bucket/p?objectLockMode=GOVERNANCE"))
        .hasMessageContaining("objectLockDays");
    assertThatThrownBy(() -> parse("s3://bucket/p?multipartThreshold=1MiB"))
        .hasMessageContaining("at least 5MiB");
    assertThatThrownBy(() -> parse("s3://bucket/p?kmsKeyId=k")).hasMessageContaining("sse=aws:kms");
    assertThatThrownBy(() -> parse("s3://bucket/p?storageClass=CHEAP"))
        .hasMessageContaining("storageClass");
    assertThatThrownBy(() -> parse("s3://bucket/p?endpoint=http://u:pw@h:1"))
        .hasMessageContaining("endpoint");
    assertThatThrownBy(() -> parse("s3://B/p")).hasMessageContaining("bucket name");
    assertThat(new S3BackendFactory().scheme()).isEqualTo("s3");
  }
}
