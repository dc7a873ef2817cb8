# memspice — build, test, demo, bench, install. GNU make, gcc, flex, bison.
#   make            build build/memspice (and build/libmemspice.a)
#   make test       build and run every test; last line is the summary
#   make test-asan  the same under AddressSanitizer + UBSan with float-cast-overflow (build-asan/)
#   make test-tsan  the thread tests under ThreadSanitizer (build-tsan/)
#   make mpi        build/memspice-mpi: .step points over MPI ranks
#   make demo       run the bundled netlists in netlists/ -> out/*.raw
#   make bench      benchmarks, side by side with ngspice when installed
#   make install PREFIX=/usr/local

CC      ?= gcc
BUILD   ?= build
PREFIX  ?= /usr/local
OPT     ?= -O2 -g
SANITIZE ?=
CFLAGS_BASE = -std=c11 $(OPT) $(SANITIZE) -pthread -D_POSIX_C_SOURCE=200809L \
              -Isrc -I$(BUILD)/gen -I/usr/include/suitesparse
CFLAGS_W = -Wall -Wextra -Werror
CFLAGS_ALL = $(CFLAGS_BASE) $(CFLAGS_W) $(CFLAGS)
# flex/bison output is not ours to keep warning-free
CFLAGS_GEN = $(CFLAGS_BASE) -Wno-unused-function -Wno-sign-compare $(CFLAGS)
LDLIBS  = -pthread -lklu -lcholmod -lamd -lcolamd -lbtf -lsuitesparseconfig -lm
VERSION = $(shell cat VERSION 2>/dev/null || echo 0.0.0)

LIB_SRC  := $(shell find src -name '*.c' ! -path src/main.c ! -path src/mpi_driver.c | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
GEN_OBJ  := $(BUILD)/obj/gen/lexer.o $(BUILD)/obj/gen/parser.o
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(BUILD)/obj/%.o)
TOOL_SRC := $(wildcard bench/*.c)
TOOL_BIN := $(TOOL_SRC:bench/%.c=$(BUILD)/%)

.PHONY: all deps test test-asan test-tsan demo bench install clean tools mpi
.SECONDARY:
all: $(BUILD)/memspice

deps:
	@tools/deps.sh build

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(BUILD)/gen
	bison -Wall --defines=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l $(BUILD)/gen/parser.h
	@mkdir -p $(BUILD)/gen
	flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_GEN) -Isrc/netlist -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DMS_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(BUILD)/libmemspice.a: $(LIB_OBJ) $(GEN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/memspice: $(BUILD)/obj/src/main.o $(BUILD)/libmemspice.a
	$(CC) $(OPT) $(SANITIZE) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_SUPPORT_OBJ) $(BUILD)/libmemspice.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -MF $@.d -Itests/support -DMS_SRCDIR='"$(CURDIR)"' \
	    -DMS_BUILDDIR='"$(CURDIR)/$(BUILD)"' -o $@ $< $(TEST_SUPPORT_OBJ) \
	    $(BUILD)/libmemspice.a -lcmocka $(LDLIBS)

$(BUILD)/%: bench/%.c $(BUILD)/libmemspice.a
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libmemspice.a $(LDLIBS)

tools: $(TOOL_BIN)

# memspice-mpi: .step points over MPI ranks (needs libopenmpi-dev; the
# default build has no MPI dependency). mpirun -n K build/memspice-mpi x.cir
mpi: $(BUILD)/memspice-mpi
$(BUILD)/memspice-mpi: src/main.c src/mpi_driver.c $(BUILD)/libmemspice.a
	@tools/deps.sh mpi
	mpicc $(CFLAGS_ALL) -DMS_MPI -DMS_VERSION='"$(VERSION)"' -o $@ src/main.c src/mpi_driver.c \
	    $(BUILD)/libmemspice.a $(LDLIBS)

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/memspice $(BUILD)/memspice-mpi $(TEST_BIN) tools
	@MS_BUILD=$(BUILD) tests/run.sh $(TEST_BIN)

test-asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan OPT='-O1 -g' \
	    SANITIZE='-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all'

# the thread-safety tests under ThreadSanitizer: several circuits on
# threads (test_threads) and stepped runs with -j (test_step)
TSAN_TESTS := test_threads test_step
test-tsan:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT='-O1 -g' SANITIZE='-fsanitize=thread' \
	    build-tsan/memspice build-tsan/memspice-mpi $(TSAN_TESTS:%=build-tsan/tests/%)
	@MS_BUILD=build-tsan TSAN_OPTIONS='halt_on_error=1' tests/run.sh $(TSAN_TESTS:%=build-tsan/tests/%)

demo:
	@tools/deps.sh demo
	@$(MAKE) --no-print-directory $(BUILD)/memspice
	@tools/demo.sh $(BUILD)/memspice

bench:
	@tools/deps.sh bench || echo "bench: continuing without ngspice comparison" >&2
	@$(MAKE) --no-print-directory $(BUILD)/memspice tools
	@bench/run.sh $(BUILD)

install: $(BUILD)/memspice
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/memspice/models
	install -m 755 $(BUILD)/memspice $(DESTDIR)$(PREFIX)/bin/memspice
	cp -r models/. $(DESTDIR)$(PREFIX)/share/memspice/models/

clean:
	rm -rf build build-asan build-tsan out

-include $(LIB_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(BUILD)/obj/src/main.d $(TEST_SUPPORT_OBJ:.o=.d) $(TEST_BIN:=.d)
