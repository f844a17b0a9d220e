SET lock_timeout = '1s';
ALTER TABLE products ADD PRIMARY KEY (sku);
