# install.sh — `make install` into a DESTDIR: the binary (which then runs as a
# bare `kpi`), its manual page naming every command `kpi help` lists, the
# systemd unit with the installed binary's path (checked by systemd-analyze),
# the sysusers file; `make uninstall` takes them away again.
. "$E2E_LIB"
BIN=${KPI_REAL_BIN:-$KPI_BIN} # the real binary, also on the PostgreSQL run
D=$PWD/dest
run_ok "make install into a DESTDIR" make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr INSTALL_BIN="$BIN"
for f in usr/bin/kpi usr/share/man/man1/kpi.1 usr/lib/systemd/system/kpi.service usr/lib/sysusers.d/kpi.conf \
    usr/lib/systemd/system/kpi-remind.service usr/lib/systemd/system/kpi-remind.timer; do
    [ -f "$D/$f" ] && ok "installed $f" || not_ok "installed $f"
done
check "the binary is executable by all" "755" "$(stat -c %a "$D/usr/bin/kpi")"
check "the unit file is not executable" "644" "$(stat -c %a "$D/usr/lib/systemd/system/kpi.service")"
help=$(PATH="$D/usr/bin:$PATH" kpi help 2>&1)
check_contains "the installed kpi runs as a bare kpi" "usage: kpi [--db URL] COMMAND [ARGS]" "$help"
check "kpi --help prints the same list" "$help" "$(PATH="$D/usr/bin:$PATH" kpi --help 2>&1)"
# every command of `kpi help` has its entry in the manual page
missing=""
for c in $(printf '%s\n' "$help" | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}'); do
    grep -q "^\.B $c\b" "$D/usr/share/man/man1/kpi.1" || missing="$missing $c"
done
check "the manual page names every command of kpi help" "" "$missing"
check "the manual page renders without warnings" "" "$(groff -man -ww -z "$D/usr/share/man/man1/kpi.1" 2>&1)"
check_contains "the manual page reads as one" "kpi - performance figures" "$(MANWIDTH=80 man -l "$D/usr/share/man/man1/kpi.1" 2>/dev/null)"
unit="$D/usr/lib/systemd/system/kpi.service"
check_contains "the reminder unit runs the installed binary daily" "ExecStart=/usr/bin/kpi remind" \
    "$(cat "$D/usr/lib/systemd/system/kpi-remind.service")"
check_contains "its timer" "OnCalendar=" "$(cat "$D/usr/lib/systemd/system/kpi-remind.timer")"
check_contains "the unit runs the installed binary" "ExecStart=/usr/bin/kpi serve" "$(cat "$unit")"
for k in "User=kpi" "ProtectSystem=strict" "ReadWritePaths=/var/lib/kpi" "PrivateTmp=yes" "NoNewPrivileges=yes" \
    "Restart=on-failure" "KillMode=mixed"; do
    check_contains "the unit has $k" "$k" "$(cat "$unit")"
done
if command -v systemd-analyze >/dev/null; then
    # verified as if installed here: the binary's path is the DESTDIR's
    mkdir -p verify && sed "s|/usr/bin/kpi|$D/usr/bin/kpi|" "$unit" >verify/kpi.service
    check "systemd-analyze verify finds nothing wrong in the unit" "" "$(systemd-analyze verify --man=no verify/kpi.service 2>&1)"
else
    echo "# systemd-analyze is not installed: the unit file is not verified"
fi
run_ok "make uninstall" make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/usr
check "uninstall leaves no file" "" "$(find "$D" -type f)"
finish
