# readme.sh — the README's two commands are the Makefile's, and its tour of
# src/ names every file there (STYLE.md: keep the tour current).
. "$E2E_LIB"
readme="$ROOT/README.md"
check_contains "README gives make demo" "make demo" "$(cat "$readme")"
check_contains "README gives make check" "make check" "$(cat "$readme")"
check_contains ".ci/run runs the README's test command" "make check" "$(cat "$ROOT/.ci/run")"
missing=""
for f in "$ROOT"/src/*.[ch]; do
    b=$(basename "$f")
    grep -q "\`$b\`" "$readme" || missing="$missing $b"
done
check "every file in src/ is in the README's tour" "" "$missing"
finish
