# make fuzz: a bounded libFuzzer campaign (FUZZ_SECONDS per target) on the
# configuration loader and the assembler, seeded with configs/ and tests/asm/.
# Not part of `make test`. Any crash or sanitizer report fails the target.
FUZZ_SECONDS ?= 60
FUZZ_CC := clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_POSIX_C_SOURCE=200809L \
           -Iarch -Igen -Imodels

$(BUILD)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c arch/config.c arch/noc.c arch/config.h
	@bash mk/deps.sh clang libclang-rt-14-dev libjansson-dev
	@mkdir -p $(dir $@)
	$(FUZZ_CC) tests/fuzz/fuzz_config.c arch/config.c arch/noc.c -o $@ -ljansson -lm
$(BUILD)/fuzz/fuzz_asm: tests/fuzz/fuzz_asm.c arch/isa.c arch/noc.c models/golden.c arch/isa.h
	@bash mk/deps.sh clang libclang-rt-14-dev
	@mkdir -p $(dir $@)
	$(FUZZ_CC) tests/fuzz/fuzz_asm.c arch/isa.c arch/noc.c models/golden.c -o $@ -lm

fuzz: $(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_asm
	rm -rf $(BUILD)/fuzz/corpus-config $(BUILD)/fuzz/corpus-asm
	mkdir -p $(BUILD)/fuzz/corpus-config $(BUILD)/fuzz/corpus-asm
	cp configs/*.json tests/bad_configs/*.json $(BUILD)/fuzz/corpus-config/
	cp tests/asm/*.s tests/cosim/*.s $(BUILD)/fuzz/corpus-asm/
	$(BUILD)/fuzz/fuzz_config -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-config
	$(BUILD)/fuzz/fuzz_asm -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-asm
