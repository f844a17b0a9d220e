SET lock_timeout = '1s';
VACUUM FULL orders;
