#!/usr/bin/env bash
# What a row trigger's mere presence costs a backfill's UPDATE on PostgreSQL, by kind of trigger: one UPDATE of a
# column of every row of a 1M-row table (the table and expression of BackfillBenchmark) with no trigger, with a
# BEFORE UPDATE trigger whose WHEN skips the row (Tandem's sync trigger as the backfill meets it), and with an AFTER
# UPDATE trigger whose WHEN skips it. Each round loads three fresh tables and runs the three UPDATEs in a rotating
# order; prints each time and, at the end, the median time and its ratio to the plain UPDATE's rate. Not part of any
# build.
#
#   integration-tests/bench/postgres-trigger-kinds.sh          # ROWS=1000000 REPS=3
#
# Needs psql (PSQL="psql -h 127.0.0.1 -U postgres" by default). Creates and drops its own database.
set -euo pipefail

ROWS=${ROWS:-1000000}
REPS=${REPS:-3}
PSQL=${PSQL:-psql -h 127.0.0.1 -U postgres}
DB=${DB:-tandem_trigger_kinds_$$}
CASES=(plain before after)

$PSQL -q -d postgres -c "CREATE DATABASE $DB"
trap '$PSQL -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null' EXIT
sql() { $PSQL -q -X -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

sql <<SQL
CREATE FUNCTION sync_before() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN NEW.label := NEW.qty * 2; RETURN NEW; END \$\$;
CREATE FUNCTION sync_after() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN EXECUTE format('UPDATE %I SET label = \$1 WHERE id = \$2', TG_TABLE_NAME) USING NEW.qty * 2, NEW.id; RETURN NULL; END \$\$;
SQL

declare -A times
for rep in $(seq 1 "$REPS"); do
  for c in "${CASES[@]}"; do
    sql <<SQL
DROP TABLE IF EXISTS $c;
CREATE TABLE $c (id bigint PRIMARY KEY, qty int, price numeric, note text, label bigint);
INSERT INTO $c SELECT g, g % 1000, g * 1.5, 'note ' || g, NULL FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE $c;
SQL
  done
  sql -c "CREATE TRIGGER sync BEFORE UPDATE ON before FOR EACH ROW WHEN (current_setting('tandem.backfill', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION sync_before()"
  sql -c "CREATE TRIGGER sync AFTER UPDATE ON after FOR EACH ROW WHEN (OLD.qty IS DISTINCT FROM NEW.qty AND pg_trigger_depth() < 1) EXECUTE FUNCTION sync_after()"
  for i in 0 1 2; do
    c=${CASES[$(( (i + rep) % 3 ))]}
    sql -c "CHECKPOINT"
    start=$(date +%s.%N)
    sql -c "SET synchronous_commit = off; SET tandem.backfill = 'on'; UPDATE $c SET label = qty * 2 + length(note)"
    t=$(echo "$(date +%s.%N) - $start" | bc)
    times[$c]+="$t "
    printf 'round %d  %-6s %6.2f s\n' "$rep" "$c" "$t"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
plain=$(echo "${times[plain]}" | median)
for c in "${CASES[@]}"; do
  m=$(echo "${times[$c]}" | median)
  printf '%-6s median %6.2f s  %.2f x the plain UPDATE'"'"'s rate\n' "$c" "$m" "$(echo "$plain / $m" | bc -l)"
done
