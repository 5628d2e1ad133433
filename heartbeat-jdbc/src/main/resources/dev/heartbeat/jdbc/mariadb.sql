-- heartbeat store, MariaDB. {p} is the table prefix. Instants are epoch microseconds (UTC).
-- Ids compare byte for byte, trailing spaces included (utf8mb4_nopad_bin).
-- Columns are nullable on purpose: a damaged row is reported and skipped, never a crash.
CREATE TABLE IF NOT EXISTS {p}agents (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  incarnation VARCHAR(128),
  seq BIGINT,
  task_id VARCHAR(128),
  status VARCHAR(16),
  cpu DOUBLE,
  progress VARCHAR(1024),
  progress_at BIGINT,
  interval_us BIGINT,
  last_seen_at BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS {p}heartbeats (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  agent_id VARCHAR(128) NOT NULL,
  incarnation VARCHAR(128),
  seq BIGINT,
  task_id VARCHAR(128),
  status VARCHAR(16),
  cpu DOUBLE,
  progress VARCHAR(1024),
  progress_at BIGINT,
  interval_us BIGINT,
  recorded_at BIGINT,
  INDEX {p}heartbeats_agent (agent_id, id),
  INDEX {p}heartbeats_at (recorded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS {p}events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  agent_id VARCHAR(128) NOT NULL,
  incarnation VARCHAR(128),
  seq BIGINT,
  task_id VARCHAR(128),
  progress VARCHAR(1024),
  recorded_at BIGINT,
  INDEX {p}events_agent (agent_id, id),
  INDEX {p}events_at (recorded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS {p}leases (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  holder VARCHAR(128),
  token BIGINT,
  acquired_at BIGINT,
  renewed_at BIGINT,
  expires_at BIGINT,
  ttl_us BIGINT,
  transitions BIGINT,
  unreadable_since BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS {p}fencing (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  token BIGINT NOT NULL,
  transitions BIGINT NOT NULL,
  max_ttl_us BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- max_ttl_us: the longest ttl granted for the name (an unreadable lease is held that long).
-- Tables created by an earlier version lack it; this adds it.
ALTER TABLE {p}fencing ADD COLUMN IF NOT EXISTS max_ttl_us BIGINT;
-- interval_us: the agent's time between beats, carried by each beat (NULL: none given).
-- Tables created by an earlier version lack it; this adds it (old rows read as no interval).
ALTER TABLE {p}agents ADD COLUMN IF NOT EXISTS interval_us BIGINT;
ALTER TABLE {p}heartbeats ADD COLUMN IF NOT EXISTS interval_us BIGINT;
-- the incremental read (agentsChangedSince): a range scan of the database's beat time, and one
-- row per forgotten agent with the time of its forget. Tables of an earlier version lack both;
-- this adds them.
CREATE INDEX IF NOT EXISTS {p}agents_seen ON {p}agents (last_seen_at);
CREATE TABLE IF NOT EXISTS {p}agents_gone (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  gone_at BIGINT,
  INDEX {p}agents_gone_at (gone_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- tasks (TaskStore). One row per task of a queue; claimable_at is the due time of an INBOX task,
-- the claim's expiry of an IN_PROGRESS one and NULL for a final one, so that a claim is one range
-- scan of an index where final rows sit apart (NULL). version grows with every write (a
-- compare-and-set). Durations are ISO-8601 text, kept exactly as submitted.
CREATE TABLE IF NOT EXISTS {p}tasks (
  queue_name VARCHAR(128) NOT NULL,
  task_id VARCHAR(128) NOT NULL,
  payload MEDIUMTEXT,
  attempt_timeout VARCHAR(64),
  progress_timeout VARCHAR(64),
  max_attempts INTEGER,
  max_lost INTEGER,
  retry_delay VARCHAR(64),
  max_retry_delay VARCHAR(64),
  state VARCHAR(16),
  token BIGINT,
  worker VARCHAR(128),
  claim_expires_at BIGINT,
  claimable_at BIGINT,
  due_at BIGINT,
  failures INTEGER,
  lost INTEGER,
  progress_text VARCHAR(1024),
  checkpoint_text MEDIUMTEXT,
  output_text MEDIUMTEXT,
  reason MEDIUMTEXT,
  cancel_requested BOOLEAN,
  created_at BIGINT,
  updated_at BIGINT,
  attempts INTEGER,
  version BIGINT,
  PRIMARY KEY (queue_name, task_id),
  INDEX {p}tasks_claimable (queue_name, claimable_at, created_at, task_id),
  INDEX {p}tasks_state (queue_name, state, created_at, task_id),
  INDEX {p}tasks_updated (queue_name, state, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- the attempts of each task, at most TaskView.MAX_ATTEMPTS_KEPT per task (older ones deleted)
CREATE TABLE IF NOT EXISTS {p}task_attempts (
  queue_name VARCHAR(128) NOT NULL,
  task_id VARCHAR(128) NOT NULL,
  attempt_no INTEGER NOT NULL,
  worker VARCHAR(128),
  incarnation VARCHAR(128),
  token BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  outcome VARCHAR(16),
  error_class MEDIUMTEXT,
  message VARCHAR(1024),
  stack_trace MEDIUMTEXT,
  PRIMARY KEY (queue_name, task_id, attempt_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- the token floor of a pruned task: its last token, taken up again when the id is submitted anew
CREATE TABLE IF NOT EXISTS {p}task_tokens (
  queue_name VARCHAR(128) NOT NULL,
  task_id VARCHAR(128) NOT NULL,
  token BIGINT NOT NULL,
  PRIMARY KEY (queue_name, task_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- A beat in one round trip (JdbcStore.record): one CALL, in auto-commit mode, runs one
-- transaction that locks the agent's row (reading it), reads the clock, applies the beat only if
-- it is newer (same incarnation, greater sequence, not after LEFT, and the stored row readable),
-- appends the history row and, with new progress, the event, trims both to the newest p_kept when p_trim, and then, committed, yields the agent's row
-- (id, incarnation, seq, task_id, status, cpu, progress, progress_at, interval_us, last_seen_at):
-- the beat's state, or for a beat that changed nothing the stored one; no row for an unknown
-- agent. p_offset is added to the database clock (zero but in tests). CREATE OR REPLACE: running
-- this again (createSchema) brings the procedure of an earlier version up to date. The statuses
-- are AgentStatus's but LEFT. SQL SECURITY INVOKER: the caller needs EXECUTE and the rights on the
-- tables it always needed.
DELIMITER //
CREATE OR REPLACE PROCEDURE {p}record_beat(
  IN p_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin,
  IN p_incarnation VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin,
  IN p_seq BIGINT,
  IN p_task VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin,
  IN p_status VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin,
  IN p_cpu DOUBLE,
  IN p_progress VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin,
  IN p_new_progress BOOLEAN,
  IN p_interval BIGINT,
  IN p_offset BIGINT,
  IN p_trim BOOLEAN,
  IN p_kept INT)
  MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
  DECLARE v_now BIGINT;
  DECLARE v_cut BIGINT;
  DECLARE v_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin DEFAULT NULL;
  DECLARE v_incarnation VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
  DECLARE v_seq BIGINT;
  DECLARE v_task VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
  DECLARE v_status VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
  DECLARE v_cpu DOUBLE;
  DECLARE v_progress VARCHAR(1024) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
  DECLARE v_progress_at BIGINT;
  DECLARE v_interval BIGINT;
  DECLARE v_seen BIGINT;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_id = NULL;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;
  START TRANSACTION;
  SELECT id, incarnation, seq, task_id, status, cpu, progress, progress_at, interval_us,
      last_seen_at
    INTO v_id, v_incarnation, v_seq, v_task, v_status, v_cpu, v_progress, v_progress_at,
      v_interval, v_seen
    FROM {p}agents WHERE id = p_id FOR UPDATE;
  IF v_id IS NOT NULL AND v_incarnation = p_incarnation AND v_seq < p_seq
      AND v_status IN ('IDLE', 'WORKING') AND v_cpu IS NOT NULL AND v_seen IS NOT NULL
      AND (v_interval IS NULL OR v_interval > 0) THEN
    SET v_now = TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) + p_offset;
    SET v_seq = p_seq, v_task = p_task, v_status = p_status, v_cpu = p_cpu,
        v_progress = p_progress, v_progress_at = IF(p_new_progress, v_now, v_progress_at),
        v_interval = p_interval, v_seen = v_now;
    UPDATE {p}agents SET seq = v_seq, task_id = v_task, status = v_status, cpu = v_cpu,
        progress = v_progress, progress_at = v_progress_at, interval_us = v_interval,
        last_seen_at = v_seen
      WHERE id = p_id;
    INSERT INTO {p}heartbeats (incarnation, seq, task_id, status, cpu, progress, progress_at,
        interval_us, recorded_at, agent_id)
      VALUES (v_incarnation, v_seq, v_task, v_status, v_cpu, v_progress, v_progress_at,
        v_interval, v_seen, p_id);
    IF p_new_progress THEN
      INSERT INTO {p}events (incarnation, seq, task_id, progress, recorded_at, agent_id)
        VALUES (p_incarnation, p_seq, p_task, p_progress, v_now, p_id);
    END IF;
    IF p_trim THEN
      SET v_cut = (SELECT id FROM {p}heartbeats WHERE agent_id = p_id
          ORDER BY id DESC LIMIT 1 OFFSET p_kept);
      IF v_cut IS NOT NULL THEN
        DELETE FROM {p}heartbeats WHERE agent_id = p_id AND id <= v_cut;
      END IF;
      SET v_cut = (SELECT id FROM {p}events WHERE agent_id = p_id
          ORDER BY id DESC LIMIT 1 OFFSET p_kept);
      IF v_cut IS NOT NULL THEN
        DELETE FROM {p}events WHERE agent_id = p_id AND id <= v_cut;
      END IF;
    END IF;
  END IF;
  COMMIT;
  SELECT v_id AS id, v_incarnation AS incarnation, v_seq AS seq, v_task AS task_id,
      v_status AS status, v_cpu AS cpu, v_progress AS progress, v_progress_at AS progress_at,
      v_interval AS interval_us, v_seen AS last_seen_at
    FROM DUAL WHERE v_id IS NOT NULL;
END//
DELIMITER ;
