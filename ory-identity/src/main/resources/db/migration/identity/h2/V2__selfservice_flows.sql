-- Self-service flows between their start and their submission (the flow JSON, its CSRF token and return URL).
CREATE TABLE ory4j_selfservice_flows (
  id CHAR(36) NOT NULL PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  flavor VARCHAR(16) NOT NULL,
  document CLOB NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  csrf_token VARCHAR(128) NOT NULL,
  return_to VARCHAR(2048)
);
CREATE INDEX ory4j_selfservice_flows_expires_idx ON ory4j_selfservice_flows (expires_at);
