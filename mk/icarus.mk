# The Icarus Verilog front end (verif/icarus/, docs/simulators.md).
#   build/icarus/tessera_vpi.vpi   the C VPI module: verif/icarus/vpi_tessera.c and the
#                                  harness core, one for every configuration
#   build/icarus/NAME/die.vvp      iverilog -g2012 of icarus_die.f (tessera_tb_die)
#   build/icarus/NAME/mesh.vvp     iverilog -g2012 of icarus_mesh.f (tessera_tb_mesh)
#   build/icarus/NAME/tessera-sim, tessera-mesh
#                                  the runners, with the Verilator ones' command line
# NAME is a configuration of configs/, tests/mesh/ or tests/noc/ (build/rtl/NAME).

# A shared object needs position-independent code: the harness core and the
# library again, with -fPIC.
$(BUILD)/obj-pic/%.o: %.c $(HEADERS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC $(INCLUDES) -c $< -o $@
$(BUILD)/lib/libtessera-pic.a: $(patsubst %.c,$(BUILD)/obj-pic/%.o,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The front end itself is compiled with the project's flags plus iverilog-vpi's
# (its include directory and warnings), then linked by iverilog-vpi. The flags
# come from the recipe's shell, after `make deps` (never when make reads this file).
IVL_CFLAGS = $$(iverilog-vpi --cflags)
$(BUILD)/obj-pic/verif/icarus/vpi_tessera.o: verif/icarus/vpi_tessera.c verif/run.h verif/sim.h \
                                             verif/mesh_sim.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(IVL_CFLAGS) $(INCLUDES) -c $< -o $@

VPI_OBJ := $(BUILD)/obj-pic/verif/icarus/vpi_tessera.o $(BUILD)/obj-pic/verif/harness.o \
           $(BUILD)/obj-pic/verif/run_die.o $(BUILD)/obj-pic/verif/run_mesh.o \
           $(BUILD)/obj-pic/verif/ref_layer.o
$(BUILD)/icarus/tessera_vpi.vpi: $(VPI_OBJ) $(BUILD)/lib/libtessera-pic.a
	@mkdir -p $(dir $@)
	iverilog-vpi --name=$(BUILD)/icarus/tessera_vpi $(VPI_OBJ) -L$(BUILD)/lib -ltessera-pic \
	  -ljansson -lm > $(BUILD)/icarus/tessera_vpi.log 2>&1 \
	  || { cat $(BUILD)/icarus/tessera_vpi.log; exit 1; }

# The design and its testbench top, compiled from the generated RTL as it is:
# the generator emits what Icarus 11.0 (Debian's) simulates correctly
# (docs/simulators.md, "Icarus 11.0 and always_comb"). Icarus also says
# "sorry" about constant selects in always_* sensitivity (it waits on the whole
# vector: slower, same values) and ignores unique on case; the logs keep that.
$(BUILD)/icarus/%/die.vvp: $(BUILD)/rtl/%/files.f mk/icarus.mk
	@mkdir -p $(dir $@)
	cd $(BUILD)/rtl/$* && iverilog -g2012 -s tessera_tb_die -o $(abspath $@) -c icarus_die.f \
	  > $(abspath $(dir $@))/die.build.log 2>&1 || { cat $(abspath $(dir $@))/die.build.log; exit 1; }
$(BUILD)/icarus/%/mesh.vvp: $(BUILD)/rtl/%/files.f mk/icarus.mk
	@mkdir -p $(dir $@)
	cd $(BUILD)/rtl/$* && iverilog -g2012 -s tessera_tb_mesh -o $(abspath $@) -c icarus_mesh.f \
	  > $(abspath $(dir $@))/mesh.build.log 2>&1 || { cat $(abspath $(dir $@))/mesh.build.log; exit 1; }

# The runners: vvp with the VPI module; every argument after the .vvp file
# reaches the harness (tsr_die_main, tsr_mesh_main) as its command line.
define icarus_runner
	@printf '#!/bin/sh\n# %s in Icarus Verilog (mk/icarus.mk, docs/simulators.md)\nexec vvp -n -M %s -m tessera_vpi %s "$$@"\n' \
	  $(notdir $@) $(abspath $(BUILD)/icarus) $(abspath $<) > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@
endef
$(BUILD)/icarus/%/tessera-sim: $(BUILD)/icarus/%/die.vvp $(BUILD)/icarus/tessera_vpi.vpi mk/icarus.mk
	$(icarus_runner)
$(BUILD)/icarus/%/tessera-mesh: $(BUILD)/icarus/%/mesh.vvp $(BUILD)/icarus/tessera_vpi.vpi mk/icarus.mk
	$(icarus_runner)

# make test-icarus (part of make test, tests/test_icarus.sh): the die's GEMM
# programs in Icarus, bit-exact and cycle-exact against the models, and the
# same programs in Verilator and Icarus with equal trace files.
ICARUS_TEST_DIE := default
ICARUS_TEST_MESH := mesh-2x2
.PHONY: test-icarus
test-icarus: $(BUILD)/icarus/$(ICARUS_TEST_DIE)/tessera-sim $(BUILD)/sim/$(ICARUS_TEST_DIE)/tessera-sim \
             $(BUILD)/icarus/$(ICARUS_TEST_MESH)/tessera-mesh $(BUILD)/mesh/$(ICARUS_TEST_MESH)/tessera-mesh
	bash tests/test_icarus.sh $(BUILD) $(ICARUS_TEST_DIE) $(ICARUS_TEST_MESH)
