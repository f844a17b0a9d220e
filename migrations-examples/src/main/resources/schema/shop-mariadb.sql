-- The shop of shop.sql in MariaDB's SQL, with the constraint and index names PostgreSQL gives them, so the same
-- example migrations run on both. Statements are separated by ';' at line ends.
CREATE TABLE customers (
    id bigint AUTO_INCREMENT PRIMARY KEY,
    email varchar(255) NOT NULL,
    first_name varchar(100) NOT NULL,
    last_name varchar(100) NOT NULL,
    phone varchar(40),
    created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE products (
    id bigint AUTO_INCREMENT PRIMARY KEY,
    sku varchar(40) NOT NULL,
    title varchar(200) NOT NULL,
    price decimal(10, 2) NOT NULL,
    legacy_code varchar(40)
);
CREATE TABLE orders (
    id bigint AUTO_INCREMENT PRIMARY KEY,
    customer_id bigint NOT NULL,
    product_id bigint,
    quantity int NOT NULL DEFAULT 1,
    status varchar(255) NOT NULL DEFAULT 'new',
    note text,
    created_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id)
);
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE audit_log (
    id bigint AUTO_INCREMENT PRIMARY KEY,
    message text NOT NULL
);
INSERT INTO customers (email, first_name, last_name, phone)
SELECT CONCAT('customer', seq, '@example.com'), CONCAT('First', seq), CONCAT('Last', seq),
       IF(seq % 3 = 0, NULL, CONCAT('555-', seq))
FROM seq_1_to_200;
INSERT INTO products (sku, title, price, legacy_code)
SELECT CONCAT('SKU-', seq), CONCAT('Product ', seq), seq * 1.25, CONCAT('L', seq) FROM seq_1_to_50;
INSERT INTO orders (customer_id, product_id, quantity, status, note)
SELECT 1 + seq % 200, 1 + seq % 50, 1 + seq % 5, IF(seq % 4 = 0, 'shipped', 'new'),
       IF(seq % 2 = 0, CONCAT('note ', seq), NULL)
FROM seq_1_to_2500;
INSERT INTO audit_log (message) SELECT CONCAT('event ', seq) FROM seq_1_to_20;
