package io.lifeboat.cli;

/** Exit codes of the lifeboat command, documented in the README. */
final class ExitCodes {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int USAGE = 2;
  static final int PARTIAL = 3;
  static final int FAILED = 4;
  static final int REJECTED = 5;
  static final int TIMED_OUT = 6;

  private ExitCodes() {}
}
