.PHONY: demo test bench lint

demo:  ## start the demo on SQLite with sample data
	scripts/demo

test:  ## run every check and the whole test suite on SQLite and PostgreSQL
	scripts/test

lint:
	scripts/bootstrap && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy zweck config
