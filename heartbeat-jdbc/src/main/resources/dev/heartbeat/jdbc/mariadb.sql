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
