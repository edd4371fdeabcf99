package io.ory4j.benchmarks.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The data set both engines get: {@code n} policies, one per article, for a user or (every tenth) a role with one
 * member, and about 1% deny policies; and a fixed, seeded stream of requests: half allowed by a user policy, a quarter
 * by a role, a quarter for articles nobody may read.
 */
final class AcpData {

  record Rule(String subject, int article, String action, boolean allow) {}

  record Membership(String member, String role) {}

  record Request(String subject, String resource, String action) {}

  final List<Rule> rules = new ArrayList<>();
  final List<Membership> memberships = new ArrayList<>();
  final Request[] requests = new Request[1024];

  AcpData(int n) {
    for (int i = 0; i < n; i++) {
      if (i % 10 == 0) {
        rules.add(new Rule("roles:r" + i, i, "read", true));
        memberships.add(new Membership("users:m" + i, "roles:r" + i));
      } else {
        rules.add(new Rule("users:u" + i, i, "read", i % 100 != 1));
      }
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int k = 0; k < requests.length; k++) {
      int i = random.nextInt(n);
      int kind = random.nextInt(4);
      if (kind == 0) {
        int r = (i / 10) * 10;
        requests[k] = new Request("users:m" + r, "resources:articles:" + r + ":body", "read");
      } else if (kind == 1) {
        requests[k] = new Request("users:u" + i, "resources:articles:" + (n + i) + ":body", "read");
      } else {
        requests[k] = new Request("users:u" + i, "resources:articles:" + i + ":body", "read");
      }
    }
  }
}
