# help.sh — help tells the truth: `kpi help COMMAND` lists exactly the
# options the parser accepts (both read the table in cli.c), `kpi help report`
# names every format of the render table, `kpi --version`, and "did you mean"
# for a mistyped command, option or template directive.
. "$E2E_LIB"

commands=$("$KPI" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
check "help lists the commands" "init import compare benchmark delivery report copy backup dump demo serve user token help" \
    "$(echo $commands)"

bogus=--zz-not-an-option
all_opts=""
for c in $commands; do
    h=$("$KPI" help "$c")
    # the options help lists, as written: --name or -o
    opts=$(printf '%s\n' "$h" | sed -n '/^options:/,$p' | awk 'NR > 1 && NF {print $1}')
    all_opts="$all_opts $(echo $opts)"
    pre=""
    case $c in user) pre="add someone" ;; esac
    for op in $opts; do
        # "  --name VALUE   help": a second word before the two spaces is a value
        value=$(printf '%s\n' "$h" | awk -F '  ' -v o="$op" '{split($2, w, " ")} w[1] == o {print w[2] ? "x" : ""}' | head -1)
        # The option is accepted when the parser gets past it to the bogus one.
        # shellcheck disable=SC2086
        err=$("$KPI" "$c" $pre "$op" ${value:+"$value"} $bogus 2>&1 >/dev/null)
        check_contains "$c accepts $op, as its help says" "unknown option '$bogus'" "$err"
    done
    # shellcheck disable=SC2086
    err=$("$KPI" "$c" $pre $bogus 2>&1 >/dev/null); status=$?
    if [ "$c" = help ] || [ "$c" = token ]; then continue; fi
    check "$c refuses an option its help does not list (exit 2)" 2 "$status"
    check_contains "$c names the option it refuses" "unknown option '$bogus'" "$err"
    check "a usage error shows the synopsis help shows ($c)" \
        "$(printf '%s\n' "$h" | head -1 | sed 's/^usage: kpi \[--db URL\] /usage: kpi /')" \
        "$(printf '%s\n' "$err" | grep '^usage:')"
done

# Every option a command reads (cli_opt in src/cmd_*.c) is one help lists.
missing=""
for name in $(grep -ohE 'cli_opt\(&?[a-z]+, "[a-z-]+"\)' "$ROOT"/src/cmd_*.c | sed -E 's/.*"([a-z-]+)".*/\1/' | sort -u); do
    case " $all_opts " in
    *" --$name "* | *" -$name "*) ;;
    *) missing="$missing $name" ;;
    esac
done
check "every option the commands read is in help" "" "$missing"

h=$("$KPI" help report)
for f in md txt html pdf docx xlsx; do
    check_contains "help report lists the format $f" "$f" "$(printf '%s\n' "$h" | grep -- '--format')"
done
check_contains "help report lists --reference-doc" "--reference-doc FILE" "$h"
check_contains "help report gives the synopsis" \
    "usage: kpi [--db URL] report TEMPLATE --period P [--area A] --format FORMAT [-o FILE] [--reference-doc FILE]" "$h"

v=$("$KPI" --version); status=$?
check "--version exits 0" 0 "$status"
case $v in
"kpi "?*) ok "--version prints kpi and a version ($v)" ;;
*) not_ok "--version prints kpi and a version"; echo "  got: $v" ;;
esac

refuse "a mistyped command gets a did you mean" 2 "unknown command 'reprot': did you mean 'report'\?" "$KPI" reprot
refuse "help of a mistyped command gets one too" 2 "no command 'delivry': did you mean 'delivery'\?" "$KPI" help delivry
refuse "a mistyped option gets a did you mean" 2 "unknown option '--perod': did you mean '--period'\?" \
    "$KPI" compare --perod 2011-07
err=$("$KPI" zzzzzzzz 2>&1)
case $err in
*"did you mean"*) not_ok "no did you mean for a name near none"; echo "  got: $err" ;;
*) ok "no did you mean for a name near none" ;;
esac

"$KPI" demo d > /dev/null 2>&1 || not_ok "demo builds the worked example"
printf '# Crime\n\n{{tabel crime.all}}\n' > t.md
refuse "a mistyped directive gets a did you mean" 1 "t.md:3: unknown directive 'tabel': did you mean 'table'\?" \
    "$KPI" --db d/kpi.db report t.md --period "2011/12 Q2" --format md -o out.md
printf 'Crime {{vaule crime.all}} this quarter.\n' > t.md
refuse "a mistyped inline directive gets one too" 1 "unknown directive 'vaule': did you mean 'value'\?" \
    "$KPI" --db d/kpi.db report t.md --period "2011/12 Q2" --format md -o out.md
# --help after the command is that command's help, and nothing else happens
out=$("$KPI" demo --help 2>&1); rc=$?
check "demo --help exits 0" "0" "$rc"
check_contains "demo --help prints demo's usage" "usage: kpi [--db URL] demo [DIR]" "$out"
if [ -e help ]; then not_ok "demo --help builds nothing (no folder 'help')"; else ok "demo --help builds nothing (no folder 'help')"; fi
out=$("$KPI" import values --help 2>&1); rc=$?
check "import values --help exits 0" "0" "$rc"
check_contains "import values --help prints import's options" "--sheet NAME" "$out"
# a usage error after a valid option: exit 2, and under ASan no leak either
refuse "an unknown option after a known one is a usage error" 2 "unknown option '--frob'" \
    "$KPI" compare --period 2011-07 --frob
finish
