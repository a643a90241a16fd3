# The system-scale model (docs/system-model.md).
#   make reproduce    docs/hecaton-reproduction.md and its plots (docs/reproduction/*.svg),
#                     from `tessera reproduce` (cli/cmd_reproduce.c); data and gnuplot scripts in build/reproduce/
#   make bench-sys    the sweep's design points per second and the microseconds of one
#                     Llama2-70B estimate on 32x32 (also part of make bench)
REPRO_CONFIG ?= configs/hecaton-die.json

.PHONY: reproduce bench-sys
reproduce: $(BUILD)/bin/tessera
	@mkdir -p $(BUILD)/reproduce docs/reproduction
	$(BUILD)/bin/tessera reproduce $(REPRO_CONFIG) docs/hecaton-reproduction.md $(BUILD)/reproduce \
	  docs/reproduction reproduction
	@for gp in $(BUILD)/reproduce/*.gp; do gnuplot $$gp || exit 1; done
	@echo "docs/hecaton-reproduction.md, plots: $$(ls docs/reproduction/*.svg | tr '\n' ' ')"

bench-sys: $(BUILD)/bin/tessera
	bash flows/bench_sys.sh $(BUILD)
