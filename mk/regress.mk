# The lockstep regression (docs/cost-model.md, docs/cluster.md): the mesh
# runners of mk/mesh.mk on every case of tests/regress.list, with a summary and
# build/regress/report.json (tests/regress.sh). ENGINE=local runs the cases
# in parallel on JOBS cores; ENGINE=slurm as one Slurm job array, against the
# runners built here, in BUILD (docs/cluster.md: BUILD and this checkout must
# be where every node sees them). REGRESS_RESUBMIT=4,7-9 runs those cases of
# the last run again.
ENGINE ?= local
ifeq ($(filter $(ENGINE),local slurm),)
$(error ENGINE=$(ENGINE): expected local or slurm)
endif
REGRESS_LIST ?= tests/regress.list
REGRESS_CONFIGS := $(shell sed -e 's/\#.*//' $(REGRESS_LIST) | awk 'NF { print $$1 }' | sort -u)
# The Slurm engine's job: partition and account (empty: the cluster's
# defaults), a task's time limit and memory, more sbatch options, and the
# seconds between looks at the queue (tests/slurm/engine.sh).
REGRESS_PARTITION ?=
REGRESS_ACCOUNT ?=
REGRESS_TIME ?= 0:30:00
REGRESS_MEM ?= 1G
REGRESS_SBATCH_ARGS ?=
REGRESS_POLL ?= 5
REGRESS_RESUBMIT ?=
.PHONY: regress
regress: $(foreach c,$(REGRESS_CONFIGS),$(BUILD)/mesh/$(c)/tessera-mesh)
	JOBS=$(JOBS) ENGINE=$(ENGINE) REGRESS_PARTITION='$(REGRESS_PARTITION)' \
	  REGRESS_ACCOUNT='$(REGRESS_ACCOUNT)' REGRESS_TIME='$(REGRESS_TIME)' REGRESS_MEM='$(REGRESS_MEM)' \
	  REGRESS_SBATCH_ARGS='$(REGRESS_SBATCH_ARGS)' REGRESS_POLL='$(REGRESS_POLL)' \
	  REGRESS_RESUBMIT='$(REGRESS_RESUBMIT)' bash tests/regress.sh $(BUILD) $(REGRESS_LIST)

# make test-slurm: a small regression (tests/slurm/regress.list, one case
# planted to fail) and a sharded sweep on a one-node Slurm cluster started for
# the test (tests/slurm/cluster.sh), checked against the local engine.
SLURM_TEST_LIST := tests/slurm/regress.list
SLURM_TEST_CONFIGS := $(shell sed -e 's/\#.*//' $(SLURM_TEST_LIST) | awk 'NF { print $$1 }' | sort -u)
.PHONY: test-slurm
test-slurm: $(BUILD)/.deps-ok $(BUILD)/bin/tessera $(foreach c,$(SLURM_TEST_CONFIGS),$(BUILD)/mesh/$(c)/tessera-mesh)
	bash tests/slurm/test_slurm.sh $(BUILD)
