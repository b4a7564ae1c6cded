# docs.sh — docs/ is the specification, and stays one: no source or test cites
# a contract kept outside the repository, every link between the pages (a
# relative .md link, a #section) leads to a file and a heading that exist, every
# command of the command table has its section in docs/cli.md, every import kind
# its section in docs/files.md, and the columns `kpi compare`, `kpi delivery`
# and `kpi benchmark` print are each named in docs/cli.md, every example file
# of docs/files.md imports, and docs/figures.md's worked example is what
# `kpi compare` prints.
. "$E2E_LIB"
docs="$ROOT/docs"

# 1. Code comments point into docs/, not to the first contract.
cites=$(grep -rIl 'CONTRACT\.md' "$ROOT/src" "$ROOT/tests" | grep -v '/tests/e2e/docs\.sh$' | sed "s|$ROOT/||" | sort)
check "no file in src/ or tests/ cites CONTRACT.md" "" "$cites"

# 2. Every relative link of docs/*.md and README.md leads to a file, and every
#    #anchor to a heading of its page (GitHub's slugs: lower case, punctuation
#    dropped, spaces to hyphens, -1, -2 for repeats). Fenced code is skipped.
broken=$(python3 - "$ROOT" <<'PY'
import os, re, sys
root = sys.argv[1]
pages = [os.path.join(root, "docs", f) for f in sorted(os.listdir(os.path.join(root, "docs"))) if f.endswith(".md")]
pages.append(os.path.join(root, "README.md"))

def prose(path):
    """The lines of a Markdown file outside fenced code blocks."""
    out, fence = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*(```+|~~~+)", line)
        if m:
            if fence is None:
                fence = m.group(1)[0]
            elif m.group(1)[0] == fence:
                fence = None
            continue
        if fence is None:
            out.append(line.rstrip("\n"))
    return out

def slugs(path):
    seen, found = {}, set()
    for line in prose(path):
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))
        slug = "".join(c for c in text.lower() if c.isalnum() or c in " -_").replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else "%s-%d" % (slug, n))
    return found

cache = {}
for page in pages:
    for line in prose(page):
        line = re.sub(r"`[^`]*`", "", line)            # code spans are not links
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if re.match(r"[a-z]+:", target):          # http:, https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            where = os.path.relpath(page, root)
            if not os.path.exists(full):
                print("%s: %s: no such file" % (where, target))
                continue
            if anchor and full.endswith(".md"):
                if full not in cache:
                    cache[full] = slugs(full)
                if anchor not in cache[full]:
                    print("%s: %s: no such section" % (where, target))
PY
)
check "every link of docs/*.md and README.md leads to a file and section that exist" "" "$broken"

# 3. Every command of the command table (src/cli.c) has a section in docs/cli.md.
commands=$(grep -oE '^\s*\{"[a-z-]+", *cmd_' "$ROOT/src/cli.c" | grep -oE '"[a-z-]+"' | tr -d '"')
if [ -z "$commands" ]; then
    not_ok "the command table of src/cli.c can be read"
else
    ok "the command table of src/cli.c can be read ($(echo "$commands" | wc -w) commands)"
fi
missing=""
for c in $commands; do
    grep -qE "^#{2,4} .*\`kpi $c( |\`)" "$docs/cli.md" || missing="$missing $c"
done
check "every command has a section in docs/cli.md" "" "$missing"

# 4. Every import kind has a section in docs/files.md. The kinds are the ones
#    `kpi import` itself lists when given one it does not know.
kinds=$("$KPI" import no-such-kind x.csv 2>&1 | sed -n "s/.*unknown kind 'no-such-kind' (expected \(.*\)).*/\1/p" |
    sed 's/,/ /g; s/ or / /')
if [ -z "$kinds" ]; then
    not_ok "kpi import lists its kinds"
else
    ok "kpi import lists its kinds ($(echo "$kinds" | wc -w) kinds)"
fi
missing=""
for k in $kinds; do
    grep -qE "^#{2,4} \`$k\`" "$docs/files.md" || missing="$missing $k"
done
check "every import kind has a section in docs/files.md" "" "$missing"

# 5. Every column of compare, delivery and benchmark is named in docs/cli.md,
#    taken from the header rows the binary prints.
"$KPI" init --area Town >/dev/null
printf 'area,code\nVillage,E07000118\n' >areas.csv
printf 'code,title,unit,polarity\nc.all,All,count,lower\n' >indicators.csv
printf 'indicator,area,period,value\nc.all,Town,2011-04,10\nc.all,Village,2011-04,20\n' >values.csv
printf 'area,year,population\nTown,2011,1000\nVillage,2011,2000\n' >population.csv
printf 'group,area\nG,Town\nG,Village\n' >groups.csv
for k in areas indicators values population groups; do
    "$KPI" import "$k" "$k.csv" >/dev/null || not_ok "import $k for the column check"
done
headers="compare:$("$KPI" compare --period 2011-04 | head -1)
delivery:$("$KPI" delivery --period 2011-04 | head -1)
benchmark:$("$KPI" benchmark --indicator c.all --period 2011-04 --group G | head -1)"
missing=""
while IFS=: read -r cmd cols; do
    [ -n "$cols" ] || missing="$missing $cmd:(no header)"
    for col in $(echo "$cols" | tr ',' ' '); do
        grep -qF "\`$col\`" "$docs/cli.md" || missing="$missing $cmd:$col"
    done
done <<EOF
$headers
EOF
check "every column of compare, delivery and benchmark is named in docs/cli.md" "" "$missing"

# 6. The example file of each kind in docs/files.md (the first fenced block of
#    its section) imports, in the page's order, into a new database.
mkdir -p examples && cd examples || exit 1
python3 - "$docs/files.md" <<'PY'
import re, sys
kind, fence, block, done = None, False, [], set()
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"## `([a-z]+)`", line)
    if m:
        kind = m.group(1)
        continue
    if line.startswith("```"):
        if fence and kind and kind not in done:
            open(kind + ".csv", "w", encoding="utf-8").write("".join(block))
            done.add(kind)
        fence, block = not fence, []
        continue
    if fence:
        block.append(line)
open("kinds", "w").write(" ".join(k for k in ["areas", "indicators", "targets", "values", "projects",
                                               "statuses", "rebases", "population", "groups"] if k in done))
PY
"$KPI" init --area Chorley >/dev/null
failed=""
for k in $(cat kinds); do
    out=$("$KPI" import "$k" "$k.csv" 2>&1) || failed="$failed $k: $out"
done
check "docs/files.md has an example of every kind but police" "areas indicators targets values projects statuses rebases population groups" "$(cat kinds)"
check "every example of docs/files.md imports" "" "$failed"
cd ..

# 7. The worked example of docs/figures.md is what kpi computes: its printed
#    figures against `kpi compare` of the Chorley example's files.
mkdir -p chorley && cd chorley || exit 1
"$KPI" init --area Chorley >/dev/null
for k in areas indicators values; do
    "$KPI" import "$k" "$ROOT/examples/chorley-2011-q2/$k.csv" >/dev/null || not_ok "import the example's $k"
done
rows=$("$KPI" compare --period "2011/12 Q2" --area Chorley)
differ=""
for col in value previous change change_pct ytd ytd_previous ytd_change_pct; do
    want=$(sed -n "/^## A worked example/,\$ s/^| \`$col\` |.*| \`\(.*\)\` |\$/\1/p" "$docs/figures.md")
    got=$(csv_get "$rows" crime.all "$col")
    [ -n "$want" ] && [ "$want" = "$got" ] || differ="$differ $col: page '$want', kpi '$got';"
done
check "docs/figures.md's worked example is what kpi compare prints" "" "$differ"
cd ..
finish
