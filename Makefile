# The README's commands. `make demo` and `make test` work on a fresh Debian
# machine: they install what is missing, configure, build and run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo bench clean install fuzz fuzz-build

all: build

deps:
	bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps
	$(MAKE) build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

demo: deps
	$(MAKE) build
	bash scripts/demo.sh $(BUILD_DIR)

bench: build
	$(BUILD_DIR)/bin/spl-exec bench

install: build
	cmake --install $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)

# libFuzzer targets (fuzz/README.md): their own clang-19 ASan+UBSan build dir,
# seeds from tests/ and examples/, each target FUZZ_SECONDS in turn
# (FUZZ_PARALLEL=1: all at once), then per target execs/cov/ft/corpus/crashes.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= json text interp jit runtime

$(FUZZ_BUILD_DIR)/build.ninja:
	bash scripts/install-deps.sh --fuzz
	CC=clang-19 CXX=clang++-19 cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPL_FUZZ=ON

fuzz-build: $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzz_seedgen \
	  $(addprefix fuzz_,$(FUZZ_TARGETS))
	bash fuzz/make-seeds.sh $(FUZZ_BUILD_DIR)

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
