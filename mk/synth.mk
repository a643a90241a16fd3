# Synthesis flows (flows/, docs/synthesis.md).
#   make synth [CONFIG=configs/x.json]   area, flip-flops, depth per block and die
#   make synth-fpga [CONFIG=...]         synth_xilinx estimate
#   make test-synth                      the default die synthesizes clean (part of make test)
#   make test-gate                       synthesized FMA and router netlists against fmaf() / RTL
SYNTH_NAME = $(basename $(notdir $(CONFIG)))
GATE_VECTORS ?= 200000

.PHONY: synth synth-fpga test-synth test-gate
synth: $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $(CONFIG) -o $(BUILD)/synth/$(SYNTH_NAME)/rtl
	JOBS=$(JOBS) bash flows/synth.sh $(BUILD)/synth/$(SYNTH_NAME)/rtl $(BUILD)/synth/$(SYNTH_NAME)

synth-fpga: $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $(CONFIG) -o $(BUILD)/synth/$(SYNTH_NAME)/rtl
	bash flows/synth_fpga.sh $(BUILD)/synth/$(SYNTH_NAME)/rtl $(BUILD)/synth/$(SYNTH_NAME)

# The default die, as make synth runs it but without the blocks alone
# (synth.sh --die): `check -assert` after proc and after synth, no latches, no
# flip-flop without reset outside flows/noreset_allow.txt, then the report,
# whose SRAM macros must be the config's banks at the model's area. Then the
# reset check is shown to reject a FIFO whose pointers lost their reset.
test-synth: $(BUILD)/rtl/default/files.f
	bash flows/synth.sh --die $(BUILD)/rtl/default $(BUILD)/test-synth > $(BUILD)/test-synth.txt \
	  || { cat $(BUILD)/test-synth.txt; exit 1; }
	@head -n 1 $(BUILD)/test-synth.txt
	@echo "ok default die: yosys check -assert after proc and synth, no latches, resets as allowed"
	bash tests/synth/sram_test.sh $(BUILD)/test-synth/report.json $(BUILD)/rtl/default/config.resolved.json
	bash tests/synth/reset_check_fails.sh $(BUILD)/test-synth/reset-neg

# The FMA netlist after `synth` (generic gates written back as Verilog by
# flows/synth_netlist.sh), driven by the same testbench as the RTL: bit-exact
# with fmaf() at each depth.
$(BUILD)/gate/s%/tessera_fma.v: rtl_templates/tessera_fma.sv flows/yosys/netlist.ys | $(BUILD)/.deps-ok
	bash flows/synth_netlist.sh $@ tessera_fma $< Stages=$*

$(BUILD)/gate/s%/tb_fma: $(BUILD)/gate/s%/tessera_fma.v tests/fma/tb_fma.cpp $(BUILD)/fma/fma_vectors.o
	@rm -rf $(BUILD)/gate/s$*/obj
	verilator --cc --exe --build -j $(JOBS) -O1 -Wno-fatal -Wno-lint -Wno-style \
	  -CFLAGS "-O1 -I$(abspath tests/fma)" --top-module tessera_fma -Mdir $(BUILD)/gate/s$*/obj \
	  -o $(abspath $@) $< $(abspath tests/fma/tb_fma.cpp) $(abspath $(BUILD)/fma/fma_vectors.o) \
	  -LDFLAGS -lm > $(BUILD)/gate/s$*.build.log 2>&1 || { tail -n 30 $(BUILD)/gate/s$*.build.log; exit 1; }

.PHONY: test-gate-fma
test-gate: test-gate-fma test-gate-router
test-gate-fma: $(foreach s,$(FMA_STAGES),$(BUILD)/gate/s$(s)/tb_fma)
	@status=0; for s in $(FMA_STAGES); do \
	  printf 'gate-level '; $(BUILD)/gate/s$$s/tb_fma $$s $(GATE_VECTORS) $$((77 + s)) || status=1; \
	done; exit $$status

# Area against MACs per PE, with a gnuplot plot (docs/synthesis.md).
.PHONY: synth-sweep
synth-sweep: $(BUILD)/bin/tessera
	JOBS=$(JOBS) bash flows/synth_sweep.sh $(BUILD)/bin/tessera $(BUILD)/synth/sweep

# The router netlist after `synth` (generic gates), run beside its RTL on
# legal random traffic (tests/router/tb_router_gate.cpp): every output equal in
# every cycle, for XY (r0) and table (r1) routing.
ROUTER_GATE_PARAMS := FlitW=64 Depth=4 MyX=2 MyY=1 NumX=5 NumY=3
# The router as generated (with tessera_pkg, its flit header's fields).
ROUTER_RTL := $(addprefix $(BUILD)/rtl/default/,tessera_pkg.sv tessera_flit_fifo.sv tessera_router.sv)
$(BUILD)/gate/router-r%/netlist.v: $(BUILD)/rtl/default/files.f flows/yosys/netlist.ys | $(BUILD)/.deps-ok
	bash flows/synth_netlist.sh $@ tessera_router "$(ROUTER_RTL)" $(ROUTER_GATE_PARAMS) Routing=$*

$(BUILD)/gate/router-r%/tb_router_gate: $(BUILD)/gate/router-r%/netlist.v $(BUILD)/rtl/default/files.f \
                                       tests/router/tb_router_gate.cpp
	@rm -rf $(dir $@)rtl $(dir $@)gl
	verilator --cc --prefix Vrtl -O2 --top-module tessera_router $(foreach p,$(ROUTER_GATE_PARAMS),-G$(p)) \
	  -GRouting=$* -Mdir $(dir $@)rtl $(ROUTER_RTL) > $(dir $@)build.log 2>&1
	verilator --cc --prefix Vgl -O2 -Wno-fatal -Wno-lint -Wno-style --top-module tessera_router \
	  -Mdir $(dir $@)gl $< >> $(dir $@)build.log 2>&1
	$(MAKE) -s -C $(dir $@)rtl -f Vrtl.mk -j $(JOBS) OPT_FAST=-O1 Vrtl__ALL.a >> $(dir $@)build.log 2>&1
	$(MAKE) -s -C $(dir $@)gl -f Vgl.mk -j $(JOBS) OPT_FAST=-O1 Vgl__ALL.a verilated.o verilated_threads.o >> $(dir $@)build.log 2>&1
	g++ -std=c++14 -O1 -DFLIT_W=64 -DDEPTH=4 -DNUM_X=5 -DNUM_Y=3 -DROUTING=$* -I$(dir $@)rtl -I$(dir $@)gl \
	  -I$(VL_ROOT)/include -I$(VL_ROOT)/include/vltstd tests/router/tb_router_gate.cpp \
	  $(dir $@)rtl/Vrtl__ALL.a $(dir $@)gl/Vgl__ALL.a $(dir $@)gl/verilated.o $(dir $@)gl/verilated_threads.o -pthread -o $@ \
	  >> $(dir $@)build.log 2>&1 || { tail -n 30 $(dir $@)build.log; exit 1; }

.PHONY: test-gate-router
test-gate-router: $(BUILD)/gate/router-r0/tb_router_gate $(BUILD)/gate/router-r1/tb_router_gate
	@status=0; for r in 0 1; do $(BUILD)/gate/router-r$$r/tb_router_gate 200000 $$((5 + r)) || status=1; done; \
	exit $$status

# The network blocks alone, router over flit width and FIFO depth (docs/synthesis.md).
.PHONY: synth-noc
synth-noc: $(BUILD)/rtl/default/files.f | $(BUILD)/.deps-ok
	bash flows/synth_noc.sh $(BUILD)/synth/noc $(BUILD)/rtl/default
