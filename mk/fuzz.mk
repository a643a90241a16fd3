# make fuzz: a bounded libFuzzer campaign (FUZZ_SECONDS per target) on the
# configuration loader, the assembler, the disassembler (hex reader, decoder)
# and the model-description loader, seeded with configs/, tests/asm/,
# tests/cosim/ (and their hex), configs/models/ and the bad inputs. `make test`
# runs it for a few seconds per target (suite fuzz-smoke). Any crash or
# sanitizer report fails the target; the inputs that found it are in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_CC := clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_POSIX_C_SOURCE=200809L \
           -Iarch -Igen -Imodels
FUZZ_TARGETS := config asm disasm workload

# Each target with the sources it needs (arch/textfile.c reads every input).
FUZZ_SRC_config := arch/config.c arch/noc.c arch/textfile.c
FUZZ_SRC_asm := arch/isa.c arch/noc.c arch/config.c arch/textfile.c models/golden.c models/vecfn.c
FUZZ_SRC_disasm := arch/isa.c
FUZZ_SRC_workload := models/workload.c arch/textfile.c

define fuzz_target
$(BUILD)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) $(HEADERS) mk/fuzz.mk
	@bash mk/deps.sh clang libclang-rt-14-dev libjansson-dev
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) tests/fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) -o $$@ -ljansson -lm
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

.PHONY: fuzz-build
fuzz-build: $(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/fuzz_$(t))

fuzz: fuzz-build $(BUILD)/bin/tessera
	rm -rf $(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/corpus-$(t))
	mkdir -p $(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/corpus-$(t))
	cp configs/*.json tests/bad_configs/*.json $(BUILD)/fuzz/corpus-config/
	cp tests/asm/*.s tests/cosim/*.s $(BUILD)/fuzz/corpus-asm/
	for s in tests/asm/*.s tests/cosim/*.s; do \
	  $(BUILD)/bin/tessera asm $$s -o $(BUILD)/fuzz/corpus-disasm/$$(basename $$s .s).hex || exit 1; done
	cp configs/models/*.json tests/bad_inputs/*.json $(BUILD)/fuzz/corpus-workload/
	@for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t, $(FUZZ_SECONDS) s"; \
	  $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/fuzz/$$t- $(BUILD)/fuzz/corpus-$$t > $(BUILD)/fuzz/$$t.log 2>&1 \
	    || { tail -n 40 $(BUILD)/fuzz/$$t.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^#[0-9]+ +DONE' $(BUILD)/fuzz/$$t.log | tail -n 2; \
	done
