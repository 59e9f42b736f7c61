package dev.aura.app.peer;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the sync loop that something in a directory tree changed, with the JDK's {@link WatchService}
 * (inotify on Linux), registering every directory of the tree (not following symlinks, skipping
 * {@code .aura} and {@code .git}) and each new one as it appears. It only raises a flag: the sync loop
 * rescans, so a missed or overflowing event costs latency, never a change (the loop also rescans
 * periodically).
 */
public final class DirectoryWatcher implements AutoCloseable {
  private final Path root;
  private final WatchService service;
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  private final Thread thread;

  private DirectoryWatcher(Path root, WatchService service) {
    this.root = root;
    this.service = service;
    this.thread = new Thread(this::loop, "aura-watch");
    this.thread.setDaemon(true);
  }

  /** Starts watching {@code root}. */
  public static DirectoryWatcher start(Path root) throws IOException {
    DirectoryWatcher w = new DirectoryWatcher(root, FileSystems.getDefault().newWatchService());
    w.registerTree(root);
    w.thread.start();
    return w;
  }

  /** @return whether something changed since the last call (and clears the flag) */
  public boolean takeChanged() {
    return dirty.getAndSet(false);
  }

  private void registerTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        String name = d.getFileName() == null ? "" : d.getFileName().toString();
        if (!d.equals(root) && (name.equals(".aura") || name.equals(".git"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
            StandardWatchEventKinds.ENTRY_MODIFY);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = service.take();
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && event.context() instanceof Path name) {
            Path created = dir.resolve(name);
            if (Files.isDirectory(created, LinkOption.NOFOLLOW_LINKS)) {
              try {
                registerTree(created);
              } catch (IOException e) {
                // the periodic rescan still sees it
              }
            }
          }
          if (!(event.context() instanceof Path name) || !name.toString().equals(".aura")) {
            dirty.set(true);
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  /** Stops watching. */
  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // nothing left to release
    }
    thread.interrupt();
  }
}
