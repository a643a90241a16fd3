# Synthesis flows (flows/, docs/synthesis.md).
#   make synth [CONFIG=configs/x.json]   area, flip-flops, depth per block and die
#   make synth-fpga [CONFIG=...]         synth_xilinx estimate
#   make test-synth                      the default die synthesizes clean (part of make test)
#   make test-gate                       synthesized FMA netlists against fmaf()
SYNTH_NAME = $(basename $(notdir $(CONFIG)))
GATE_VECTORS ?= 200000

.PHONY: synth synth-fpga test-synth test-gate
synth: $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $(CONFIG) -o $(BUILD)/synth/$(SYNTH_NAME)/rtl
	bash flows/synth.sh $(BUILD)/synth/$(SYNTH_NAME)/rtl $(BUILD)/synth/$(SYNTH_NAME)

synth-fpga: $(BUILD)/bin/tessera
	$(BUILD)/bin/tessera gen $(CONFIG) -o $(BUILD)/synth/$(SYNTH_NAME)/rtl
	bash flows/synth_fpga.sh $(BUILD)/synth/$(SYNTH_NAME)/rtl $(BUILD)/synth/$(SYNTH_NAME)

# synth.sh asserts `check -assert` after proc and after synth and no latches.
test-synth: $(BUILD)/rtl/default/files.f
	bash flows/synth.sh $(BUILD)/rtl/default $(BUILD)/test-synth > /dev/null
	@echo "ok default die: yosys check -assert after proc and synth, no latches"

# The FMA netlist after `synth` (generic gates written back as Verilog),
# driven by the same testbench as the RTL: bit-exact with fmaf() at each depth.
$(BUILD)/gate/s%/tessera_fma.v: rtl_templates/tessera_fma.sv | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	yosys -q -l $(dir $@)yosys.log -p "read_verilog -sv $<; chparam -set Stages $* tessera_fma; \
	  hierarchy -top tessera_fma; synth -top tessera_fma; check -assert; \
	  write_verilog -noattr $@" > /dev/null 2>&1 || { tail -n 20 $(dir $@)yosys.log; exit 1; }

$(BUILD)/gate/s%/tb_fma: $(BUILD)/gate/s%/tessera_fma.v tests/fma/tb_fma.cpp $(BUILD)/fma/fma_vectors.o
	@rm -rf $(BUILD)/gate/s$*/obj
	verilator --cc --exe --build -j $(JOBS) -O1 -Wno-fatal -Wno-lint -Wno-style \
	  -CFLAGS "-O1 -I$(abspath tests/fma)" --top-module tessera_fma -Mdir $(BUILD)/gate/s$*/obj \
	  -o $(abspath $@) $< $(abspath tests/fma/tb_fma.cpp) $(abspath $(BUILD)/fma/fma_vectors.o) \
	  -LDFLAGS -lm > $(BUILD)/gate/s$*.build.log 2>&1 || { tail -n 30 $(BUILD)/gate/s$*.build.log; exit 1; }

test-gate: $(foreach s,$(FMA_STAGES),$(BUILD)/gate/s$(s)/tb_fma)
	@status=0; for s in $(FMA_STAGES); do \
	  printf 'gate-level '; $(BUILD)/gate/s$$s/tb_fma $$s $(GATE_VECTORS) $$((77 + s)) || status=1; \
	done; exit $$status

# Area against MACs per PE, with a gnuplot plot (docs/synthesis.md).
.PHONY: synth-sweep
synth-sweep: $(BUILD)/bin/tessera
	bash flows/synth_sweep.sh $(BUILD)/bin/tessera $(BUILD)/synth/sweep
