package dev.heartbeat;

import dev.heartbeat.spi.Checks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ready-made {@link TaskHandler} that runs each attempt in a child process, for work that must
 * not share the worker's JVM (native code, another language, memory it may leak):
 * <pre>{@code
 * TaskHandler handler = ProcessTaskHandler.builder("python3", "ingest.py")
 *     .blockedExitCodes(2)                  // exit 2: retrying cannot help
 *     .build();
 * }</pre>
 *
 * <p>What the child gets:
 * <ul>
 *   <li>the task's payload on its standard input (then closed);</li>
 *   <li>its environment, plus {@code HEARTBEAT_QUEUE}, {@code HEARTBEAT_TASK_ID},
 *       {@code HEARTBEAT_TASK_TOKEN} (the attempt's fencing token, for the child's own writes),
 *       {@code HEARTBEAT_ATTEMPT} (1 for the first) and {@code HEARTBEAT_TIME_LEFT_MS} (until the
 *       attempt times out); and {@code HEARTBEAT_CHECKPOINT_FILE}, a file holding the last
 *       attempt's checkpoint, when there is one (deleted when the attempt ends).</li>
 * </ul>
 *
 * <p>What the child may say: a line of standard output {@code ##heartbeat progress TEXT} reports
 * progress ({@link TaskContext#progress(String)}: it keeps the attempt from stalling), and
 * {@code ##heartbeat checkpoint TEXT} saves a checkpoint (one line, at most
 * {@value TaskSpec#MAX_PAYLOAD_LENGTH} characters). Those lines are not part of the output.
 *
 * <p>How it ends: exit code 0 is {@link TaskResult#done(String)} with the tail of standard output
 * as the output; an exit code given to {@link Builder#blockedExitCodes} is
 * {@link TaskResult#blocked} with the code and the last line of standard error; any other code
 * throws {@link ProcessFailedException} (the attempt fails and is retried), whose message holds
 * the code and the tail of standard error. Only the last {@link Builder#tail} characters of each
 * stream are kept. When the attempt must stop (timeout, stall, cancel, lost claim, the worker
 * closing) the handler's interrupt stops the child and every process below it: each is asked to
 * end (SIGTERM), and after {@link Builder#killGrace} what is left is killed (SIGKILL). A process
 * that left the tree before (a daemon that detached itself) is not found.
 *
 * <p>Immutable and thread-safe: one handler serves every attempt of a worker.
 */
public final class ProcessTaskHandler implements TaskHandler {
  /** The start of a line of standard output that talks to the handler. */
  public static final String PROTOCOL_PREFIX = "##heartbeat ";
  /** The default number of characters kept of each output stream. */
  public static final int DEFAULT_TAIL = 4096;
  /** The default time a stopped child has to end before it is killed. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(ProcessTaskHandler.class.getName());

  private final List<String> command;
  private final Optional<Path> directory;
  private final Map<String, String> environment;
  private final int tail;
  private final Set<Integer> blockedExitCodes;
  private final Duration killGrace;

  private ProcessTaskHandler(Builder b) {
    this.command = List.copyOf(b.command);
    this.directory = Optional.ofNullable(b.directory);
    this.environment = Map.copyOf(b.environment);
    this.tail = b.tail;
    this.blockedExitCodes = Set.copyOf(b.blockedExitCodes);
    this.killGrace = b.killGrace;
  }

  /**
   * A builder for a handler that runs {@code command}.
   *
   * @param command the program and its arguments
   * @return a builder
   * @throws IllegalArgumentException when the command is empty, an element is null, or the
   *     program is blank
   */
  public static Builder builder(String... command) {
    return new Builder(java.util.Arrays.asList(Checks.notNull("command", command).clone()));
  }

  /**
   * A builder for a handler that runs {@code command}.
   *
   * @param command the program and its arguments
   * @return a builder
   * @throws IllegalArgumentException as {@link #builder(String...)}
   */
  public static Builder builder(List<String> command) {
    return new Builder(Checks.notNull("command", command));
  }

  /**
   * Runs the attempt in a child process; see the class comment.
   *
   * @param context the attempt
   * @return done, or blocked for a blocked exit code
   * @throws ProcessFailedException when the child exits with another code
   * @throws IOException when the child cannot be started
   * @throws InterruptedException when the attempt must stop (the child is stopped first)
   */
  @Override
  public TaskResult run(TaskContext context) throws Exception {
    Path checkpoint = null;
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      directory.ifPresent(d -> pb.directory(d.toFile()));
      Map<String, String> env = pb.environment();
      env.putAll(environment);
      env.put("HEARTBEAT_QUEUE", context.queue());
      env.put("HEARTBEAT_TASK_ID", context.taskId());
      env.put("HEARTBEAT_TASK_TOKEN", Long.toString(context.token()));
      env.put("HEARTBEAT_ATTEMPT", Integer.toString(context.attempt()));
      env.put("HEARTBEAT_TIME_LEFT_MS", Long.toString(context.timeLeft().toMillis()));
      if (context.checkpoint().isPresent()) {
        checkpoint = Files.createTempFile("heartbeat-checkpoint-", ".txt");
        Files.writeString(checkpoint, context.checkpoint().get(), StandardCharsets.UTF_8);
        env.put("HEARTBEAT_CHECKPOINT_FILE", checkpoint.toString());
      }
      Process child = start(pb);
      try {
        return await(child, context);
      } finally {
        if (child.isAlive()) {
          ProcessTree.stop(child, killGrace);
        }
      }
    } finally {
      if (checkpoint != null) {
        Files.deleteIfExists(checkpoint);
      }
    }
  }

  private Process start(ProcessBuilder pb) throws IOException {
    try {
      return pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  private TaskResult await(Process child, TaskContext context) throws Exception {
    String name = "heartbeat-child-" + context.taskId();
    Thread.ofVirtual().name(name + "-stdin").start(() -> feed(child, context.payload()));
    ChildProtocol protocol = new ChildProtocol(context);
    ChildOutput out = ChildOutput.start(child.getInputStream(), tail, protocol, name + "-stdout");
    ChildOutput err = ChildOutput.start(child.getErrorStream(), tail, null, name + "-stderr");
    int code;
    try {
      code = child.waitFor();
    } catch (InterruptedException e) {
      ProcessTree.stop(child, killGrace);
      throw e;
    }
    out.await(killGrace);
    err.await(killGrace);
    if (code == 0) {
      String output = out.tail().raw();
      return output.isEmpty() ? TaskResult.done() : TaskResult.done(output);
    }
    if (blockedExitCodes.contains(code)) {
      return TaskResult.blocked(reason(code, err.tail().raw()));
    }
    throw new ProcessFailedException(command.getFirst(), code, out.tail().text(),
        err.tail().text());
  }

  private static void feed(Process child, String payload) {
    try (OutputStream in = child.getOutputStream()) {
      in.write(payload.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the child does not read its input, or ended: nothing to do
    }
  }

  /** {@code exit code N: <the last line of standard error>}, fit for a blocked reason. */
  static String reason(int code, String stderr) {
    String last = stderr.strip();
    int newline = last.lastIndexOf('\n');
    last = ChildProtocol.clean(newline < 0 ? last : last.substring(newline + 1));
    String reason = "exit code " + code + (last.isEmpty() ? "" : ": " + last);
    return reason.length() <= Checks.MAX_PROGRESS_LENGTH ? reason
        : reason.substring(0, Checks.MAX_PROGRESS_LENGTH);
  }

  @Override
  public String toString() {
    return "ProcessTaskHandler" + command;
  }

  /** Reads what the child says on its protocol lines. */
  private static final class ChildProtocol implements java.util.function.Consumer<String> {
    private final TaskContext context;
    private String lastProgress = "checkpoint saved";

    ChildProtocol(TaskContext context) {
      this.context = context;
    }

    @Override
    public void accept(String line) {
      try {
        if (line.startsWith("progress ")) {
          String text = clean(line.substring("progress ".length()));
          if (!text.isEmpty()) {
            lastProgress = text;
            context.progress(text);
          }
        } else if (line.startsWith("checkpoint ")) {
          context.progress(lastProgress, line.substring("checkpoint ".length()));
        } else {
          LOG.log(System.Logger.Level.WARNING, "{0}: a child of {1} wrote an unknown "
              + "protocol line, ignored: {2}", context.taskId(), context.queue(), clean(line));
        }
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: a child of {1} wrote a protocol line that "
            + "was ignored: {2}", context.taskId(), context.queue(), e.getMessage());
      }
    }

    /** Control characters become spaces; at most {@link Checks#MAX_PROGRESS_LENGTH}. */
    static String clean(String text) {
      StringBuilder b = new StringBuilder(Math.min(text.length(), Checks.MAX_PROGRESS_LENGTH));
      text.codePoints().limit(Checks.MAX_PROGRESS_LENGTH).forEach(cp ->
          b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
      String s = b.toString().strip();
      return s.length() <= Checks.MAX_PROGRESS_LENGTH ? s
          : s.substring(0, Checks.MAX_PROGRESS_LENGTH);
    }
  }

  /** Builds a {@link ProcessTaskHandler}; each setting checks its value. */
  public static final class Builder {
    private final List<String> command;
    private Path directory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private int tail = DEFAULT_TAIL;
    private final Set<Integer> blockedExitCodes = new TreeSet<>();
    private Duration killGrace = DEFAULT_KILL_GRACE;

    private Builder(List<String> command) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command must name a program, got []");
      }
      List<String> copy = new ArrayList<>(command.size());
      for (int i = 0; i < command.size(); i++) {
        String part = command.get(i);
        if (part == null || part.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("command[" + i + "] must be text without NUL, got "
              + (part == null ? "null" : "'" + part.replace("\0", "\\0") + "'"));
        }
        copy.add(part);
      }
      if (copy.getFirst().isBlank()) {
        throw new IllegalArgumentException("command[0] must name a program, got '"
            + copy.getFirst() + "'");
      }
      this.command = copy;
    }

    /**
     * The child's working directory; by default the worker's.
     *
     * @param directory an existing directory
     * @return this builder
     */
    public Builder directory(Path directory) {
      this.directory = Checks.notNull("directory", directory);
      return this;
    }

    /**
     * Adds a variable to the child's environment (which starts as the worker's); the
     * {@code HEARTBEAT_} variables of the class comment are set after these.
     *
     * @param name the variable's name: not blank, no {@code =} or NUL
     * @param value its value: no NUL
     * @return this builder
     */
    public Builder environment(String name, String value) {
      if (name == null || name.isBlank() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("environment name must be a variable name without "
            + "'=' or NUL, got " + (name == null ? "null" : "'" + name + "'"));
      }
      if (value == null || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("environment value of " + name
            + " must be text without NUL, got " + (value == null ? "null" : "a NUL"));
      }
      environment.put(name, value);
      return this;
    }

    /**
     * How many characters of each output stream are kept; default 4096.
     *
     * @param characters 1 to {@value TaskSpec#MAX_PAYLOAD_LENGTH}
     * @return this builder
     */
    public Builder tail(int characters) {
      if (characters < 1 || characters > TaskSpec.MAX_PAYLOAD_LENGTH) {
        throw new IllegalArgumentException("tail must be 1 to " + TaskSpec.MAX_PAYLOAD_LENGTH
            + " characters, got " + characters);
      }
      this.tail = characters;
      return this;
    }

    /**
     * Exit codes that block the task (no retry) instead of failing the attempt.
     *
     * @param codes each 1 to 255
     * @return this builder
     */
    public Builder blockedExitCodes(int... codes) {
      for (int code : Checks.notNull("codes", codes)) {
        if (code < 1 || code > 255) {
          throw new IllegalArgumentException("blockedExitCodes must be 1 to 255 (0 is done), got "
              + code);
        }
        blockedExitCodes.add(code);
      }
      return this;
    }

    /**
     * How long a child asked to stop has before it is killed; default 5 s.
     *
     * @param grace zero or positive
     * @return this builder
     */
    public Builder killGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("killGrace must be zero or positive, got " + grace);
      }
      this.killGrace = grace;
      return this;
    }

    /**
     * The handler.
     *
     * @return a handler with these settings
     */
    public ProcessTaskHandler build() {
      return new ProcessTaskHandler(this);
    }
  }
}
