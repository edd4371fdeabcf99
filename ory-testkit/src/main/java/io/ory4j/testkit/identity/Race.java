package io.ory4j.testkit.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one task on several threads released together, for the stores' race tests. */
public final class Race {

  private Race() {}

  /** Runs {@code task} on {@code n} threads at once; returns how many returned true. */
  public static int wins(int n, Callable<Boolean> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return task.call();
        }));
      }
      int wins = 0;
      for (Future<Boolean> f : futures) {
        wins += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      return wins;
    } finally {
      pool.shutdownNow();
    }
  }
}
