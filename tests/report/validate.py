#!/usr/bin/python3
"""Reads a report back with independent tools, for tests/report.

  validate.py json SCHEMA FILE      the JSON report against docs/report-schema.json (python3-jsonschema)
  validate.py sarif MULTITOOL FILE  Microsoft's SARIF Multitool `validate`, then the SARIF 2.1.0 schema
                                    shipped beside it (python3-jsonschema)
  validate.py junit FILE            the JUnit XML read with python3-junitparser; prints what it read as JSON
  validate.py csv FILE              the CSV read with Python's csv module; prints the rows as JSON

Exit status 0 when the document is valid (or was read), 1 when it is not (the errors are printed).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile


def check_json(schema_path, doc_path):
    import jsonschema
    with open(schema_path) as f:
        schema = json.load(f)
    with open(doc_path) as f:
        doc = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:20]:
        print("%s: %s" % ("/".join(str(p) for p in e.path) or "(root)", e.message[:300]))
    return 1 if errors else 0


def check_sarif(tool, doc_path):
    import jsonschema
    if not os.access(tool, os.X_OK):
        print("the SARIF Multitool is not installed at %s (scripts/install-deps.sh installs it)" % tool)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "validation.sarif")
        run = subprocess.run([tool, "validate", doc_path, "-o", out, "--log", "ForceOverwrite"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                             env=dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1"))
        if run.returncode != 0 or not os.path.exists(out):
            print("Sarif.Multitool failed (%d): %s" % (run.returncode, run.stdout.decode(errors="replace")[-2000:]))
            return 1
        with open(out) as f:
            log = json.load(f)
    errors = [r for r in log["runs"][0].get("results", []) if r.get("level", "warning") == "error"]
    for r in errors:
        print("multitool %s: %s" % (r.get("ruleId"), r.get("message", {}).get("text", "")[:300]))
    with open(os.path.join(os.path.dirname(tool), "sarif-2.1.0.json")) as f:
        schema = json.load(f)
    with open(doc_path) as f:
        doc = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    schema_errors = list(cls(schema).iter_errors(doc))
    for e in schema_errors[:20]:
        print("schema %s: %s" % ("/".join(str(p) for p in e.path), e.message[:300]))
    return 1 if errors or schema_errors else 0


def read_junit(path):
    import junitparser
    xml = junitparser.JUnitXml.fromfile(path)
    suites = []
    for suite in xml:
        cases = []
        for case in suite:
            kinds = [type(r).__name__.lower() for r in case.result]
            result = "failure" if "failure" in kinds else "skipped" if "skipped" in kinds else \
                "error" if "error" in kinds else "passed"
            cases.append({"name": case.name, "classname": case.classname, "result": result})
        suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                       "skipped": suite.skipped, "cases": cases})
    print(json.dumps({"suites": suites}))
    return 0


def read_csv(path):
    with open(path, newline="") as f:
        print(json.dumps(list(csv.DictReader(f))))
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "json":
        return check_json(argv[2], argv[3])
    if len(argv) >= 4 and argv[1] == "sarif":
        return check_sarif(argv[2], argv[3])
    if len(argv) >= 3 and argv[1] == "junit":
        return read_junit(argv[2])
    if len(argv) >= 3 and argv[1] == "csv":
        return read_csv(argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
