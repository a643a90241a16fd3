# The system-scale model (docs/system-model.md).
#   make reproduce    docs/hecaton-reproduction.md and its plots (docs/reproduction/*.svg),
#                     from flows/reproduce.c; data and gnuplot scripts in build/reproduce/
#   make bench-sys    the sweep's design points per second and the microseconds of one
#                     Llama2-70B estimate on 32x32 (also part of make bench)
REPRO_CONFIG ?= configs/hecaton-die.json

$(BUILD)/bin/tessera-reproduce: flows/reproduce.c $(BUILD)/lib/libtessera.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INCLUDES) $< $(BUILD)/lib/libtessera.a -o $@ $(LDLIBS)

.PHONY: reproduce bench-sys
reproduce: $(BUILD)/bin/tessera-reproduce
	@mkdir -p $(BUILD)/reproduce docs/reproduction
	$(BUILD)/bin/tessera-reproduce $(REPRO_CONFIG) docs/hecaton-reproduction.md $(BUILD)/reproduce \
	  docs/reproduction reproduction
	@for gp in $(BUILD)/reproduce/*.gp; do gnuplot $$gp || exit 1; done
	@echo "docs/hecaton-reproduction.md, plots: $$(ls docs/reproduction/*.svg | tr '\n' ' ')"

bench-sys: $(BUILD)/bin/tessera
	bash flows/bench_sys.sh $(BUILD)

# The die's utilization table from the cost model (flows/util_table.c; part of make bench).
$(BUILD)/bin/tessera-util: flows/util_table.c $(BUILD)/lib/libtessera.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INCLUDES) $< $(BUILD)/lib/libtessera.a -o $@ $(LDLIBS)
.PHONY: bench-util
bench-util: $(BUILD)/bin/tessera-util
	$(BUILD)/bin/tessera-util configs/hecaton-die.json
