# kpi — plain Makefile with pkg-config.
#   make         build ./kpi
#   make demo    install what is missing, build, and build the worked example into ./demo
#   make check   install what is missing, then run every test under ASan and UBSan: the unit
#                tests, then the end-to-end suite on SQLite and again on PostgreSQL (a throw-away
#                server, started and stopped by tests/e2e/run; KPI_SKIP_PG=1 skips that run)
#   make bench   the benchmarks (see bench/)
#   make fuzz    build the libFuzzer harnesses of tests/fuzz with clang and run each for
#                FUZZ_SECONDS (default 60) on a copy of its seed corpus (tests/fuzz/run)

CC      ?= cc
PKGS    := sqlite3 zlib libzip libsodium libmicrohttpd pangocairo cairo-pdf xlsxwriter libpq libcurl
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# Linked: what every command needs. libpq, cairo/pango, libzip, libxlsxwriter and
# libmicrohttpd are opened on first use instead (src/lazy.h): `kpi help` loads 9
# shared libraries, not 68.
LINK_PKGS := sqlite3 zlib libsodium
PKG_LIBS   = $(shell pkg-config --libs $(LINK_PKGS)) -ldl -lpthread -lm -Wl,-O1 -Wl,--as-needed -Wl,--hash-style=gnu
# Tests that call a library themselves (making a zip, say) link it too.
ALL_PKG_LIBS = $(shell pkg-config --libs $(PKGS))

# `kpi --version`: the commit this is built from (cli.c falls back to its own
# release number outside a git checkout).
KPI_VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

SRCS    := $(wildcard src/*.c)
LIBSRCS := $(filter-out src/main.c,$(SRCS))
HDRS    := $(wildcard src/*.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)

# The worked example travels inside the binary (see tools/embed.c).
EXAMPLE   := examples/chorley-2011-q2
EMBEDDED  := areas.csv indicators.csv targets.csv values.csv projects.csv statuses.csv report.md
EMBED_SRC := $(addprefix $(EXAMPLE)/,$(EMBEDDED))

OBJS      := $(SRCS:src/%.c=build/rel/%.o) build/rel/embed_files.o
ASAN_OBJS := $(SRCS:src/%.c=build/asan/%.o) build/asan/embed_files.o
ASAN_LIB  := $(LIBSRCS:src/%.c=build/asan/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/unit/%)

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# fontconfig keeps its font cache until exit; LeakSanitizer is told about that
# library only (tests/lsan.supp), never about ours.
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all demo check unit e2e e2e-pg browser bench clean deps fuzz

all: kpi

deps:
	@scripts/install-deps

# Objects go into an archive so that a unit test pulls in only what it uses.
build/rel/libkpi.a: $(OBJS:build/rel/main.o=)
	rm -f $@ && ar rcs $@ $^

build/asan/libkpi.a: $(ASAN_LIB) build/asan/embed_files.o
	rm -f $@ && ar rcs $@ $^

kpi: build/rel/main.o build/rel/libkpi.a
	$(CC) $(CFLAGS) -o $@ build/rel/main.o build/rel/libkpi.a $(PKG_LIBS)

build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -c -o $@ $<

build/rel/cli.o build/asan/cli.o: CSTD += $(if $(KPI_VERSION),-DKPI_VERSION='"$(KPI_VERSION)"')

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $<

build/gen/embed_files.c: build/tools/embed $(EMBED_SRC)
	@mkdir -p $(dir $@)
	build/tools/embed $@ $(foreach f,$(EMBEDDED),chorley-2011-q2/$(f)=$(EXAMPLE)/$(f))

build/rel/embed_files.o: build/gen/embed_files.c src/embed.h
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Isrc -c -o $@ $<

build/asan/embed_files.o: build/gen/embed_files.c src/embed.h
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) -Isrc -c -o $@ $<

build/asan/kpi: build/asan/main.o build/asan/libkpi.a
	$(CC) $(SAN) -o $@ build/asan/main.o build/asan/libkpi.a $(PKG_LIBS)

build/asan/unit/%: tests/unit/%.c build/asan/libkpi.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) -Wall -Wextra -Werror -O1 -g $(SAN) -Isrc $(PKG_CFLAGS) -o $@ $< build/asan/libkpi.a $(PKG_LIBS) $(ALL_PKG_LIBS) $(shell pkg-config --libs cmocka)

demo: deps
	@$(MAKE) --no-print-directory kpi
	./kpi demo demo

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

e2e: build/asan/kpi build/asan/unit/test_db kpi
	@KPI_BIN=$(CURDIR)/build/asan/kpi KPI_RELEASE_BIN=$(CURDIR)/kpi tests/e2e/run

# The same suite on PostgreSQL; fails with a clear message when its programs are missing.
e2e-pg: build/asan/kpi build/asan/unit/test_db kpi
	@KPI_TEST_DB=postgresql KPI_BIN=$(CURDIR)/build/asan/kpi KPI_RELEASE_BIN=$(CURDIR)/kpi tests/e2e/run

# The web application in headless Chromium: journeys and accessibility (tests/browser).
browser: build/asan/kpi
	@KPI_BIN=$(CURDIR)/build/asan/kpi tests/browser/run

# Every stage runs even when one fails; tests/check closes with the total.
check: deps
	@tests/check

bench: kpi
	bench/run

# ---- fuzzing: one libFuzzer harness per tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME.
# The library is built again with clang, instrumented for coverage (fuzzer-no-link) and sanitized.
# Warnings are enforced by the cc builds above; here clang's own extra ones do not stop the build.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := $(CSTD) $(filter-out -Werror,$(WARN)) -Wno-format-nonliteral -O1 -g $(SAN)
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB     := $(LIBSRCS:src/%.c=build/fuzz/%.o)
# FUZZ_ONLY="csv period" builds and runs only those harnesses.
FUZZ_RUN     := $(if $(FUZZ_ONLY),$(addprefix build/fuzz/fuzz_,$(FUZZ_ONLY)),$(FUZZ_BINS))

build/fuzz/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/libkpi.a: $(FUZZ_LIB)
	rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libkpi.a $(HDRS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc $(PKG_CFLAGS) -o $@ $< build/fuzz/libkpi.a $(PKG_LIBS) $(ALL_PKG_LIBS)

fuzz: $(FUZZ_RUN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run $(FUZZ_RUN)

clean:
	rm -rf build kpi

# make install: the binary, its manual page and the systemd unit, so that a bare
# `kpi` works. PREFIX (default /usr/local) and DESTDIR as usual; INSTALL_BIN
# installs another build of kpi (tests/e2e/install.sh passes the one it tests).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
INSTALL_BIN ?= kpi
.PHONY: install uninstall
install: $(INSTALL_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/kpi
	install -m 644 docs/kpi.1 $(DESTDIR)$(MANDIR)/man1/kpi.1
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/kpi.service > $(DESTDIR)$(UNITDIR)/kpi.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kpi.service
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/kpi-remind.service > $(DESTDIR)$(UNITDIR)/kpi-remind.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kpi-remind.service
	install -m 644 contrib/kpi-remind.timer $(DESTDIR)$(UNITDIR)/kpi-remind.timer
	install -m 644 contrib/kpi.sysusers $(DESTDIR)$(SYSUSERSDIR)/kpi.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kpi $(DESTDIR)$(MANDIR)/man1/kpi.1 $(DESTDIR)$(UNITDIR)/kpi.service \
	    $(DESTDIR)$(UNITDIR)/kpi-remind.service $(DESTDIR)$(UNITDIR)/kpi-remind.timer $(DESTDIR)$(SYSUSERSDIR)/kpi.conf
