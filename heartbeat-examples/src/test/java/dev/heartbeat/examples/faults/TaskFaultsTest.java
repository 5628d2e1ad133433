package dev.heartbeat.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.heartbeat.Attempt;
import dev.heartbeat.AttemptOutcome;
import dev.heartbeat.TaskSpec;
import dev.heartbeat.TaskState;
import dev.heartbeat.TaskView;
import dev.heartbeat.examples.faults.Runs.Run;
import dev.heartbeat.spi.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's faults, end to end: task workers in child JVMs ({@link TaskWorkerChild}, claim TTL
 * 3 s, renewal every second) on a real store, SIGKILLed, SIGSTOPped past their claim TTL, and cut
 * off from the store for longer than it; each test ends with the {@link RunChecker} over the
 * workers' logs and the store's final records (every task DONE, or BLOCKED where the test made
 * it so; DONE once; no overlapping runs but of a fenced-out one). The tests wait for outcomes
 * with generous bounds and never for time to pass; they assert what happened, not how fast.
 * Each test has a fresh store (directory, key prefix) and queue; every child is killed after it.
 */
class TaskFaultsTest {
  private static final Duration TTL = TaskWorkerChild.CLAIM_TTL;

  /** The stores under test: adding one is one line. */
  static Stream<Named<StoreRig.Factory>> stores() {
    return Stream.of(
        Named.of("file", FileRig::open),
        Named.of("redis", ProxiedRig::redis),
        Named.of("postgresql", ProxiedRig::postgres));
  }

  private final Map<String, TaskState> expected = new LinkedHashMap<>();
  private final List<Path> logs = new ArrayList<>();
  private Path dir;
  private StoreRig rig;
  private Procs procs;
  private TaskStore tasks;
  private String queue;

  @AfterEach
  void killEveryChild() throws Exception {
    try {
      if (procs != null) {
        procs.close();
      }
    } finally {
      if (rig != null) {
        rig.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWorkerKilledMidAttemptLosesItsTasksToAnotherOnceItsClaimsExpire(StoreRig.Factory store)
      throws Exception {
    open(store, "kill");
    Process a = worker("a", 2, 60_000);
    submit(TaskSpec.of("lost", "x"), TaskState.DONE);
    submit(TaskSpec.of("poison", "x").maxLost(1), TaskState.BLOCKED);
    Poll.until("a runs both tasks", Poll.BOUND, () -> runs().of("a").size() == 2, this::story);
    procs.kill(a);
    worker("b", 2, 100);
    for (int i = 0; i < 6; i++) {
      submit(TaskSpec.of("t-" + i, "x"), TaskState.DONE);
    }
    awaitAllFinal();

    Runs runs = runs();
    for (Run killed : runs.of("a")) {
      assertThat(killed.end()).as("%s never came back", killed).isEmpty();
      TaskView task = task(killed.task());
      assertThat(attempt(task, killed.token()).outcome()).as("%s", task)
          .contains(AttemptOutcome.WORKER_LOST);
      // the store expired the claim TTL after a last sent it (or a renewal), b claimed it after
      long validFrom = runs.validFrom(killed.claim(), Long.MAX_VALUE).orElseThrow();
      runs.of("b").stream().filter(r -> r.task().equals(killed.task())).forEach(r ->
          assertThat(r.start()).as("%s after the claim of %s expired", r, killed)
              .isGreaterThan(validFrom + TTL.toNanos() / 1000));
    }
    assertThat(task("lost").attempts()).extracting(x -> x.outcome().orElseThrow())
        .containsExactly(AttemptOutcome.WORKER_LOST, AttemptOutcome.DONE);
    assertThat(task("poison").reason()).hasValueSatisfying(r -> assertThat(r).contains("poison"));
    check();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWorkerFrozenPastItsClaimTtlIsFencedOutAndItsLateWritesChangeNothing(
      StoreRig.Factory store) throws Exception {
    open(store, "stop");
    Process a = worker("a", 1, 5_000, "lateWrites");
    submit(TaskSpec.of("frozen", "x"), TaskState.DONE);
    Poll.until("a runs the task", Poll.BOUND, () -> runs().of("a").size() == 1, this::story);
    procs.signal(a, "-STOP");
    worker("b", 1, 100);
    for (int i = 0; i < 3; i++) {
      submit(TaskSpec.of("t-" + i, "x"), TaskState.DONE);
    }
    awaitAllFinal();
    TaskView before = task("frozen");
    long thawed = RunLog.wall();
    procs.signal(a, "-CONT");
    // fenced by itself (its claim's validity ran out) or by the store (a refused write); then
    // the handler, once fenced, writes progress and its end anyway: both must be refused
    Poll.until("a fenced, its handler back and its late end answered", Poll.BOUND,
        () -> Runs.fenced(log("a")) && runs().of("a").getFirst().endWrite().isPresent(),
        this::story);

    Run frozen = runs().of("a").getFirst();
    assertThat(frozen.endWrite()).as("%s", frozen).contains("refused");
    assertThat(runs().progress.getOrDefault(frozen.claim(), List.of())).as("late progress")
        .noneMatch(p -> p.startsWith("accepted") && Long.parseLong(p.split(" ")[1]) >= thawed);
    TaskView after = task("frozen");
    assertThat(after).as("the late writes changed nothing").isEqualTo(before);
    assertThat(after.output()).hasValueSatisfying(o -> assertThat(o).startsWith("b "));
    assertThat(attempt(after, frozen.token()).outcome()).contains(AttemptOutcome.WORKER_LOST);
    check();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void workersCutOffFromTheStoreStopByTheirLocalDeadlineAndEveryTaskIsDoneOnce(
      StoreRig.Factory store) throws Exception {
    open(store, "blackout");
    worker("a", 2, 4_000);
    worker("b", 2, 4_000);
    for (int i = 0; i < 4; i++) {
      submit(TaskSpec.of("t-" + i, "x"), TaskState.DONE);
    }
    Poll.until("four runs", Poll.BOUND, () -> runs().runs.size() == 4, this::story);
    rig.blackOut(queue);
    // from now on no renewal reaches the store: once its clock is a TTL further, every claim
    // made before has expired there, and the black-out has lasted longer than the claim TTL
    Instant cutOff = rig.store().now();
    Poll.until("every run stopped", Poll.BOUND,
        () -> runs().runs.stream().allMatch(r -> r.end().isPresent()), this::story);
    Poll.until("the store's clock a claim TTL past the cut", Poll.BOUND,
        () -> rig.store().now().isAfter(cutOff.plus(TTL)), this::story);

    Runs cut = runs();
    for (Run r : cut.runs) {
      assertThat(r.stop()).as("%s", r).isEqualTo("FENCED_OUT");
      assertThat(r.endWrite()).as("%s wrote no end", r).isEmpty();
      // before the store could expire the claim: TTL after the last renewal answered held
      long validFrom = cut.validFrom(r.claim(), r.end().orElseThrow()).orElseThrow();
      assertThat(r.end().orElseThrow()).as("%s stopped before its claim could expire", r)
          .isLessThan(validFrom + TTL.toNanos() / 1000);
    }
    rig.restore();
    awaitAllFinal();
    for (String id : expected.keySet()) {
      assertThat(task(id).attempts().getFirst().outcome()).as("%s", task(id))
          .contains(AttemptOutcome.WORKER_LOST);
    }
    check();
  }

  private void open(StoreRig.Factory factory, String test) throws Exception {
    Path base = Files.createDirectories(Path.of("target", "taskfaults"));
    dir = Files.createTempDirectory(base, test + "-").toAbsolutePath();
    rig = factory.open(dir);
    procs = new Procs(dir);
    tasks = rig.store().tasks().orElseThrow();
    queue = "faults-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Starts worker process {@code id} and waits until its worker runs. */
  private Process worker(String id, int concurrency, long workMillis) throws Exception {
    return worker(id, concurrency, workMillis, "fenced");
  }

  private Process worker(String id, int concurrency, long workMillis, String fenced)
      throws Exception {
    Path log = log(id);
    logs.add(log);
    Process p = procs.start(id, TaskWorkerChild.class, rig.childUri(), queue, id,
        log.toString(), Integer.toString(concurrency), Long.toString(workMillis), fenced);
    Poll.until(id + " running", Poll.BOUND, () -> !p.isAlive() || (Files.exists(log)
        && read(log).contains("RUNNING")), () -> procs.output(p));
    assertThat(p.isAlive()).as("%s", procs.output(p)).isTrue();
    return p;
  }

  private void submit(TaskSpec spec, TaskState outcome) {
    tasks.submit(queue, spec);
    expected.put(spec.id(), outcome);
  }

  private void awaitAllFinal() {
    Poll.until("every task final", Poll.BOUND, () -> expected.keySet().stream()
        .allMatch(id -> tasks.read(queue, id).map(t -> t.state().isFinal()).orElse(false)),
        this::story);
  }

  private void check() {
    Map<String, Optional<TaskView>> finals = new LinkedHashMap<>();
    for (String id : expected.keySet()) {
      finals.put(id, tasks.read(queue, id));
    }
    Runs runs = runs();
    assertThat(RunChecker.violations(runs, finals, expected)).as("%s", story()).isEmpty();
    assertThat(rig.store().problems()).isEmpty();
    System.out.println(dir.getFileName() + ": " + runs.runs.size() + " runs of "
        + expected.size() + " tasks");
  }

  private TaskView task(String id) {
    return tasks.read(queue, id).orElseThrow(() -> new AssertionError("no task " + id));
  }

  private static Attempt attempt(TaskView task, long token) {
    return task.attempts().stream().filter(a -> a.token() == token).findFirst()
        .orElseThrow(() -> new AssertionError("no attempt of token " + token + " in " + task));
  }

  private Path log(String worker) {
    return dir.resolve(worker + ".log");
  }

  private Runs runs() {
    return Runs.read(logs);
  }

  /** The runs so far and the workers' errors, for a failure message (reads no store). */
  private String story() {
    return runs().runs.stream().map(Run::toString).collect(Collectors.joining("\n  ", "runs:\n  ",
        "\nlogs in " + dir));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
