package dev.aura.access;

/** What a peer asks to do with a workspace. */
public enum SyncAction {
  /** Learn that the workspace exists and what its head is. */
  SEE,
  /** Receive the workspace's events and content. */
  PULL,
  /** Send events and content to the workspace. */
  PUSH
}
