#!/usr/bin/env bash
# communique on OpenLink Virtuoso: the example articles loaded, queried,
# validated, dumped, removed and bulk-loaded through a local Virtuoso 7.
#
#   sudo apt-get install virtuoso-opensource     # Debian/Ubuntu
#   bash bench/virtuoso.sh [--articles N]        # N generated articles too (timed)
#
# Virtuoso runs from a temporary folder on free local ports and is stopped at
# the end. Its settings that matter to communique:
# - ResultSetMaxRows: Virtuoso cuts every result at 10,000 rows by default,
#   which would cut dumps and validation; raised here;
# - updates: the anonymous /sparql endpoint may not write until granted
#   SPARQL_UPDATE (done here, for a local test only; on a shared server use
#   /sparql-auth with --store-user/--store-password);
# - the default graph already is the union of all graphs (--store-union native).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="$REPO/.venv/bin/python"
ARTICLES=0
[[ "${1:-}" == "--articles" ]] && ARTICLES="$2"
command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: apt-get install virtuoso-opensource" >&2; exit 2; }

WORK="$(mktemp -d -t communique-virtuoso-XXXX)"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SQL_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
sed -e "s|/var/lib/virtuoso-opensource-7/db|$WORK|g" \
    -e "s|^ServerPort *= *1111|ServerPort = 127.0.0.1:$SQL_PORT|" \
    -e "s|^ServerPort *= *8890|ServerPort = 127.0.0.1:$HTTP_PORT|" \
    -e "s|^ResultSetMaxRows.*|ResultSetMaxRows = 100000000|" \
    /etc/virtuoso-opensource-7/virtuoso.ini > "$WORK/virtuoso.ini"

virtuoso-t -f -c "$WORK/virtuoso.ini" > "$WORK/server.log" 2>&1 &
VIRTUOSO_PID=$!
cleanup() { kill "$VIRTUOSO_PID" 2>/dev/null || true; wait "$VIRTUOSO_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for _ in $(seq 120); do
  isql-vt "$SQL_PORT" dba dba exec="status();" >/dev/null 2>&1 && break
  sleep 0.5
done
isql-vt "$SQL_PORT" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null

export COMMUNIQUE_STORE="http://127.0.0.1:$HTTP_PORT/"
export COMMUNIQUE_STORE_QUERY_URL="http://127.0.0.1:$HTTP_PORT/sparql"
export COMMUNIQUE_STORE_UPDATE_URL="http://127.0.0.1:$HTTP_PORT/sparql"
export COMMUNIQUE_STORE_GSP_URL="http://127.0.0.1:$HTTP_PORT/sparql-graph-crud"
export COMMUNIQUE_STORE_UNION=native
run() { echo "+ communique $*"; "$PY" -m communique "$@"; }

cd "$REPO"
run load --quiet --workers 1 examples/articles
run load --quiet --workers 1 examples/articles      # again: all unchanged
run stats
run query "SELECT ?h WHERE { GRAPH ?a { ?a schema:headline ?h } } ORDER BY ?h"
run validate
run dump "$WORK/all.nq"
echo "dump: $(wc -l < "$WORK/all.nq") quads"
first="$("$PY" -m communique query --format csv "SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } } ORDER BY ?a LIMIT 1" | tail -1 | tr -d '\r')"
run remove "$first"
run extract --quiet --workers 1 --out "$WORK/shards" examples/articles
run load-shards --quiet "$WORK/shards"             # puts the removed article back
run stats
stored="$("$PY" -m communique stats --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["articles"])')"
expected="$(ls examples/articles/*.txt examples/articles/*.md 2>/dev/null | wc -l)"
expected=$(( expected + $(grep -c . examples/articles/*.jsonl | awk -F: '{s+=$NF} END {print s}') ))
[[ "$stored" == "$expected" ]] || { echo "FAILED: Virtuoso holds $stored articles, expected $expected" >&2; exit 1; }
echo "ok: Virtuoso holds all $stored example articles"

if (( ARTICLES > 0 )); then
  "$PY" bench/corpus.py "$ARTICLES" "$WORK/corpus.jsonl" >/dev/null
  start=$(date +%s.%N)
  run load --quiet --workers 2 "$WORK/corpus.jsonl"
  end=$(date +%s.%N)
  "$PY" -c "print(f'load into Virtuoso: {$ARTICLES / ($end - $start):.2f} articles/s')"
fi
