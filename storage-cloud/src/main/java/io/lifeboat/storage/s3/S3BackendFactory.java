package io.lifeboat.storage.s3;

import io.lifeboat.core.storage.Backend;
import io.lifeboat.core.storage.BackendFactory;
import java.net.URI;

/**
 * {@code s3://bucket/prefix?options}: see {@link S3Location} for the options and {@link S3Backend}
 * for the guarantees. Registered through the ServiceLoader so that core needs no AWS SDK.
 */
public final class S3BackendFactory implements BackendFactory {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public Backend create(URI location) {
    return new S3Backend(S3Location.parse(location));
  }
}
