# The FMA against fmaf(): test-fma verilates tessera_fma at every pipeline
# depth and checks FMA_VECTORS biased vectors each (tests/fma/).
FMA_VECTORS ?= 1000000
FMA_STAGES := 1 2 3 4

$(BUILD)/fma/fma_vectors.o: tests/fma/fma_vectors.c tests/fma/fma_vectors.h | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -ffp-contract=off -c $< -o $@

# $(call fma_tb,DIR,PARAMS): verilate tessera_fma with PARAMS and tests/fma/tb_fma.cpp into DIR.
define fma_tb
	@rm -rf $(1) && mkdir -p $(1)
	verilator --cc --exe --build -j $(JOBS) -O2 --x-assign fast -CFLAGS "-O2 -I$(abspath tests/fma)" \
	  $(2) --top-module tessera_fma -Mdir $(1)/obj -o $(abspath $@) \
	  rtl_templates/tessera_fma.sv $(abspath tests/fma/tb_fma.cpp) $(abspath $(BUILD)/fma/fma_vectors.o) \
	  -LDFLAGS -lm > $(1).build.log 2>&1 || { cat $(1).build.log; exit 1; }
endef

$(BUILD)/fma/s%/tb_fma: rtl_templates/tessera_fma.sv tests/fma/tb_fma.cpp $(BUILD)/fma/fma_vectors.o
	$(call fma_tb,$(BUILD)/fma/s$*,-GStages=$*)

# The product as one `*` (DspProduct=1, what the FPGA flow synthesizes).
$(BUILD)/fma/dsp/tb_fma: rtl_templates/tessera_fma.sv tests/fma/tb_fma.cpp $(BUILD)/fma/fma_vectors.o
	$(call fma_tb,$(BUILD)/fma/dsp,-GStages=2 -GDspProduct=1)

.PHONY: test-fma lint-fma
test-fma: $(foreach s,$(FMA_STAGES),$(BUILD)/fma/s$(s)/tb_fma) $(BUILD)/fma/dsp/tb_fma
	@status=0; for s in $(FMA_STAGES); do \
	  $(BUILD)/fma/s$$s/tb_fma $$s $(FMA_VECTORS) $$((41 + s)) || status=1; done; \
	printf 'DspProduct=1: '; $(BUILD)/fma/dsp/tb_fma 2 $(FMA_VECTORS) 47 || status=1; exit $$status

# Each depth, and the DspProduct variant at Stages 2: Verilator -Wall, Yosys
# check after proc and after synth, Icarus.
FMA_LINT := $(foreach s,$(FMA_STAGES),$(s):0) 2:1
lint-fma: | $(BUILD)/.deps-ok
	@for p in $(FMA_LINT); do s=$${p%:*}; d=$${p#*:}; \
	  verilator --lint-only -Wall -GStages=$$s -GDspProduct=$$d rtl_templates/tessera_fma.sv && \
	  yosys -q -p "read_verilog -sv rtl_templates/tessera_fma.sv; chparam -set Stages $$s -set DspProduct $$d tessera_fma; \
	    hierarchy -top tessera_fma; proc; check -assert; synth -top tessera_fma; check -assert" && \
	  iverilog -g2012 -Ptessera_fma.Stages=$$s -Ptessera_fma.DspProduct=$$d -o /dev/null rtl_templates/tessera_fma.sv && \
	  echo "ok tessera_fma Stages=$$s DspProduct=$$d: verilator -Wall, yosys check after proc and synth, iverilog" || exit 1; \
	done
