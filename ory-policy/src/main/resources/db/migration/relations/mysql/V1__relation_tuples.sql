-- Relation tuples. Hash columns (SHA-256 hex of length-prefixed keys, see TupleKeys) keep every index small:
-- tuple_hash is the primary key and the page order, set_hash finds namespace:object#relation, subject_hash
-- finds a subject's tuples (reverse lookups).
CREATE TABLE ory4j_relation_tuples (
  tuple_hash CHAR(64) NOT NULL PRIMARY KEY,
  set_hash CHAR(64) NOT NULL,
  subject_hash CHAR(64) NOT NULL,
  namespace VARCHAR(1024) NOT NULL,
  object VARCHAR(1024) NOT NULL,
  relation VARCHAR(1024) NOT NULL,
  subject_id VARCHAR(1024),
  subject_set_namespace VARCHAR(1024),
  subject_set_object VARCHAR(1024),
  subject_set_relation VARCHAR(1024),
  INDEX ory4j_relation_tuples_set_idx (set_hash, tuple_hash),
  INDEX ory4j_relation_tuples_subject_idx (subject_hash, tuple_hash),
  INDEX ory4j_relation_tuples_namespace_idx (namespace(191), tuple_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
