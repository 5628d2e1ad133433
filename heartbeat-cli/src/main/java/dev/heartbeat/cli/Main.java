package dev.heartbeat.cli;

import dev.heartbeat.HeartbeatStoreException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code heartbeat}: the command-line entry point. Every failure is a one-line message on
 * standard error and an exit code (see {@link ExitCodes}); there is never a stack trace.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command and exits with its code.
   *
   * @param args the command line: a command and its options
   */
  public static void main(String[] args) {
    // Netty (under the Redis client) would touch sun.misc.Unsafe, which JDK 24+ warns about on
    // standard error; a command does not need its speed.
    if (System.getProperty("io.netty.noUnsafe") == null) {
      System.setProperty("io.netty.noUnsafe", "true");
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Map<String, String> env = System.getenv();
    int code = run(new Cli(out, err, env, Cli.Pacer.REAL, Ansi.forStdout(env)), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line; returns its exit code. */
  static int run(Cli cli, String... args) {
    int code = commandLine(cli).execute(args);
    cli.out().flush();
    cli.err().flush();
    return code;
  }

  /** The command tree, printing to {@code cli}'s streams. */
  static CommandLine commandLine(Cli cli) {
    CommandLine cl = new CommandLine(new HeartbeatCommand());
    cl.addSubcommand("demo", new DemoCommand(cli));
    cl.addSubcommand("status", new StatusCommand(cli));
    cl.addSubcommand("beat", new BeatCommand(cli));
    cl.addSubcommand("watch", new WatchCommand(cli));
    cl.addSubcommand("forget", new ForgetCommand(cli));
    cl.addSubcommand("tasks", TasksCommand.of(cli));
    cl.addSubcommand("monitor", new MonitorCommand(cli));
    cl.addSubcommand("serve", new ServeCommand(cli));
    cl.addSubcommand(NodeCommand.NAME, new NodeCommand(cli));
    cl.setOut(cli.out());
    cl.setErr(cli.err());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(cli.ansi().enabled()
        ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    Redactor redactor = cli.redactor();
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine cmd = e.getCommandLine();
      cli.err().println(cmd.getCommandName() + ": " + redactor.redact(e.getMessage()));
      cli.err().println("see: " + cmd.getCommandSpec().qualifiedName() + " --help");
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cli.err().println(cmd.getCommandName() + ": " + redactor.redact(message(e)));
      return code(e);
    });
    return cl;
  }

  private static int code(Exception e) {
    return switch (e) {
      case CliFailure f -> f.exitCode();
      case HeartbeatStoreException s -> ExitCodes.UNREACHABLE;
      case IllegalArgumentException i -> ExitCodes.USAGE;
      default -> ExitCodes.INTERNAL;
    };
  }

  private static String message(Exception e) {
    return switch (e) {
      case CliFailure f -> f.getMessage();
      case HeartbeatStoreException s -> "store unreachable: " + s.getMessage();
      case IllegalArgumentException i -> i.getMessage();
      default -> "internal error: " + e.getClass().getName() + ": " + e.getMessage();
    };
  }
}
