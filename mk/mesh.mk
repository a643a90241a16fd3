# The chiplet mesh top: SEND/WAIT programs on every die of a generated
# tessera_mesh, against the mesh golden model (verif/run_mesh.c, docs/noc.md).
# build/mesh/NAME/tessera-mesh for tests/mesh/NAME.json.

$(BUILD)/rtl/%/files.f: tests/mesh/%.json $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $< -o $(BUILD)/rtl/$*

$(BUILD)/mesh/%/rtl.sum: $(BUILD)/rtl/%/files.f
	@mkdir -p $(dir $@)
	@cd $(BUILD)/rtl/$* && cat mesh.f $$(cat mesh.f) | sha256sum > $(abspath $@).new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

# --trace-fst: a mismatch writes the waveform around it (verif/run_mesh.c).
$(BUILD)/mesh/%/obj/Vtessera_mesh__ALL.a: $(BUILD)/mesh/%/rtl.sum mk/mesh.mk
	rm -rf $(BUILD)/mesh/$*/obj && mkdir -p $(BUILD)/mesh/$*/obj
	cd $(BUILD)/rtl/$* && verilator --cc $(NOC_VL_OPT) --trace-fst --top-module tessera_mesh -f mesh.f \
	  -Mdir $(abspath $(BUILD)/mesh/$*/obj) > $(abspath $(BUILD)/mesh/$*.build.log) 2>&1 \
	  || { cat $(BUILD)/mesh/$*.build.log; exit 1; }
	$(MAKE) -s -C $(BUILD)/mesh/$*/obj -f Vtessera_mesh.mk -j $(JOBS) OPT_FAST=$(NOC_CXX_OPT) \
	  OPT_SLOW=-O0 OPT_GLOBAL=-O2 Vtessera_mesh__ALL.a verilated.o verilated_threads.o verilated_fst_c.o \
	  >> $(BUILD)/mesh/$*.build.log 2>&1 || { cat $(BUILD)/mesh/$*.build.log; exit 1; }

MESH_OBJ := $(BUILD)/obj/verif/harness.o $(BUILD)/obj/verif/run_mesh.o $(BUILD)/obj/verif/ref_layer.o
$(BUILD)/mesh/%/tessera-mesh: $(BUILD)/mesh/%/obj/Vtessera_mesh__ALL.a $(MESH_OBJ) \
                              $(BUILD)/lib/libtessera.a verif/verilator/vl_mesh.cpp \
                              verif/verilator/vl_bits.h verif/mesh_sim.h verif/run_mesh.h
	g++ -std=c++14 -O2 -DVM_TRACE=1 -DVM_TRACE_FST=1 -I$(BUILD)/mesh/$*/obj -I$(BUILD)/rtl/$* $(INCLUDES) -I$(VL_ROOT)/include \
	  -I$(VL_ROOT)/include/vltstd verif/verilator/vl_mesh.cpp $(MESH_OBJ) \
	  $(BUILD)/mesh/$*/obj/Vtessera_mesh__ALL.a $(BUILD)/mesh/$*/obj/verilated.o \
	  $(BUILD)/mesh/$*/obj/verilated_threads.o $(BUILD)/mesh/$*/obj/verilated_fst_c.o \
	  $(BUILD)/lib/libtessera.a -ljansson -lm -lz -pthread -latomic -o $@

MESH_TEST_CONFIGS := default rings-2x3 slow-2x4 het-2x2 lanes-2x2
.PHONY: test-mesh
test-mesh: $(call sim_mesh,$(MESH_TEST_CONFIGS))
	SIM=$(SIM) bash tests/test_mesh.sh $(BUILD)
