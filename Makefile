# hsrunbook: build, test and demo. `make demo` and `make check` work on a fresh Debian machine:
# the deps step installs whatever pkg-config (or the PATH) cannot find.

CC      ?= cc
PKGS     = ncursesw libcurl jansson libmicrohttpd libcrypto
TESTPKGS = cmocka zlib
APT_PKGS = pkg-config libncurses-dev libcurl4-openssl-dev libjansson-dev libmicrohttpd-dev libssl-dev \
           libcmocka-dev zlib1g-dev tmux clang-format clang libclang-rt-dev openssl ca-certificates \
           valgrind groff-base
# The programs the build and the tests run, each from one of APT_PKGS.
TOOLS    = pkg-config tmux clang-format clang valgrind groff

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror
# Recursive (=) on purpose: pkg-config is asked only after the deps step has run.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(TESTPKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
TEST_LIBS  = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

# Flavours: plain (B=build), address+undefined sanitizers, thread sanitizer.
FLAVOUR ?= plain
ifeq ($(FLAVOUR),asan)
  B = build/asan
  SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(FLAVOUR),tsan)
  B = build/tsan
  SAN = -fsanitize=thread
else
  B = build
  SAN =
endif
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

SRC      = $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard screens/*.c)
OBJ      = $(SRC:%.c=$(B)/%.o)
UNIT     = $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))
INTEG    = $(patsubst tests/integration/%.c,$(B)/tests/integration/%,$(wildcard tests/integration/test_*.c))
MANTEST  = $(B)/tests/man/test_man
BIN      = $(B)/hsrunbook

.PHONY: fuzz all deps demo check check-plain check-asan check-tsan test-unit test-tui test-tui-asan \
        test-install format format-check bench clean install uninstall soak check-soak soak-short

all: $(BIN)
	@ln -sf $(BIN) hsrunbook 2>/dev/null || true

# Install what is missing, from Debian's packages (needs root; `apt-get update` first).
deps:
	@missing=""; \
	for p in $(PKGS) $(TESTPKGS); do pkg-config --exists $$p 2>/dev/null || missing=1; done; \
	for c in $(TOOLS); do command -v $$c >/dev/null 2>&1 || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing $(APT_PKGS)"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PKGS) >/dev/null || \
	  { echo "deps: apt-get failed; install these Debian packages by hand: $(APT_PKGS)"; exit 1; }; \
	fi

$(B)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The default runbook is embedded with .incbin: rebuild when it changes.
$(B)/src/runbook.o: screens/runbook/default.json
# The message templates likewise.
$(B)/src/message.o: $(wildcard screens/runbook/templates/*)

$(B)/libhsr.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(B)/src/main.o $(B)/libhsr.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/%.c $(B)/libhsr.a | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(B)/libhsr.a $(PKG_LIBS) $(TEST_LIBS)

# The dashboard against the embedded simulator.
demo: all
	./$(BIN) --demo

# The hung-resolver shim the integration tests preload (built without sanitizers).
$(B)/tests/slow_dns.so: tests/integration/slow_dns.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -fPIC -shared -o $@ $< -ldl

test-unit: $(UNIT) $(INTEG) $(MANTEST) $(BIN) $(B)/tests/slow_dns.so
	@set -e; for t in $(UNIT) $(INTEG) $(MANTEST); do \
	  echo "== $$t"; HSR_BIN=$(abspath $(BIN)) HSR_SLOW_DNS=$(abspath $(B)/tests/slow_dns.so) \
	  TSAN_OPTIONS="atexit_sleep_ms=0 $$TSAN_OPTIONS" ./$$t; done

check-plain:
	$(MAKE) FLAVOUR=plain test-unit
check-asan:
	$(MAKE) FLAVOUR=asan OPT="-O1 -g" test-unit soak-short
check-tsan:
	$(MAKE) FLAVOUR=tsan OPT="-O1 -g" test-unit soak-short

# The tmux screen tests (tests/tui/test_*.sh) against the plain build.
test-tui: all
	@set -e; for t in tests/tui/test_*.sh; do echo "== $$t"; HSR_BIN=$(abspath build/hsrunbook) sh $$t; done

# Long runs: the runner and board against the cycling simulator for SOAK_ROUNDS probe rounds
# (memory and descriptors must not grow after the first 1,000), then valgrind memcheck over a
# soak and over triage in several scenarios. Minutes.
SOAK_ROUNDS ?= 20000
SOAK_VALGRIND_ROUNDS ?= 1200
SOAK_BIN = $(B)/tests/soak/soak
soak: $(SOAK_BIN) $(BIN)
	./$(SOAK_BIN) $(SOAK_ROUNDS) 1000
	HSR_BIN=$(BIN) SOAK_BIN=$(SOAK_BIN) sh tests/soak/valgrind.sh $(SOAK_VALGRIND_ROUNDS)
# The short version make check runs (under a minute): 2,000 rounds, valgrind over 360.
check-soak:
	$(MAKE) soak SOAK_ROUNDS=2000 SOAK_VALGRIND_ROUNDS=360
# 400 rounds through every scenario, for the sanitizer builds (races, leaks at exit).
soak-short: $(SOAK_BIN)
	TSAN_OPTIONS="atexit_sleep_ms=0 $$TSAN_OPTIONS" ./$(SOAK_BIN) 400 200 --per-scenario=10 \
	  --no-growth-check

# The same screen tests against the ASan+UBSan build. A sanitizer's report goes to a file (the
# terminal belongs to the dashboard), and any report fails the run, printed, even when the
# screens looked right.
# test_words.sh reads every word of every scenario's screen: it checks text, not memory, and the
# dashboard and walker scripts already draw every scenario under the sanitizers; left out to keep
# make check short.
TUI_ASAN ?= $(filter-out tests/tui/test_words.sh,$(wildcard tests/tui/test_*.sh))
TUI_REPORTS = build/asan/tui-reports
test-tui-asan:
	$(MAKE) FLAVOUR=asan OPT="-O1 -g" build/asan/hsrunbook
	@rm -rf $(TUI_REPORTS); mkdir -p $(TUI_REPORTS); rc=0; \
	for t in $(TUI_ASAN); do echo "== $$t (ASan+UBSan)"; \
	  ASAN_OPTIONS="log_path=$(abspath $(TUI_REPORTS))/asan:$$ASAN_OPTIONS" \
	  UBSAN_OPTIONS="log_path=$(abspath $(TUI_REPORTS))/ubsan:print_stacktrace=1:$$UBSAN_OPTIONS" \
	  HSR_BIN=$(abspath build/asan/hsrunbook) sh $$t || rc=1; done; \
	if [ -n "$$(ls -A $(TUI_REPORTS))" ]; then \
	  echo "test-tui-asan: sanitizer reports:"; cat $(TUI_REPORTS)/*; rc=1; fi; \
	exit $$rc

check: deps
	$(MAKE) format-check
	$(MAKE) check-plain
	$(MAKE) test-install
	$(MAKE) check-soak
	$(MAKE) check-asan
	$(MAKE) check-tsan
	$(MAKE) test-tui
	$(MAKE) test-tui-asan
	$(MAKE) fuzz FUZZ_SECONDS=10
	@echo "check: all suites passed"

FMT_FILES = $(wildcard src/*.c screens/*.c screens/*.h include/hsr/*.h tests/unit/*.c tests/integration/*.c tests/fuzz/*.c \
            tests/man/*.c tests/soak/*.c tests/*.h)
format:
	clang-format -i $(FMT_FILES)
format-check: | deps
	@clang-format --dry-run -Werror $(FMT_FILES) && echo "format-check: ok"

# Fuzz with libFuzzer (clang): every tests/fuzz/fuzz_NAME.c runs for FUZZ_SECONDS, starting from
# its committed seed corpus tests/fuzz/corpus/NAME when there is one (new finds go to
# build/fuzz/corpus/); skipped without clang. `make check` runs each for a short while.
FUZZ_SECONDS ?= 60
FUZZ_SRC = src/sanitize.c src/probe_status.c src/probe_api.c src/probe_usage.c src/probe_health.c \
           src/probe_fetch.c src/common.c src/evidence.c src/http.c src/runbook.c src/predicate.c \
           src/format.c src/ratelimit.c src/webhook.c src/webhook_request.c src/journal.c src/log.c \
           src/template.c src/message.c
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude
fuzz: | deps
	@if command -v clang >/dev/null 2>&1; then \
	  set -e; mkdir -p build/fuzz/obj; objs=; \
	  for s in $(FUZZ_SRC); do o=build/fuzz/obj/$$(basename $$s .c).o; objs="$$objs $$o"; \
	    clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
	      $$(pkg-config --cflags jansson libcurl) -c $$s -o $$o; done; \
	  for t in tests/fuzz/fuzz_*.c; do n=$$(basename $$t .c); seeds=tests/fuzz/corpus/$${n#fuzz_}; \
	    [ -d $$seeds ] || seeds=; mkdir -p build/fuzz/corpus/$$n; \
	    clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $$(pkg-config --cflags jansson) \
	      $$t $$objs -o build/fuzz/$$n $$(pkg-config --libs jansson libcurl libcrypto); \
	    if build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 build/fuzz/corpus/$$n $$seeds \
	        >build/fuzz/$$n.log 2>&1; then \
	      echo "fuzz: $$n: $$(grep -E '^Done [0-9]+ runs' build/fuzz/$$n.log)"; \
	    else tail -n 40 build/fuzz/$$n.log; echo "fuzz: $$n FAILED (log: build/fuzz/$$n.log)"; exit 1; fi; \
	  done; \
	else echo "fuzz: clang not found, skipped"; fi

# The binary and the man page under $(DESTDIR)$(PREFIX); uninstall removes both.
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/hsrunbook
	install -m 0644 hsrunbook.1 $(DESTDIR)$(MANDIR)/hsrunbook.1
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hsrunbook $(DESTDIR)$(MANDIR)/hsrunbook.1

# install and uninstall into a temporary DESTDIR, with a PREFIX of its own.
test-install: all
	@MAKE="$(MAKE)" sh tests/man/test_install.sh

bench: all
	@for b in tests/bench/bench_*.sh; do sh $$b; done

clean:
	rm -rf build hsrunbook

-include $(OBJ:.o=.d) $(B)/src/main.d
