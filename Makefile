# Convenience front end; the build itself is CMake (out of source, in build/).
BUILD ?= build
JOBS ?= 2
PREFIX ?= /usr/local

.PHONY: all deps deps-build build bin demo check clean fuzz fuzz-smoke install package

all: build

# Everything: the build set and the test toolchain (clang, chromium, postgresql, node, npm ci).
# `make demo` on a machine without the test toolchain configures $(BUILD) without tests; once the
# toolchain is here, switch them back on, so that `make check` after `make demo` runs them all.
deps:
	@scripts/install-deps.sh
	@if grep -qs '^BUILD_TESTING:BOOL=OFF' $(BUILD)/CMakeCache.txt; then \
	  cmake -S . -B $(BUILD) -DBUILD_TESTING=ON >/dev/null; fi

# Only what CMake needs to build the binary (the set action.yml installs).
deps-build:
	@scripts/install-deps.sh --build

# The binary alone, with the build set alone: the tests are configured only when cmocka is present.
bin: deps-build
	@testing=$$(pkg-config --exists cmocka && echo ON || echo OFF); \
	  cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=$$testing >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target trustmap >/dev/null

# The binary and, when the test toolchain is installed, the tests.
build: bin
	@cmake --build $(BUILD) -j $(JOBS) >/dev/null

# Run trustmap on the bundled example system: the terminal summary, and the full threat-model
# artifact (Markdown) written beside the build.
demo: bin
	@$(BUILD)/trustmap scan examples/shop --format md --no-store -o $(BUILD)/shop-threat-model.md
	@$(BUILD)/trustmap scan examples/shop --format summary
	@echo
	@echo "the full threat model (Markdown): $(BUILD)/shop-threat-model.md"
	@echo "more: $(BUILD)/trustmap scan examples/shop --format html -o /tmp/shop.html  (README.md: a short tour)"

# cmake --install: the binary, the man page and the shell completions under $(PREFIX)
# (DESTDIR=/some/root make install stages them).
install: bin
	@cmake --build $(BUILD) -j $(JOBS) --target trustmap_docs >/dev/null
	@cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package (.deb) of the same files, in $(BUILD)/ (CPack, CMakeLists.txt).
package: bin
	@cmake --build $(BUILD) -j $(JOBS) --target trustmap_docs >/dev/null
	@cd $(BUILD) && cpack -G DEB

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

