package io.ory4j.benchmarks.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * jCasbin on the data of {@link AcpCheckBenchmark}: an RBAC model with deny override whose object matcher is
 * {@code keyMatch} (objects {@code resources:articles:<i>:*}, the glob flavor's counterpart) or {@code regexMatch}
 * (objects {@code ^resources:articles:<i>:.*$}, the regex flavor's counterpart).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CasbinCheckBenchmark {

  private static final String MODEL = """
      [request_definition]
      r = sub, obj, act

      [policy_definition]
      p = sub, obj, act, eft

      [role_definition]
      g = _, _

      [policy_effect]
      e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

      [matchers]
      m = g(r.sub, p.sub) && MATCH(r.obj, p.obj) && r.act == p.act
      """;

  @Param({"100", "1000", "10000", "100000"})
  int policies;

  @Param({"keyMatch", "regexMatch"})
  String matcher;

  private Enforcer enforcer;
  private AcpData.Request[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    AcpData data = new AcpData(policies);
    Model model = new Model();
    model.loadModelFromText(MODEL.replace("MATCH", matcher));
    enforcer = new Enforcer(model);
    enforcer.enableLog(false); // jCasbin logs every request at INFO otherwise, which would measure the logger
    List<List<String>> rules = new ArrayList<>();
    for (AcpData.Rule r : data.rules) {
      String obj = matcher.equals("keyMatch") ? "resources:articles:" + r.article() + ":*"
          : "^resources:articles:" + r.article() + ":.*$";
      rules.add(List.of(r.subject(), obj, r.action(), r.allow() ? "allow" : "deny"));
    }
    enforcer.addPolicies(rules);
    List<List<String>> groups = new ArrayList<>();
    for (AcpData.Membership m : data.memberships) {
      groups.add(List.of(m.member(), m.role()));
    }
    enforcer.addGroupingPolicies(groups);
    requests = data.requests;
  }

  @Benchmark
  public boolean check() {
    AcpData.Request r = requests[next++ & (requests.length - 1)];
    return enforcer.enforce(r.subject(), r.resource(), r.action());
  }
}
