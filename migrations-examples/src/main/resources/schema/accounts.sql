-- Accounts with an int key that two tables reference: the schema of alter_column_primary_key.yaml.
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    note text
);
CREATE INDEX orders_account_idx ON orders (account_id);
CREATE TABLE payments (
    id serial PRIMARY KEY,
    account_id integer REFERENCES accounts (id) ON DELETE CASCADE,
    amount integer
);
INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(1, 200) AS g;
INSERT INTO orders (account_id, note) SELECT 1 + g % 200, 'order ' || g FROM generate_series(1, 500) AS g;
INSERT INTO payments (account_id, amount) SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % 200 END, g
FROM generate_series(1, 500) AS g;
