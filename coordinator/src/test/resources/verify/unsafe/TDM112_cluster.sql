SET lock_timeout = '1s';
CLUSTER orders USING orders_pkey;
