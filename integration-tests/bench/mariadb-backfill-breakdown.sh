#!/usr/bin/env bash
# Where the time of Tandem's MariaDB backfill goes: the same 1M-row table as MariaDbTypeChangeBenchmark, one
# statement shape per measurement, each on a freshly loaded table, interleaved over REPS rounds. Prints one
# line per measurement and a summary (median, min-max) in seconds. Not part of any build.
#
#   integration-tests/bench/mariadb-backfill-breakdown.sh            # ROWS=1000000 REPS=3
#   ROWS=300000 REPS=1 CASES="plain batches" integration-tests/bench/mariadb-backfill-breakdown.sh
#
# Needs the mariadb client; MYSQL="mariadb -uroot -h127.0.0.1" by default. Creates and drops its own database.
set -euo pipefail

ROWS=${ROWS:-1000000}
REPS=${REPS:-3}
BATCH=${BATCH:-10000}
MYSQL=${MYSQL:-mariadb -uroot -h127.0.0.1}
DB=${DB:-tandem_breakdown_$$}
VDB=${DB}_v
CASES=${CASES:-"plain batches plain_trigger_old plain_trigger_new tandem_stmt tandem_stmt_trigger_old
  tandem_stmt_trigger_typed tandem_stmt_trigger_new set_where set_where_trigger_new tandem_stmt_inplace_column copy_insert_select pt_osc
  bounds"}

sql() { $MYSQL -N -B "$DB" -e "$1"; }
# one compound statement (procedure, trigger): its body's semicolons are not the client's delimiter
ddl() { printf 'DELIMITER //\n%s //\n' "$1" | $MYSQL -N -B "$DB"; }
now() { date +%s.%N; }

$MYSQL -e "CREATE DATABASE $DB; CREATE DATABASE $VDB"
trap '$MYSQL -e "DROP DATABASE IF EXISTS $DB; DROP DATABASE IF EXISTS $VDB"' EXIT

# A fresh table with the shadow column added as Tandem's expand adds it (instant), by a rebuild (inplace,
# FORCE: without it MariaDB adds the column instantly even when asked for INPLACE), or without it (none).
load() {
  sql "DROP TABLE IF EXISTS bench; DROP TABLE IF EXISTS bench_copy;
       CREATE TABLE bench (id BIGINT AUTO_INCREMENT PRIMARY KEY, qty INT, price DECIMAL(10,2) NOT NULL,
         note VARCHAR(100) NOT NULL);
       INSERT INTO bench (qty, price, note) SELECT seq % 1000, (seq % 10000) * 0.37, CONCAT('row ', seq)
         FROM seq_1_to_$ROWS;"
  if [ "${1:-instant}" = none ]; then
    return
  elif [ "${1:-instant}" = instant ]; then
    sql "ALTER TABLE bench ADD COLUMN IF NOT EXISTS _tandem_qty bigint NULL, ALGORITHM=INSTANT"
  else
    local t0; t0=$(now)
    sql "ALTER TABLE bench ADD COLUMN IF NOT EXISTS _tandem_qty bigint NULL, FORCE, ALGORITHM=INPLACE, LOCK=NONE"
    echo "  (inplace ADD COLUMN took $(echo "$(now) - $t0" | bc) s)" >&2
  fi
}

# The column list every variable block of the sync trigger declares, as MariaDbSyncTriggers renders it (main,
# before this branch): TYPE OF each column, one block per row image and direction.
declares() { # $1 row (OLD/NEW), $2 physical column of `qty`, $3 type source (typeof/typed)
  local cols="id:id:BIGINT qty:$2:$([ "$2" = qty ] && echo INT || echo BIGINT) price:price:DECIMAL(10,2) note:note:VARCHAR(100)"
  for c in $cols; do
    IFS=: read -r name col type <<<"$c"
    if [ "$3" = typeof ]; then type="TYPE OF \`$DB\`.\`bench\`.\`$col\`"; fi
    echo "DECLARE \`$name\` $type DEFAULT $1.\`$col\`;"
  done
}

update_rules() { # $1 physical source of qty in this version, $2 target, $3 type source
  local prev_type
  if [ "$3" = typeof ]; then prev_type="TYPE OF \`$DB\`.\`bench\`.\`$2\`"; else
    prev_type=$([ "$2" = qty ] && echo INT || echo BIGINT); fi
  echo "BEGIN DECLARE \`_tandem_previous_0\` $prev_type;
    BEGIN $(declares OLD "$1" "$3") SET \`_tandem_previous_0\` = (qty); END;
    BEGIN $(declares NEW "$1" "$3") IF NOT ((qty) <=> \`_tandem_previous_0\`) THEN SET NEW.\`$2\` = (qty); END IF; END;
  END;"
}

# old: main's trigger (TYPE OF variables); typed: the same with the columns' types spelled out; new: no variables.
trigger() {
  local kind=$1 insert update
  if [ "$kind" = new ]; then
    insert="BEGIN IF @tandem_version <=> '$VDB' THEN SET NEW.\`qty\` = (NEW.\`_tandem_qty\`);
      ELSE SET NEW.\`_tandem_qty\` = (NEW.\`qty\`); END IF; END"
    update="BEGIN IF @tandem_backfill IS NULL THEN IF @tandem_version <=> '$VDB' THEN
        IF NOT ((NEW.\`_tandem_qty\`) <=> (OLD.\`_tandem_qty\`)) THEN SET NEW.\`qty\` = (NEW.\`_tandem_qty\`); END IF;
      ELSE IF NOT ((NEW.\`qty\`) <=> (OLD.\`qty\`)) THEN SET NEW.\`_tandem_qty\` = (NEW.\`qty\`); END IF;
      END IF; END IF; END"
  else
    local src=typeof; [ "$kind" = typed ] && src=typed
    insert="BEGIN IF @tandem_version <=> '$VDB' THEN BEGIN $(declares NEW _tandem_qty $src) SET NEW.\`qty\` = (qty); END;
      ELSE BEGIN $(declares NEW qty $src) SET NEW.\`_tandem_qty\` = (qty); END; END IF; END"
    update="BEGIN IF @tandem_backfill IS NULL THEN IF @tandem_version <=> '$VDB' THEN
      $(update_rules _tandem_qty qty $src) ELSE $(update_rules qty _tandem_qty $src) END IF; END IF; END"
  fi
  ddl "CREATE TRIGGER bench_insert BEFORE INSERT ON bench FOR EACH ROW $insert"
  ddl "CREATE TRIGGER bench_update BEFORE UPDATE ON bench FOR EACH ROW $update"
}

# Tandem's backfill statement (MariaDbBatchStatements.update) in key ranges of $BATCH, each its own
# transaction with @tandem_backfill set and READ COMMITTED, as the worker runs it (minus the checkpoint).
batches() { # $1 SET, $2 WHERE prefix
  ddl "CREATE OR REPLACE PROCEDURE run_batches()
       BEGIN
         DECLARE lo BIGINT DEFAULT 0;
         DECLARE top BIGINT;
         SELECT MAX(id) INTO top FROM bench;
         SET @tandem_backfill = 1, SESSION tx_isolation = 'READ-COMMITTED';
         WHILE lo < top DO
           START TRANSACTION;
           UPDATE bench SET $1 WHERE $2 id > lo AND id <= lo + $BATCH;
           COMMIT;
           SET lo = lo + $BATCH;
         END WHILE;
       END"
  sql "CALL run_batches()"
}

TANDEM_SET='_tandem_qty = CASE WHEN _tandem_qty IS NULL THEN (qty) ELSE _tandem_qty END'

run_case() {
  case $1 in
    plain) load; t "UPDATE bench SET _tandem_qty = qty" ;;
    batches) load; tb '_tandem_qty = qty' '' ;;
    plain_trigger_old) load; trigger old; t "SET @tandem_backfill = 1; UPDATE bench SET _tandem_qty = qty" ;;
    plain_trigger_new) load; trigger new; t "SET @tandem_backfill = 1; UPDATE bench SET _tandem_qty = qty" ;;
    tandem_stmt) load; tb "$TANDEM_SET" '(_tandem_qty IS NULL) AND' ;;
    tandem_stmt_trigger_old) load; trigger old; tb "$TANDEM_SET" '(_tandem_qty IS NULL) AND' ;;
    tandem_stmt_trigger_new) load; trigger new; tb "$TANDEM_SET" '(_tandem_qty IS NULL) AND' ;;
    tandem_stmt_trigger_typed) load; trigger typed; tb "$TANDEM_SET" '(_tandem_qty IS NULL) AND' ;;
    set_where) load; tb '_tandem_qty = qty' '_tandem_qty IS NULL AND' ;;
    set_where_trigger_new) load; trigger new; tb '_tandem_qty = (qty)' '(_tandem_qty IS NULL) AND' ;;
    tandem_stmt_inplace_column) load inplace; tb "$TANDEM_SET" '(_tandem_qty IS NULL) AND' ;;
    copy_insert_select) load; sql "CREATE TABLE bench_copy LIKE bench"
      t "INSERT INTO bench_copy SELECT * FROM bench" ;;
    pt_osc) load none; local t0; t0=$(now)
      pt-online-schema-change --chunk-time 0.5 --recursion-method=none --no-version-check \
        --alter "MODIFY qty BIGINT" --execute "D=$DB,t=bench,h=127.0.0.1,u=root" >/dev/null
      elapsed=$(echo "$(now) - $t0" | bc) ;;
    bounds) load; ddl "CREATE OR REPLACE PROCEDURE run_bounds()
          BEGIN
            DECLARE lo BIGINT DEFAULT 0;
            WHILE lo IS NOT NULL DO
              SET lo = (SELECT id FROM bench WHERE id > lo ORDER BY id LIMIT 1 OFFSET $((BATCH - 1)));
            END WHILE;
          END"
      t "CALL run_bounds()" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

t() { local t0; t0=$(now); sql "$1" >/dev/null; elapsed=$(echo "$(now) - $t0" | bc); }
tb() { local t0; t0=$(now); batches "$1" "$2"; elapsed=$(echo "$(now) - $t0" | bc); }

results=$(mktemp)
echo "rows=$ROWS batch=$BATCH reps=$REPS load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq 1 "$REPS"); do
  for c in $CASES; do
    run_case "$c"
    printf '%-28s round %d %8.2f s  (load %s)\n' "$c" "$rep" "$elapsed" "$(cut -d' ' -f1 /proc/loadavg)"
    echo "$c $elapsed" >>"$results"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | median s | min–max s | rows/s (median) |"
echo "|---|---:|---:|---:|"
for c in $CASES; do
  grep "^$c " "$results" | awk '{print $2}' | sort -n | awk -v c="$c" -v rows="$ROWS" '
    { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "| %s | %.2f | %.2f–%.2f | %\047d |\n", c, m, v[1], v[NR], rows / m }'
done
rm -f "$results"
