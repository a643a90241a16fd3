# make test-large: the 256-unit os die (configs/large-os.json) in lockstep on a
# large GEMM, with the array's utilization from the RTL counters, the Verilator
# build's time and memory and the simulation speed (tests/test_large.sh). Not
# part of make test: its Verilator build takes minutes.
.PHONY: test-large
test-large: $(BUILD)/rtl/large-os/files.f $(HARNESS_OBJ) $(BUILD)/lib/libtessera.a
	bash tests/test_large.sh $(BUILD)
