# Mesa — developer commands. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test stop deps build openapi python-client clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: ## run Mesa with demo data on http://127.0.0.1:8080
	@bash scripts/run.sh

test: ## run every test (Rust, OpenAPI, Python client examples, frontend, browser end-to-end, API fuzzing)
	@bash scripts/test.sh

stop: ## stop the private Postgres and the demo directory
	@bash scripts/stop.sh

deps: ## install the system packages the commands need
	@bash scripts/deps.sh all

build: ## build the backend (dev profile) and the frontend
	@source scripts/lib.sh && cargo_build && frontend_install && frontend_build

openapi: ## regenerate openapi/openapi.json from the code
	@source scripts/lib.sh && cargo_build && "$$MESA_BIN" openapi > openapi/openapi.json.tmp \
	  && mv openapi/openapi.json.tmp openapi/openapi.json && echo "wrote openapi/openapi.json"

python-client: ## generate the Python client from openapi/openapi.json and install it in .data/venv
	@source scripts/lib.sh && python_client_install "$$DATA_DIR/venv"

clean: stop ## stop, then delete .data/ (databases, directory, secrets) and frontend/dist
	@if [ -L .data/pg ]; then rm -rf "$$(readlink -f .data/pg)"; fi
	rm -rf .data frontend/dist frontend/test-results
