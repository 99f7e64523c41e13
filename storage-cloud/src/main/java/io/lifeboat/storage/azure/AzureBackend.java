package io.lifeboat.storage.azure;

import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.lifeboat.core.storage.ObjectInfo;
import io.lifeboat.core.storage.ObjectNotFoundException;
import io.lifeboat.core.storage.Ranges;
import io.lifeboat.core.storage.StorageException;
import io.lifeboat.storage.common.CloudBackend;
import io.lifeboat.storage.common.Failures;
import io.lifeboat.storage.common.Pages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A repository in an Azure Blob Storage container, one block blob per name under the location's
 * prefix.
 *
 * <p>putIfAbsent is a Put Blob with {@code If-None-Match: *} and Content-MD5: the service writes
 * the blob whole or not at all and refuses (409 BlobAlreadyExists, or 412) when the name exists, so
 * of racing writers at most one wins and an existing blob is never replaced. Azurite 3.35 enforces
 * the condition too.
 *
 * <p>Credentials, first found wins, each from a system property or else the environment: a
 * connection string ({@code azure.storage.connectionString} / {@code
 * AZURE_STORAGE_CONNECTION_STRING}), the account key ({@code azure.storage.key} / {@code
 * AZURE_STORAGE_KEY}), a SAS token ({@code azure.storage.sasToken} / {@code
 * AZURE_STORAGE_SAS_TOKEN}). None is ever in a message. The HTTP transport is OkHttp, so no Netty
 * is needed; the SDK retries a failed try at most twice, quickly, and leaves longer backoff to the
 * caller's retry policy.
 */
public final class AzureBackend extends CloudBackend {

  private static final Set<BlobErrorCode> AUTH_CODES =
      Set.of(
          BlobErrorCode.AUTHENTICATION_FAILED,
          BlobErrorCode.AUTHORIZATION_FAILURE,
          BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH,
          BlobErrorCode.AUTHORIZATION_SOURCE_IPMISMATCH,
          BlobErrorCode.AUTHORIZATION_PROTOCOL_MISMATCH,
          BlobErrorCode.AUTHORIZATION_RESOURCE_TYPE_MISMATCH,
          BlobErrorCode.AUTHORIZATION_SERVICE_MISMATCH,
          BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS,
          BlobErrorCode.ACCOUNT_IS_DISABLED,
          BlobErrorCode.NO_AUTHENTICATION_INFORMATION,
          BlobErrorCode.INVALID_AUTHENTICATION_INFO);

  private final AzureLocation loc;
  private final BlobContainerClient container;

  /** Opens the location with credentials from system properties or the environment. */
  public AzureBackend(AzureLocation location) {
    this(location, clientFor(location, System::getProperty, System::getenv));
  }

  /** With a container client built elsewhere (other credentials, a custom pipeline, tests). */
  public AzureBackend(AzureLocation location, BlobContainerClient container) {
    super(Objects.requireNonNull(location, "location").display(), location.prefix());
    this.loc = location;
    this.container = Objects.requireNonNull(container, "container");
  }

  /**
   * The container client for a location; {@code props} and {@code env} look up system properties
   * and environment variables.
   */
  static BlobContainerClient clientFor(
      AzureLocation loc, Function<String, String> props, Function<String, String> env) {
    BlobServiceClientBuilder b =
        new BlobServiceClientBuilder()
            .httpClient(
                new OkHttpAsyncHttpClientBuilder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .build())
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    3,
                    (Duration) null,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(4),
                    null));
    Optional<String> cs =
        setting("azure.storage.connectionString", "AZURE_STORAGE_CONNECTION_STRING", props, env);
    Optional<String> key = setting("azure.storage.key", "AZURE_STORAGE_KEY", props, env);
    Optional<String> sas = setting("azure.storage.sasToken", "AZURE_STORAGE_SAS_TOKEN", props, env);
    try {
      if (cs.isPresent()) {
        String csAccount = connectionStringAccount(cs.get());
        if (csAccount != null && !csAccount.equals(loc.account())) {
          throw StorageException.permanent(
              "the Azure connection string is for account "
                  + csAccount
                  + " but the location names "
                  + loc.account(),
              null);
        }
        b.connectionString(cs.get());
        loc.endpoint().ifPresent(e -> b.endpoint(e.toString()));
      } else if (key.isPresent()) {
        b.endpoint(loc.serviceUrl())
            .credential(new StorageSharedKeyCredential(loc.account(), key.get()));
      } else if (sas.isPresent()) {
        b.endpoint(loc.serviceUrl()).sasToken(sas.get());
      } else {
        throw StorageException.permanent(
            "no Azure credentials for "
                + loc.display()
                + ": set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY"
                + " or AZURE_STORAGE_SAS_TOKEN (or the system properties azure.storage.connectionString,"
                + " azure.storage.key, azure.storage.sasToken)",
            null);
      }
      return b.buildClient().getBlobContainerClient(loc.container());
    } catch (IllegalArgumentException e) {
      // the SDK's messages about a malformed connection string or key do not repeat the secret,
      // but there is no need to take the chance
      throw StorageException.permanent(
          "malformed Azure credentials or endpoint for " + loc.display(), null);
    }
  }

  private static Optional<String> setting(
      String property,
      String variable,
      Function<String, String> props,
      Function<String, String> env) {
    String v = props.apply(property);
    if (v == null || v.isBlank()) {
      v = env.apply(variable);
    }
    return Optional.ofNullable(v).filter(s -> !s.isBlank());
  }

  private static @Nullable String connectionStringAccount(String cs) {
    for (String part : cs.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("AccountName")) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  @Override
  public boolean putIfAbsent(String name, byte[] data) {
    BlobClient blob = blob(name);
    Objects.requireNonNull(data, "data");
    try {
      blob.uploadWithResponse(
          new BlobParallelUploadOptions(BinaryData.fromBytes(data))
              .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"))
              .setComputeMd5(true),
          null,
          Context.NONE);
      return true;
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 412 || BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode())) {
        return false;
      }
      throw classify("write", name, e);
    } catch (RuntimeException e) {
      throw classify("write", name, e);
    }
  }

  @Override
  public byte[] get(String name) {
    BlobClient blob = blob(name);
    try {
      return blob.downloadContent().toBytes();
    } catch (RuntimeException e) {
      throw notFoundOr("read", name, e);
    }
  }

  @Override
  public byte[] get(String name, long offset, int length) {
    BlobClient blob = blob(name);
    Optional<byte[]> trivial = Ranges.trivial(this, name, offset, length);
    if (trivial.isPresent()) {
      return trivial.get();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    try {
      blob.downloadStreamWithResponse(
          out, new BlobRange(offset, (long) length), null, null, false, null, Context.NONE);
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 416) {
        throw Ranges.pastEnd(display, name, offset, length, -1);
      }
      throw notFoundOr("read", name, e);
    } catch (RuntimeException e) {
      throw classify("read", name, e);
    }
    if (out.size() != length) {
      throw Ranges.pastEnd(display, name, offset, length, -1);
    }
    return out.toByteArray();
  }

  @Override
  public java.util.Optional<String> version(String name) {
    BlobClient blob = blob(name);
    try {
      return java.util.Optional.ofNullable(blob.getProperties().getETag());
    } catch (BlobStorageException e) {
      if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
        return java.util.Optional.empty();
      }
      throw classify("stat", name, e);
    } catch (RuntimeException e) {
      throw classify("stat", name, e);
    }
  }

  @Override
  public OptionalLong size(String name) {
    BlobClient blob = blob(name);
    try {
      return OptionalLong.of(blob.getProperties().getBlobSize());
    } catch (BlobStorageException e) {
      if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
        return OptionalLong.empty();
      }
      throw classify("stat", name, e);
    } catch (RuntimeException e) {
      throw classify("stat", name, e);
    }
  }

  @Override
  public void list(String prefix, Consumer<ObjectInfo> each) {
    String keyPrefix = keys.listing(prefix);
    Pages.forEach(
        () ->
            container
                .listBlobs(new ListBlobsOptions().setPrefix(keyPrefix), null)
                .iterableByPage()
                .iterator(),
        RuntimeException.class,
        e -> classify("list " + prefix, null, e),
        page -> {
          for (BlobItem item : page.getValue()) {
            if (!Boolean.TRUE.equals(item.isPrefix())) {
              keys.name(item.getName())
                  .ifPresent(
                      name ->
                          each.accept(
                              new ObjectInfo(name, item.getProperties().getContentLength())));
            }
          }
        });
  }

  @Override
  public boolean delete(String name) {
    BlobClient blob = blob(name);
    try {
      blob.delete();
      return true;
    } catch (BlobStorageException e) {
      if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
        return false;
      }
      throw classify("delete", name, e);
    } catch (RuntimeException e) {
      throw classify("delete", name, e);
    }
  }

  private BlobClient blob(String name) {
    return container.getBlobClient(keys.key(name));
  }

  private StorageException notFoundOr(String action, String name, RuntimeException e) {
    if (e instanceof BlobStorageException
        && BlobErrorCode.BLOB_NOT_FOUND.equals(((BlobStorageException) e).getErrorCode())) {
      return new ObjectNotFoundException(display, name);
    }
    return classify(action, name, e);
  }

  /**
   * Permanent: missing container, authentication or authorization failures, other 4xx. Transient:
   * 5xx, 408, 429, network failures and timeouts. Messages name the operation, container and
   * endpoint and the service's error code, never credentials.
   */
  StorageException classify(String action, @Nullable String name, RuntimeException e) {
    String what = Failures.what(action, name, display);
    if (e instanceof StorageException) {
      return (StorageException) e;
    }
    if (e instanceof BlobStorageException) {
      BlobStorageException b = (BlobStorageException) e;
      int status = b.getStatusCode();
      BlobErrorCode code = b.getErrorCode();
      String said = Failures.said(status, code);
      if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
        return StorageException.permanent(
            "container "
                + loc.container()
                + " does not exist in account "
                + loc.account()
                + " at "
                + loc.serviceUrl(),
            e);
      }
      if (status == 403 || status == 401 || (code != null && AUTH_CODES.contains(code))) {
        return StorageException.permanent(
            "access denied to azure://"
                + loc.account()
                + "/"
                + loc.container()
                + " (check credentials): "
                + said
                + " when trying to "
                + what,
            e);
      }
      if (status >= 500
          || status == 408
          || status == 429
          || BlobErrorCode.SERVER_BUSY.equals(code)
          || BlobErrorCode.OPERATION_TIMED_OUT.equals(code)) {
        return StorageException.transientFault(
            what + " failed, " + loc.serviceUrl() + " said " + said, e);
      }
      return StorageException.permanent(what + " rejected by " + loc.serviceUrl() + ", " + said, e);
    }
    if (Failures.cause(e, IOException.class) != null
        || Failures.cause(e, TimeoutException.class) != null) {
      return StorageException.transientFault(
          "cannot "
              + what
              + ": "
              + loc.serviceUrl()
              + " not reachable ("
              + Failures.rootMessage(e)
              + ")",
          e);
    }
    if (e instanceof IllegalArgumentException) {
      return StorageException.permanent("cannot " + what + ": " + e.getClass().getSimpleName(), e);
    }
    return StorageException.transientFault("cannot " + what + ": " + Failures.rootMessage(e), e);
  }
}
