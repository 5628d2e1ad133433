package dev.heartbeat.jdbc;

import dev.heartbeat.Heartbeat;
import dev.heartbeat.spi.Beat;
import dev.heartbeat.spi.StoreProblems;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A single beat in one round trip, however it ends: on PostgreSQL one statement in auto-commit
 * mode ({@link Sql#recordOne}), on MariaDB one {@code CALL} of the procedure its DDL creates
 * ({@link Sql#callRecordBeat}). The rule is {@link AgentTable#record}'s.
 */
final class OneTripBeat {
  private final Sql sql;
  private final Jdbc jdbc;
  private final StoreProblems problems;
  private final LongSupplier offset;
  private final int historyLimit;
  private final int trimEvery;

  OneTripBeat(Sql sql, Jdbc jdbc, StoreProblems problems, LongSupplier offset, int historyLimit,
      int trimEvery) {
    this.sql = sql;
    this.jdbc = jdbc;
    this.problems = problems;
    this.offset = offset;
    this.historyLimit = historyLimit;
    this.trimEvery = trimEvery;
  }

  Optional<Heartbeat> record(Beat beat) {
    return sql.recordOne != null ? recordInOneStatement(beat) : recordInOneCall(beat);
  }

  /**
   * {@link Sql#recordOne}: the same rule as the transaction of {@link AgentTable#record}, as one statement in auto-commit
   * mode (PostgreSQL), so one round trip however the beat ends.
   */
  private Optional<Heartbeat> recordInOneStatement(Beat beat) {
    boolean trim = beat.sequence() % trimEvery == 0;
    return jdbc.call("record(" + beat.agentId() + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.recordOne)) {
        long clockOffset = offset.getAsLong();
        ps.setLong(1, beat.sequence());
        ps.setString(2, beat.taskId().orElse(null));
        ps.setString(3, beat.status().name());
        ps.setDouble(4, beat.cpu().orElse(-1));
        ps.setString(5, beat.progress().orElse(null));
        ps.setBoolean(6, beat.newProgress());
        ps.setLong(7, clockOffset);
        if (beat.interval().isPresent()) {
          ps.setLong(8, Rows.micros(beat.interval().get()));
        } else {
          ps.setNull(8, Types.BIGINT);
        }
        ps.setLong(9, clockOffset);
        ps.setString(10, beat.agentId());
        ps.setString(11, beat.incarnation());
        ps.setLong(12, beat.sequence());
        ps.setBoolean(13, beat.newProgress());
        ps.setBoolean(14, trim);
        ps.setString(15, beat.agentId());
        ps.setInt(16, historyLimit - 1);
        ps.setBoolean(17, trim);
        ps.setString(18, beat.agentId());
        ps.setInt(19, beat.newProgress() ? historyLimit - 1 : historyLimit);
        ps.setString(20, beat.agentId());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Heartbeat>empty();
          }
          return Optional.ofNullable(AgentTable.readable(rs, problems, sql.agents + "/" + beat.agentId()));
        }
      }
    });
  }

  /**
   * {@link Sql#callRecordBeat}: the same rule as the transaction of {@link AgentTable#record}, run by the
   * procedure that createSchema made (MariaDB's DDL, {@code record_beat}), so one round trip
   * however the beat ends. A procedure rather than a multi-statement query: it needs no
   * {@code allowMultiQueries} in the user's URL, works with server-side prepared statements,
   * and the server parses it once per connection.
   */
  private Optional<Heartbeat> recordInOneCall(Beat beat) {
    return jdbc.atomic("record(" + beat.agentId() + ")", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.callRecordBeat)) {
        ps.setString(1, beat.agentId());
        ps.setString(2, beat.incarnation());
        ps.setLong(3, beat.sequence());
        ps.setString(4, beat.taskId().orElse(null));
        ps.setString(5, beat.status().name());
        ps.setDouble(6, beat.cpu().orElse(-1));
        ps.setString(7, beat.progress().orElse(null));
        ps.setBoolean(8, beat.newProgress());
        if (beat.interval().isPresent()) {
          ps.setLong(9, Rows.micros(beat.interval().get()));
        } else {
          ps.setNull(9, Types.BIGINT);
        }
        ps.setLong(10, offset.getAsLong());
        ps.setBoolean(11, beat.sequence() % trimEvery == 0);
        ps.setInt(12, historyLimit);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Heartbeat>empty();
          }
          return Optional.ofNullable(AgentTable.readable(rs, problems, sql.agents + "/" + beat.agentId()));
        }
      }
    });
  }}
