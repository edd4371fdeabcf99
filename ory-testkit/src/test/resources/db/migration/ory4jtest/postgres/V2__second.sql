INSERT INTO ory4jtest_items (id, label) VALUES (2, 'two');
