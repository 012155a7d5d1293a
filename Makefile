# Convenience front end; the build itself is CMake (out of source, in build/).
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo check clean fuzz fuzz-smoke

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) >/dev/null

# Run trustmap on the bundled example system and print its threat model.
demo: build
	@$(BUILD)/trustmap scan examples/shop --format md

# Build and run every test: a normal -Werror build, then ASan + UBSan.
check: deps
	@scripts/check.sh

# libFuzzer targets (clang), one per input format (fuzz/CMakeLists.txt): make fuzz, then
# build-fuzz/fuzz/fuzz_<target> -max_total_time=600 fuzz/corpus/<target> (docs/testing.md)
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DTM_FUZZ=ON -DTM_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build-fuzz --target fuzz_all -j $(JOBS) >/dev/null
	@echo "run: build-fuzz/fuzz/fuzz_parse -max_total_time=60 fuzz/corpus/parse  (targets: ls build-fuzz/fuzz/fuzz_*)"

# Every fuzz target for FUZZ_SECONDS (default 30) on a scratch copy of its corpus; part of make check.
fuzz-smoke: deps
	@scripts/fuzz-smoke.sh

clean:
	rm -rf build build-asan build-fuzz
