-- a test module: one table, then a second migration that adds a row; semicolons in strings are not separators
CREATE TABLE ory4jtest_items (id INT PRIMARY KEY, label VARCHAR(64) NOT NULL);
INSERT INTO ory4jtest_items (id, label) VALUES (1, 'one; with a semicolon');
