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
