package io.lifeboat.core.repo;

import java.time.Instant;

/**
 * One master key's way into the repository, the object {@code keys/<id>}: the repository's data
 * keys wrapped under that master key. Several slots let several keys open the same repository (the
 * service's key and a vault copy); rotation adds one and retires another, never re-encrypting data.
 *
 * @param format always {@value #FORMAT}
 * @param repository the repository id the wrapped keys are bound to
 * @param id the slot id: derived from the master key and the repository id (so a key finds its slot
 *     with one read)
 * @param label what the key is for, e.g. "service", "vault"
 * @param createdAt when the slot was added
 * @param wrapped base64 of the wrapped data keys (as a config slot's)
 */
public record KeySlot(
    String format, String repository, String id, String label, Instant createdAt, String wrapped) {

  public static final String FORMAT = "lifeboat-key";
}
