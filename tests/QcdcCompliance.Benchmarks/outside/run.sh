#!/bin/bash
# The findings-heavy regime as a check from outside would time it, on a province the benchmark did not generate:
#   python3 province.py DIR [SEED]      # 195,166 units, 462,712 values of 2020S1 and 2020, saved as a spreadsheet saves CSV
#   ./run.sh QCDC DIR                   # QCDC: the program to time (~/.local/bin/qcdc, or "dotnet path/qcdc.dll")
# Each step is a process of its own under /usr/bin/time (wall time, peak resident set); the database is DIR/qcdc.db.
# The imported file is kept as DIR/imported.db, so that an evaluation can be timed again on a copy of it.
set -u
Q=$1; D=$(cd "$2" && pwd); DB=$D/qcdc.db
rm -f "$DB" "$DB-wal" "$DB-shm"; mkdir -p "$D/logs"
export QCDC_DB=$DB QCDC_PROVIDER=Sqlite
here=$(cd "$(dirname "$0")/../../.." && pwd)
step() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$D/logs/$name.time" $Q "$@" >"$D/logs/$name.out" 2>"$D/logs/$name.err"
  local rc=$? e m; read -r e m <"$D/logs/$name.time"
  printf '%-40s %7.2f s  peak %5d MiB\n' "$name" "$e" $((m / 1024))
  if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then echo "  exit $rc:"; head -20 "$D/logs/$name.err" "$D/logs/$name.out"; exit $rc; fi
}
size() { du -cb "$DB"* | tail -1 | cut -f1; }
step migrate migrate
step "import areas" import areas "$D/areas.csv" --no-evaluate
step "import units" import units "$D/units.csv" --no-evaluate
for f in "$here"/rules/QcdcCompliance.Rules/TargetSets/*.json; do step "import targets $(basename "$f")" import targets "$f" --scope HX; done
step "import values --no-evaluate" import values "$D/values.csv" --no-evaluate
cp "$DB" "$D/imported.db"
before=$(size)
step "evaluate 2020S1" evaluate --period 2020S1
step "evaluate 2020" evaluate --period 2020
after=$(size)
step "evaluate 2020S1 again" evaluate --period 2020S1
echo "database growth of the two first evaluations: $(( (after - before) / 1000000 )) MB"
head -1 "$D/logs/evaluate 2020S1.out"
