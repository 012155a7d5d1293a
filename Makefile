# Convenience front end; the build itself is CMake (out of source, in build/).
BUILD ?= build
JOBS ?= 2

.PHONY: all deps build demo check clean fuzz

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

# libFuzzer targets (clang): make fuzz, then build-fuzz/fuzz/fuzz_parse fuzz/corpus/parse
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DTM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) >/dev/null
	@echo "run: build-fuzz/fuzz/fuzz_parse -max_total_time=60 fuzz/corpus/parse"

clean:
	rm -rf build build-asan build-fuzz
