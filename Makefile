# Tessera: the entry point. `make` builds build/bin/tessera; `make demo` runs
# the main job on configs/default.json; `make test` is what CI runs.
# Every target that needs outside tools depends on `deps`, which installs the
# Debian packages that are missing (see README.md).

SHELL := /bin/bash
BUILD ?= build
CONFIG ?= configs/default.json
JOBS ?= 2

CC ?= cc
CFLAGS ?= -std=c11 -O2 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
SAN ?= -fsanitize=address,undefined -fno-omit-frame-pointer
# The floors (docs/layers.md): arch/ <- models/, gen/ <- verif/ <- cli/.
INCLUDES := -Iarch -Igen -Imodels -Iverif -Icli
HEADERS = $(wildcard arch/*.h gen/*.h models/*.h verif/*.h cli/*.h)
LDLIBS := -ljansson -lm

# SIM: the simulator under test-cosim, test-mesh, demo and demo-die, verilator
# (the default) or icarus (docs/simulators.md). sim_die and sim_mesh name the
# runners (tessera-sim, tessera-mesh) of configurations $(1) in SIM.
SIM ?= verilator
ifeq ($(filter $(SIM),verilator icarus),)
$(error SIM=$(SIM): expected verilator or icarus)
endif
sim_die = $(foreach c,$(1),$(BUILD)/$(if $(filter icarus,$(SIM)),icarus,sim)/$(c)/tessera-sim)
sim_mesh = $(foreach c,$(1),$(BUILD)/$(if $(filter icarus,$(SIM)),icarus,mesh)/$(c)/tessera-mesh)

TEMPLATES := $(wildcard rtl_templates/*.sv)
LIB_SRC := $(wildcard arch/*.c gen/*.c models/*.c) $(BUILD)/gen/templates.c
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
LIB_OBJ_SAN := $(patsubst %.c,$(BUILD)/obj-san/%.o,$(LIB_SRC))

.PHONY: all deps demo demo-die test unit bench fuzz clean test-gen test-large test-cosim test-cli test-layers
# Generated RTL and objects are inputs of later pattern rules: keep them.
.SECONDARY:
all: $(BUILD)/bin/tessera

# ---- dependencies ---------------------------------------------------------
DEB_PKGS := build-essential verilator yosys iverilog libsystemc-dev libjansson-dev gnuplot-nox \
            check pkg-config time zlib1g-dev munge slurmctld slurmd slurm-client
deps: $(BUILD)/.deps-ok
# Makefile: a package added to DEB_PKGS is installed in a build directory
# whose other packages are (deps.sh checks what is installed in a second).
$(BUILD)/.deps-ok: mk/deps.sh Makefile
	@bash mk/deps.sh $(DEB_PKGS)
	@mkdir -p $(BUILD) && touch $@

# ---- the C library and the CLI --------------------------------------------
# The RTL templates are compiled into the binary (mk/embed.sh).
$(BUILD)/gen/templates.c: $(TEMPLATES) mk/embed.sh | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	bash mk/embed.sh $@ $(TEMPLATES)

$(BUILD)/obj/%.o: %.c $(HEADERS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INCLUDES) -c $< -o $@
$(BUILD)/obj-san/%.o: %.c $(HEADERS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(INCLUDES) -c $< -o $@

$(BUILD)/lib/libtessera.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/lib/libtessera-san.a: $(LIB_OBJ_SAN)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/tessera: $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC)) $(BUILD)/lib/libtessera.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)
$(BUILD)/bin/tessera-san: $(patsubst %.c,$(BUILD)/obj-san/%.o,$(CLI_SRC)) $(BUILD)/lib/libtessera-san.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $^ -o $@ $(LDLIBS)

# ---- unit tests (Check) ---------------------------------------------------
# verif/ref_layer.c: the transformer layer in double precision, the reference
# the unit tests and tessera-mesh hold the lowered layer to.
UNIT_SRC := $(wildcard tests/unit/*.c) verif/ref_layer.c
$(BUILD)/bin/unit_tests: $(UNIT_SRC) $(HEADERS) $(BUILD)/lib/libtessera-san.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(INCLUDES) $(UNIT_SRC) $(BUILD)/lib/libtessera-san.a -o $@ \
	  $$(pkg-config --cflags --libs check) $(LDLIBS)
unit: $(BUILD)/bin/unit_tests
	$(BUILD)/bin/unit_tests

# ---- generated RTL and the Verilator co-simulation ---------------------------
# build/rtl/NAME/ is `tessera gen configs/NAME.json`; build/sim/NAME/tessera-sim
# is the lockstep harness (verif/) around that RTL, compiled by Verilator.
$(BUILD)/rtl/%/files.f: configs/%.json $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $< -o $(BUILD)/rtl/$*
# The dies only test-cosim runs (tests/cosim/NAME.json).
$(BUILD)/rtl/%/files.f: tests/cosim/%.json $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $< -o $(BUILD)/rtl/$*

HARNESS_OBJ := $(BUILD)/obj/verif/harness.o $(BUILD)/obj/verif/run_die.o
# --x-initial unique: flops without a reset start random (the front ends seed them).
VL_OPT := -O2 --x-assign fast --x-initial unique -CFLAGS -O2
$(BUILD)/sim/%/tessera-sim: $(BUILD)/rtl/%/files.f $(HARNESS_OBJ) $(BUILD)/lib/libtessera.a \
                            verif/verilator/vl_die.cpp verif/sim.h
	@rm -rf $(BUILD)/sim/$* && mkdir -p $(BUILD)/sim/$*
	cd $(BUILD)/rtl/$* && verilator --cc --exe --build -j $(JOBS) $(VL_OPT) \
	  --top-module tessera_die -f files.f -Mdir $(abspath $(BUILD)/sim/$*/obj) \
	  -o $(abspath $@) -CFLAGS "-I$(abspath verif)" \
	  $(abspath verif/verilator/vl_die.cpp) $(abspath $(HARNESS_OBJ)) \
	  $(abspath $(BUILD)/lib/libtessera.a) -LDFLAGS "-ljansson -lm" > $(abspath $(BUILD)/sim/$*.build.log) 2>&1 \
	  || { cat $(abspath $(BUILD)/sim/$*.build.log); exit 1; }

# ---- the main job ---------------------------------------------------------------
# WORKLOAD=linear (the default): configs/default.json is a 2x2 mesh, Hecaton's
# Algorithm 1 (forward and backward pass of a linear layer, docs/lowering.md)
# on every die of its RTL in lockstep with the mesh cost model and the golden
# model. WORKLOAD=transformer: one transformer layer (LayerNorms, attention,
# the FFN) trained one step on configs/transformer-2x2.json (the default die
# with larger buffers), the results held to a float64 reference as well.
WORKLOAD ?= linear
DEMO_LAYER ?= 8,16,16,2
DEMO_TRANSFORMER ?= 64,32,4,16,128
ifeq ($(WORKLOAD),linear)
demo: $(call sim_mesh,default)
	@echo "== tessera gen configs/default.json -> $(BUILD)/rtl/default (a 2x2 mesh)"
	@echo "== lockstep: Algorithm 1, B,Din,Dout,N = $(DEMO_LAYER): RTL ($(SIM)) vs mesh cost model vs golden model"
	$(call sim_mesh,default) --config $(BUILD)/rtl/default/config.resolved.json \
	  --uncontended --table --linear $(DEMO_LAYER)
else ifeq ($(WORKLOAD),transformer)
demo: $(call sim_mesh,transformer-2x2)
	@echo "== tessera gen configs/transformer-2x2.json -> $(BUILD)/rtl/transformer-2x2 (a 2x2 mesh)"
	@echo "== lockstep: a transformer layer, forward, backward and update, B,D,H,S,F =" \
	  "$(DEMO_TRANSFORMER): RTL ($(SIM)) vs mesh cost model vs golden model, and a float64 reference"
	$(call sim_mesh,transformer-2x2) --config $(BUILD)/rtl/transformer-2x2/config.resolved.json \
	  --uncontended --transformer $(DEMO_TRANSFORMER)
else
demo:
	@echo "make demo: WORKLOAD=$(WORKLOAD): expected linear (the default) or transformer" >&2; exit 2
endif

# One die alone: a GEMM program in lockstep with the die's cost and golden models.
demo-die: $(call sim_die,default)
	$(call sim_die,default) --config $(BUILD)/rtl/default/config.resolved.json \
	  tests/cosim/demo.s

# ---- tests ---------------------------------------------------------------------------
# tests/run.sh runs every suite and closes with "N passed, M failed".
test: deps all
	bash tests/run.sh

test-gen: $(BUILD)/bin/tessera
	bash tests/test_gen.sh $(BUILD)

# Not part of make test (long, about 10 GB of memory): first the 256-unit os
# and ws dies of configs/large-os.json and large-ws.json in lockstep on a large GEMM, with the array's
# utilization from the RTL's counters, the Verilator build's time and memory
# and the simulation speed (tests/test_large_die.sh); then the designs too
# large for test-gen, which prints SKIP for them: the 4,096-unit die, the 32x32
# network, the mesh tops of the Hecaton meshes and the SCAR mesh
# (tests/test_large.sh).
test-large: $(BUILD)/bin/tessera $(BUILD)/rtl/large-os/files.f $(BUILD)/rtl/large-ws/files.f \
            $(HARNESS_OBJ) $(BUILD)/lib/libtessera.a
	bash tests/test_large_die.sh $(BUILD) && bash tests/test_large.sh $(BUILD)

test-cosim: $(call sim_die,default default-os ws-narrow os-wide lanes-ws lanes-os)
	SIM=$(SIM) bash tests/test_cosim.sh $(BUILD)

test-cli: $(BUILD)/bin/tessera
	bash tests/test_cli.sh $(BUILD)

# The floors of the sources run one way (docs/layers.md).
test-layers:
	bash tests/test_layers.sh

bench: deps all
	bash flows/bench.sh $(BUILD)

include $(wildcard mk/*.mk)

clean:
	rm -rf $(BUILD)
