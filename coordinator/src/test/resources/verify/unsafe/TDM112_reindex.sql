SET lock_timeout = '1s';
REINDEX TABLE orders;
