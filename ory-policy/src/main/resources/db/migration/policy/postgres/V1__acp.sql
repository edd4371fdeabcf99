-- ORY Access Control Policies (Keto v0.5's ACP engine): policies and roles per flavor (exact, glob, regex).
-- A policy is stored as its JSON document; its subjects, resources and actions are copied into
-- ory4j_acp_policy_term for Keto's list filters. ory4j_acp_revision counts writes so other processes see changes.
CREATE TABLE ory4j_acp_policy (
  flavor VARCHAR(16) NOT NULL,
  id VARCHAR(191) NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (flavor, id)
);
CREATE TABLE ory4j_acp_policy_term (
  flavor VARCHAR(16) NOT NULL,
  policy_id VARCHAR(191) NOT NULL,
  kind CHAR(1) NOT NULL,
  term TEXT NOT NULL
);
CREATE INDEX ory4j_acp_policy_term_idx ON ory4j_acp_policy_term (flavor, policy_id);
CREATE TABLE ory4j_acp_role (
  flavor VARCHAR(16) NOT NULL,
  id VARCHAR(191) NOT NULL,
  PRIMARY KEY (flavor, id)
);
CREATE TABLE ory4j_acp_role_member (
  flavor VARCHAR(16) NOT NULL,
  role_id VARCHAR(191) NOT NULL,
  ordinal INT NOT NULL,
  subject TEXT NOT NULL,
  PRIMARY KEY (flavor, role_id, ordinal)
);
CREATE TABLE ory4j_acp_revision (
  flavor VARCHAR(16) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  revision BIGINT NOT NULL,
  PRIMARY KEY (flavor, kind)
);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('EXACT', 'policy', 0);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('EXACT', 'role', 0);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('GLOB', 'policy', 0);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('GLOB', 'role', 0);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('REGEX', 'policy', 0);
INSERT INTO ory4j_acp_revision (flavor, kind, revision) VALUES ('REGEX', 'role', 0);
