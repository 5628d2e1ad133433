package dev.heartbeat.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU time a server has used so far, for {@link ManyLeasesRun}: Redis from {@code INFO}
 * ({@code used_cpu_sys + used_cpu_user}, and {@code total_commands_processed}); PostgreSQL from
 * {@code /proc/<pid>/stat} ({@code utime + stime}) of the backends serving one side's connections
 * (found by {@code application_name} in {@code pg_stat_activity}), and of every process named
 * {@code postgres} on this machine (backends of others included; a process that exits takes its
 * time with it).
 */
final class ServerCpu implements AutoCloseable {
  /** One reading: server CPU time so far, the side's own part of it, commands so far. */
  record Sample(long nanos, long ownNanos, long commands) {}

  private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100 on Linux
  private final RedisClient redis;
  private final StatefulRedisConnection<String, String> connection;
  private final Connection postgres;

  private ServerCpu(RedisClient redis, Connection postgres) {
    this.redis = redis;
    this.connection = redis == null ? null : redis.connect();
    this.postgres = postgres;
  }

  static ServerCpu open(String kind, String redisUri) throws SQLException {
    return switch (kind) {
      case "redis" -> new ServerCpu(RedisClient.create(redisUri), null);
      case "postgres" -> new ServerCpu(null, DriverManager.getConnection(JdbcFixture.POSTGRES_URL));
      default -> throw new IllegalArgumentException("store must be redis or postgres, got '"
          + kind + "'");
    };
  }

  /** Reads the server now; on PostgreSQL {@code own} is the backends of that tag's pool. */
  Sample sample(String tag) throws Exception {
    if (connection != null) {
      String cpu = connection.sync().info("cpu");
      String stats = connection.sync().info("stats");
      double seconds = field(cpu, "used_cpu_sys") + field(cpu, "used_cpu_user");
      long nanos = (long) (seconds * 1e9);
      return new Sample(nanos, nanos, (long) field(stats, "total_commands_processed"));
    }
    long own = 0;
    if (tag != null) {
      for (long pid : backends(JdbcFixture.applicationName(tag))) {
        own += procCpu(Path.of("/proc", Long.toString(pid), "stat"));
      }
    }
    long all = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        Path stat = p.resolve("stat");
        try {
          String text = Files.readString(stat);
          if (text.contains("(postgres)")) {
            all += procCpu(text);
          }
        } catch (IOException e) {
          // the process exited between the listing and the read
        }
      }
    }
    return new Sample(all, own, 0);
  }

  /** The pids of the backends whose {@code application_name} is {@code name}. */
  List<Long> backends(String name) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = postgres.prepareStatement(
        "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static long procCpu(Path stat) throws IOException {
    return procCpu(Files.readString(stat));
  }

  /** utime + stime (fields 14 and 15; counted after the command name's closing bracket). */
  static long procCpu(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
  }

  private static double field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new IllegalStateException("INFO has no " + name + ": " + info);
  }

  @Override
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
      redis.shutdown();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
