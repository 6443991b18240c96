# ProtoCrawler: the two commands a new user needs.
#   make demo   installs what is missing, builds (optimised), runs the main job
#               against the built-in reference device
#   make test   installs what is missing, builds with AddressSanitizer and UBSan,
#               runs every test through ctest
# Other targets: deps, build, build-asan, bench, fuzz, format, clean.

JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
BUILD       ?= build/release
BUILD_ASAN  ?= build/asan
CMAKE_GEN   := -G Ninja
CLANG       := -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++

.PHONY: all deps build build-asan test demo bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) $(CLANG) -DCMAKE_BUILD_TYPE=Release

$(BUILD_ASAN)/build.ninja:
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_GEN) $(CLANG) -DCMAKE_BUILD_TYPE=Debug -DPC_SANITIZE=ON -DPC_FUZZ=ON

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(BUILD_ASAN)/build.ninja
	cmake --build $(BUILD_ASAN) -j $(JOBS)

test: build-asan
	cd $(BUILD_ASAN) && ctest --output-on-failure -j $(JOBS) --timeout 900

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@scripts/bench.sh $(BUILD)

fuzz: build-asan
	@scripts/fuzz.sh $(BUILD_ASAN) $(or $(SECONDS_PER_TARGET),60)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
