# The SystemC top (verif/systemc/, docs/simulators.md "SystemC"): the
# Verilated mesh (verilator --sc) with SystemC DRAM channels and a TLM-2.0
# host socket, running the shared mesh harness (verif/run_mesh.c).
# build/systemc/NAME/tessera-sc-mesh for tests/systemc/NAME.json, whose
# mesh.dram.model is "external".

$(BUILD)/rtl/%/files.f: tests/systemc/%.json $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $< -o $(BUILD)/rtl/$*

# The model compiles with the flags of the Verilator meshes (mk/mesh.mk), so
# that make bench compares the two tops, not two compilations.
# Rebuilt when the mesh RTL changes (its checksum, mk/mesh.mk's rule).
$(BUILD)/systemc/%/obj/Vtessera_mesh__ALL.a: $(BUILD)/mesh/%/rtl.sum mk/systemc.mk
	rm -rf $(BUILD)/systemc/$*/obj && mkdir -p $(BUILD)/systemc/$*/obj
	cd $(BUILD)/rtl/$* && verilator --sc $(NOC_VL_OPT) --top-module tessera_mesh -f mesh.f \
	  -Mdir $(abspath $(BUILD)/systemc/$*/obj) > $(abspath $(BUILD)/systemc/$*.build.log) 2>&1 \
	  || { cat $(BUILD)/systemc/$*.build.log; exit 1; }
	$(MAKE) -s -C $(BUILD)/systemc/$*/obj -f Vtessera_mesh.mk -j $(JOBS) OPT_FAST=$(NOC_CXX_OPT) \
	  OPT_SLOW=-O0 OPT_GLOBAL=-O2 Vtessera_mesh__ALL.a verilated.o verilated_threads.o \
	  >> $(BUILD)/systemc/$*.build.log 2>&1 || { cat $(BUILD)/systemc/$*.build.log; exit 1; }

SC_SRC := verif/systemc/sc_mesh.cpp verif/systemc/sc_mesh_top.cpp verif/systemc/sc_dram.cpp
$(BUILD)/systemc/%/tessera-sc-mesh: $(BUILD)/systemc/%/obj/Vtessera_mesh__ALL.a $(MESH_OBJ) \
                                    $(BUILD)/lib/libtessera.a $(SC_SRC) verif/systemc/sc_dram.h \
                                    verif/systemc/sc_mesh_top.h verif/mesh_sim.h verif/run_mesh.h
	g++ -std=c++17 -O2 -Wall -Wextra -Werror -I$(BUILD)/systemc/$*/obj $(INCLUDES) -Iverif/systemc \
	  -isystem $(VL_ROOT)/include -isystem $(VL_ROOT)/include/vltstd $(SC_SRC) $(MESH_OBJ) \
	  $(BUILD)/systemc/$*/obj/Vtessera_mesh__ALL.a $(BUILD)/systemc/$*/obj/verilated.o \
	  $(BUILD)/systemc/$*/obj/verilated_threads.o $(BUILD)/lib/libtessera.a \
	  -lsystemc -ljansson -lm -pthread -latomic -o $@

# The DRAM channel alone, against cycles worked out by hand.
$(BUILD)/systemc/test_dram: tests/systemc/test_dram.cpp verif/systemc/sc_dram.cpp \
                            verif/systemc/sc_dram.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	g++ -std=c++17 -O1 -Wall -Wextra -Werror -Iverif/systemc tests/systemc/test_dram.cpp \
	  verif/systemc/sc_dram.cpp -lsystemc -pthread -o $@

.PHONY: test-systemc
test-systemc: $(BUILD)/systemc/test_dram $(BUILD)/systemc/sc-2x2/tessera-sc-mesh
	bash tests/test_systemc.sh $(BUILD)
