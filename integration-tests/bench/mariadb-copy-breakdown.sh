#!/usr/bin/env bash
# Where the time of Tandem's MariaDB table copy goes, against pt-online-schema-change's: the same 1M-row table as
# MariaDbTypeChangeBenchmark, each case on a freshly loaded table with an empty copy (`_new`, qty BIGINT, made as
# expand makes it), interleaved over REPS rounds. A case's statements run in a stored procedure that times each
# kind of statement with SYSDATE(6), so the figures leave out the client's round trips. Prints one line per case
# and round, then a summary (median, min-max) in seconds per case and statement kind. Not part of any build.
#
#   integration-tests/bench/mariadb-copy-breakdown.sh               # ROWS=1000000 REPS=3 BATCH=50000
#   ROWS=300000 REPS=1 CASES="tandem ptosc_chunks" integration-tests/bench/mariadb-copy-breakdown.sh
#   CASES="tandem@10000 tandem@100000 ptosc@10000" ...        # Tandem's or pt-osc's batches of another size
#
# Needs the mariadb client (MYSQL="mariadb -uroot -h127.0.0.1" by default) and, for the case pt_osc,
# pt-online-schema-change (its connection: PTOSC_DSN, "h=127.0.0.1,u=root" by default). Creates and drops its own
# database.
set -euo pipefail

ROWS=${ROWS:-1000000}
REPS=${REPS:-3}
BATCH=${BATCH:-50000}
MYSQL=${MYSQL:-mariadb -uroot -h127.0.0.1}
PTOSC_DSN=${PTOSC_DSN:-h=127.0.0.1,u=root}
DB=${DB:-tandem_copy_breakdown_$$}
CASES=${CASES:-"pt_osc ptosc_chunks tandem tandem_ignore tandem_unlocked tandem@200000 whole sample"}

sql() { $MYSQL -N -B "$DB" -e "$1"; }
# one compound statement (procedure): its body's semicolons are not the client's delimiter
ddl() { printf 'DELIMITER //\n%s //\n' "$1" | $MYSQL -N -B "$DB"; }
now() { date +%s.%N; }

$MYSQL -e "CREATE DATABASE $DB"
trap '$MYSQL -e "DROP DATABASE IF EXISTS $DB"' EXIT

# A fresh table and, unless $1 is "none", its empty copy as Tandem's expand makes it.
load() {
  sql "DROP TABLE IF EXISTS bench; DROP TABLE IF EXISTS _new; DROP TABLE IF EXISTS _bench_new;
       CREATE TABLE bench (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, price DECIMAL(10,2) NOT NULL,
         note VARCHAR(100) NOT NULL);
       INSERT INTO bench (qty, price, note) SELECT seq % 1000, (seq % 10000) * 0.37, CONCAT('row ', seq)
         FROM seq_1_to_$ROWS;"
  if [ "${1:-copy}" != none ]; then
    sql "CREATE TABLE _new LIKE bench; ALTER TABLE _new AUTO_INCREMENT = $((ROWS + 1));
         ALTER TABLE _new MODIFY qty bigint NULL"
  fi
}

COLUMNS='id, qty, price, note'
# Timers: @t_<kind> accumulates the seconds of each kind of statement; tick() starts one, tock(kind) ends it.
TIMERS="SET @t_bound = 0, @t_copy = 0, @t_commit = 0, @t_batches = 0, @t_check = 0;"
tick='SET @t0 = SYSDATE(6)'
tock() { echo "SET @t_$1 = @t_$1 + TIMESTAMPDIFF(MICROSECOND, @t0, SYSDATE(6)) / 1e6"; }

# Tandem's batch (MariaDbBatchStatements): READ COMMITTED, the upper key read in share mode (which locks the
# batch's rows), then INSERT … SELECT of the range without locks; $1 the INSERT's verb and tail, $2 the bound
# query's lock clause, $3 the batch size.
tandem_batches() {
  ddl "CREATE OR REPLACE PROCEDURE run_tandem()
       BEGIN
         DECLARE lo BIGINT DEFAULT 0;
         DECLARE hi BIGINT;
         DECLARE done BOOLEAN DEFAULT FALSE;
         SET SESSION tx_isolation = 'READ-COMMITTED', @tandem_backfill = 1;
         WHILE NOT done DO
           $tick; START TRANSACTION;
           SET hi = (SELECT id FROM bench WHERE id > lo ORDER BY id LIMIT 1 OFFSET $(($3 - 1)) $2);
           IF hi IS NULL THEN
             SET hi = (SELECT id FROM bench WHERE id > lo ORDER BY id DESC LIMIT 1 $2), done = TRUE;
           END IF;
           $(tock bound); $tick;
           $1 INTO _new ($COLUMNS) SELECT $COLUMNS FROM bench WHERE id > lo AND id <= hi ${4:-};
           $(tock copy); $tick;
           COMMIT;
           $(tock commit);
           SET lo = hi, @t_batches = @t_batches + 1;
           IF lo IS NULL THEN SET done = TRUE; END IF;
         END WHILE;
       END"
  sql "$TIMERS CALL run_tandem(); SELECT CONCAT('bound ', @t_bound, ' copy ', @t_copy, ' commit ', @t_commit,
       ' batches ', @t_batches)"
}

# pt-online-schema-change's chunk (its log, --chunk-time 0.5): the next chunk's upper key without locks, then
# INSERT LOW_PRIORITY IGNORE … SELECT … LOCK IN SHARE MODE, autocommit, REPEATABLE READ.
ptosc_batches() {
  ddl "CREATE OR REPLACE PROCEDURE run_ptosc()
       BEGIN
         DECLARE lo BIGINT DEFAULT (SELECT MIN(id) FROM bench);
         DECLARE hi BIGINT;
         DECLARE top BIGINT DEFAULT (SELECT MAX(id) FROM bench);
         WHILE lo IS NOT NULL DO
           $tick;
           SET hi = (SELECT id FROM bench FORCE INDEX (PRIMARY) WHERE id >= lo ORDER BY id LIMIT $(($1 - 1)), 1);
           IF hi IS NULL THEN SET hi = top; END IF;
           $(tock bound); $tick;
           INSERT LOW_PRIORITY IGNORE INTO _new ($COLUMNS) SELECT $COLUMNS FROM bench FORCE INDEX (PRIMARY)
             WHERE id >= lo AND id <= hi LOCK IN SHARE MODE;
           $(tock copy);
           SET lo = (SELECT MIN(id) FROM bench WHERE id > hi), @t_batches = @t_batches + 1;
         END WHILE;
       END"
  sql "$TIMERS CALL run_ptosc(); SELECT CONCAT('bound ', @t_bound, ' copy ', @t_copy, ' batches ', @t_batches)"
}

# Contract's check before the swap, on the copy just filled: each in its own timer.
checks() {
  local antijoin="SELECT COUNT(*), COALESCE(SUM(pending), 0), COALESCE(SUM(differs), 0) FROM (SELECT bench.id,
      c._k0 IS NULL AS pending, NOT (c._k0 IS NULL) AND (NOT (c._c0 <=> id) OR NOT (c._c1 <=> qty)
      OR NOT (c._c2 <=> price) OR NOT (c._c3 <=> note)) AS differs FROM bench LEFT JOIN (SELECT id AS _k0, id AS _c0,
      qty AS _c1, price AS _c2, note AS _c3 FROM _new) AS c ON c._k0 = bench.id) AS checked"
  local counts="SELECT COUNT(*), SUM(CRC32(id)) FROM bench; SELECT COUNT(*), SUM(CRC32(id)) FROM _new"
  echo "  antijoin $(tt "$antijoin")"
  echo "  not_exists $(tt "SELECT COUNT(*) FROM bench WHERE NOT EXISTS (SELECT 1 FROM _new WHERE _new.id = bench.id)")"
  echo "  counts $(tt "START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT COUNT(*) FROM bench; SELECT COUNT(*) FROM _new; COMMIT")"
  echo "  counts_crc $(tt "START TRANSACTION WITH CONSISTENT SNAPSHOT; $counts; COMMIT")"
  echo "  drop $(tt "DROP TABLE bench")"
}

# The seconds $1 takes on the server (without the client's start).
tt() { sql "SET @t0 = SYSDATE(6); $1; SELECT TIMESTAMPDIFF(MICROSECOND, @t0, SYSDATE(6)) / 1e6" | tail -1; }

run_case() {
  case $1 in
    pt_osc) load none; local t0; t0=$(now)
      pt-online-schema-change --chunk-time 0.5 --recursion-method=none --no-version-check \
        --alter "MODIFY qty BIGINT" --execute "D=$DB,t=bench,$PTOSC_DSN" >/dev/null
      echo "  total $(echo "$(now) - $t0" | bc)" ;;
    ptosc_chunks) load; ptosc_batches "$BATCH" ;;
    tandem) load; tandem_batches INSERT 'LOCK IN SHARE MODE' "$BATCH" 'ON DUPLICATE KEY UPDATE id = _new.id'
      checks ;;
    tandem_ignore) load; tandem_batches 'INSERT IGNORE' 'LOCK IN SHARE MODE' "$BATCH" ;;
    tandem_unlocked) load; tandem_batches INSERT '' "$BATCH" 'ON DUPLICATE KEY UPDATE id = _new.id' ;;
    tandem@*) load; tandem_batches INSERT 'LOCK IN SHARE MODE' "${1#tandem@}" 'ON DUPLICATE KEY UPDATE id = _new.id' ;;
    ptosc@*) load; ptosc_batches "${1#ptosc@}" ;;
    whole) load; echo "  copy $(tt "INSERT INTO _new ($COLUMNS) SELECT $COLUMNS FROM bench")" ;;
    sample) load; echo "  sample $(tt "SELECT id FROM bench WHERE RAND() * 100 < 0.1 ORDER BY id")"
      echo "  minmax $(tt "SELECT MIN(id), MAX(id) FROM bench")" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

results=$(mktemp)
echo "rows=$ROWS batch=$BATCH reps=$REPS load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq 1 "$REPS"); do
  for c in $CASES; do
    t0=$(now)
    out=$(run_case "$c" | tr '\n' ' ' | sed 's/^ *//')
    printf '%-16s round %d %7.2f s (load %s) %s\n' "$c" "$rep" "$(echo "$(now) - $t0" | bc)" \
      "$(cut -d' ' -f1 /proc/loadavg)" "$out"
    # "kind seconds" pairs, kept per case
    echo "$out" | awk -v c="$c" '{ for (i = 1; i < NF; i += 2) print c, $i, $(i + 1) }' >>"$results"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | statement | median s | min–max s |"
echo "|---|---|---:|---:|"
awk '{ print $1, $2 }' "$results" | awk '!seen[$0]++' | while read -r c k; do
  awk -v c="$c" -v k="$k" '$1 == c && $2 == k { print $3 }' "$results" | sort -g | awk -v c="$c" -v k="$k" '
    { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "| %s | %s | %.3f | %.3f–%.3f |\n", c, k, m, v[1], v[NR] }'
done
rm -f "$results"
