package io.lifeboat.provider.files;

import java.util.Optional;

/** Looks at the content of selected files while they are dumped (config validation). */
interface ContentInspector {

  /** Whether this file's content should be shown to {@link #inspect}. */
  boolean wants(String name);

  /** A problem with the content (named by the caller), or empty when it is fine. */
  Optional<String> inspect(String name, byte[] content);

  ContentInspector NONE =
      new ContentInspector() {
        @Override
        public boolean wants(String name) {
          return false;
        }

        @Override
        public Optional<String> inspect(String name, byte[] content) {
          return Optional.empty();
        }
      };
}
