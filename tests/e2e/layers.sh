# layers.sh — the README's layer map holds (tests/layers): no include points
# to a higher layer, every src file is in the tour, SQL only in the Store
# layer. Then the check itself is shown to fail, naming FILE:LINE, on a copy of
# src/ with each kind of breach planted. (KPI_README: another README to read,
# for trying a tour before it is committed.)
. "$E2E_LIB"
readme=${KPI_README:-$ROOT/README.md}
out=$("$ROOT/tests/layers" "$readme" "$ROOT/src" 2>&1); rc=$?
check "the code keeps the README's layer map" "0:" "$rc:$out"

cp -r "$ROOT/src" src
# a Base file that includes a Store header, on its line 2
{ head -1 "$ROOT/src/buf.c"; echo '#include "store.h"'; tail -n +2 "$ROOT/src/buf.c"; } > src/buf.c
# SQL in a Figures file, and a file the tour does not know
printf 'static const char *q = "SELECT id FROM areas";\n' >> src/fq.c
lines=$(wc -l < src/fq.c)
printf '/* stray.c */\n' > src/stray.c
out=$("$ROOT/tests/layers" "$readme" src 2>&1); rc=$?
check "a breach fails the check" 1 "$rc"
check_contains "an upward include is named with its line" "src/buf.c:2: Base file includes store.h from the higher layer Store" "$out"
check_contains "SQL outside the store is named with its line" "src/fq.c:$lines: SQL outside the Store layer" "$out"
check_contains "a file missing from the tour is named" "src/stray.c:1: not in the README's source tour" "$out"
rm src/stray.c
cp "$ROOT/src/buf.c" src/buf.c
cp "$ROOT/src/fq.c" src/fq.c
# a same-layer include is allowed: a Store file including another Store header
{ head -1 "$ROOT/src/store_web.c"; echo '#include "store_copy.h"'; tail -n +2 "$ROOT/src/store_web.c"; } > src/store_web.c
out=$("$ROOT/tests/layers" "$readme" src 2>&1); rc=$?
check "a same-layer include is allowed" "0:" "$rc:$out"
finish
