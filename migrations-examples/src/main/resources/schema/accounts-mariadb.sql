-- Accounts with an int key that two tables reference, in MariaDB's SQL: the schema of alter_column_primary_key.yaml.
CREATE TABLE accounts (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(40) NOT NULL
);
CREATE TABLE orders (
    id INT AUTO_INCREMENT PRIMARY KEY,
    account_id INT NOT NULL,
    note TEXT,
    CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id)
);
CREATE TABLE payments (
    id INT AUTO_INCREMENT PRIMARY KEY,
    account_id INT,
    amount INT,
    CONSTRAINT payments_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
);
INSERT INTO accounts (name) SELECT CONCAT('account ', seq) FROM seq_1_to_200;
INSERT INTO orders (account_id, note) SELECT 1 + seq % 200, CONCAT('order ', seq) FROM seq_1_to_500;
INSERT INTO payments (account_id, amount) SELECT IF(seq % 10 = 0, NULL, 1 + seq % 200), seq FROM seq_1_to_500;
