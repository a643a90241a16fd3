# The network-on-package: traffic harness (tessera-noc) around a generated
# tessera_noc, its tests and measurements (docs/noc.md).
# build/noc/NAME/tessera-noc for configs/NAME.json or tests/noc/NAME.json.

$(BUILD)/rtl/%/files.f: tests/noc/%.json $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $< -o $(BUILD)/rtl/$*

# The Verilated network is compiled once per RTL; the harness links against it,
# so a change in verif/ relinks in seconds. Large meshes compile at -O1: gcc's
# -O2 on the flattened 8x8 network costs minutes for a few per cent of speed.
# VL_ROOT is worked out by the recipe's shell when it runs, after `make deps`
# has installed Verilator: a value taken when make reads this file would be
# empty on a fresh machine (-I/include, issue 19). Only recipes of targets
# that depend on the deps (through the tessera binary) use it.
VL_ROOT = $$(verilator --getenv VERILATOR_ROOT)
# --x-initial unique: flops without a reset start random (vl_noc.cpp seeds them).
NOC_VL_OPT := -O2 --x-assign fast --x-initial unique
NOC_CXX_OPT := -O1
# A checksum of the network's RTL that changes only when the RTL does, so that
# regenerating identical RTL does not recompile the model.
$(BUILD)/noc/%/rtl.sum: $(BUILD)/rtl/%/files.f
	@mkdir -p $(dir $@)
	@cd $(BUILD)/rtl/$* && cat noc.f $$(cat noc.f) | sha256sum > $(abspath $@).new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(BUILD)/noc/%/obj/Vtessera_noc__ALL.a: $(BUILD)/noc/%/rtl.sum mk/noc.mk
	rm -rf $(BUILD)/noc/$*/obj && mkdir -p $(BUILD)/noc/$*/obj
	cd $(BUILD)/rtl/$* && verilator --cc $(NOC_VL_OPT) --top-module tessera_noc -f noc.f \
	  -Mdir $(abspath $(BUILD)/noc/$*/obj) > $(abspath $(BUILD)/noc/$*.build.log) 2>&1 \
	  || { cat $(BUILD)/noc/$*.build.log; exit 1; }
	$(MAKE) -s -C $(BUILD)/noc/$*/obj -f Vtessera_noc.mk -j $(JOBS) OPT_FAST=$(NOC_CXX_OPT) \
	  OPT_SLOW=-O0 OPT_GLOBAL=-O2 Vtessera_noc__ALL.a verilated.o verilated_threads.o \
	  >> $(BUILD)/noc/$*.build.log 2>&1 || { cat $(BUILD)/noc/$*.build.log; exit 1; }

NOC_OBJ := $(BUILD)/obj/verif/traffic.o $(BUILD)/obj/verif/run_noc.o
$(BUILD)/noc/%/tessera-noc: $(BUILD)/noc/%/obj/Vtessera_noc__ALL.a $(NOC_OBJ) \
                            $(BUILD)/lib/libtessera.a verif/verilator/vl_noc.cpp verif/noc_sim.h
	g++ -std=c++14 -O2 -I$(BUILD)/noc/$*/obj -I$(BUILD)/rtl/$* -Iverif -I$(VL_ROOT)/include \
	  -I$(VL_ROOT)/include/vltstd verif/verilator/vl_noc.cpp $(NOC_OBJ) \
	  $(BUILD)/noc/$*/obj/Vtessera_noc__ALL.a $(BUILD)/noc/$*/obj/verilated.o \
	  $(BUILD)/noc/$*/obj/verilated_threads.o $(BUILD)/lib/libtessera.a \
	  -ljansson -lm -pthread -latomic -o $@

NOC_TEST_CONFIGS := mesh-4x4 mesh-8x8 rings-3x5 photonic-mid-3x3 table-2x4
.PHONY: test-noc bench-noc
test-noc: $(foreach c,$(NOC_TEST_CONFIGS),$(BUILD)/noc/$(c)/tessera-noc)
	bash tests/test_noc.sh $(BUILD)

bench-noc: $(foreach c,mesh-4x4 mesh-4x4-d8 mesh-8x8 mesh-8x8-d8,$(BUILD)/noc/$(c)/tessera-noc)
	bash flows/bench_noc.sh $(BUILD)
