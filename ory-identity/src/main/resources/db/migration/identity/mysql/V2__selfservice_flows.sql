-- Self-service flows between their start and their submission (the flow JSON, its CSRF token and return URL).
CREATE TABLE ory4j_selfservice_flows (
  id CHAR(36) NOT NULL PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  flavor VARCHAR(16) NOT NULL,
  document MEDIUMTEXT NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  csrf_token VARCHAR(128) NOT NULL,
  return_to VARCHAR(2048),
  INDEX ory4j_selfservice_flows_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
