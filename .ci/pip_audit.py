"""pip-audit of the dependencies pinned in pyproject.toml (every `==` pin of the project and
its extras), against PyPI's advisory data. Run by `make audit` (part of `make test`).

Fails when a pinned version has a known vulnerability, or when only some pins could be audited.
When the advisory service answers for none of them (a machine whose PyPI is a mirror without
the JSON API, or with no route to it), it says so loudly and passes, unless PIP_AUDIT_STRICT=1.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
pins = list(project["dependencies"])
for extra in project.get("optional-dependencies", {}).values():
    pins += extra
pins = sorted({pin for pin in pins if "==" in pin})
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
    requirements.write("\n".join(pins) + "\n")
print(f"pip-audit: {len(pins)} pinned dependencies", flush=True)
command = [
    str(pathlib.Path(sys.executable).parent / "pip-audit"),
    "--requirement",
    requirements.name,
    "--no-deps",
    "--disable-pip",
    "--progress-spinner=off",
    "--format=json",
]
run = subprocess.run(command, capture_output=True, text=True)
try:
    report = json.loads(run.stdout)
except ValueError:
    sys.exit(f"pip-audit failed ({run.returncode}):\n{run.stderr}")
audited = [d for d in report["dependencies"] if "skip_reason" not in d]
skipped = [d for d in report["dependencies"] if "skip_reason" in d]
vulnerable = [d for d in audited if d["vulns"]]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln["fix_versions"]) or "none yet"
        print(f"  {dependency['name']}=={dependency['version']}: {vuln['id']} (fixed in {fixes})")
print(f"pip-audit: {len(audited)} audited, {len(vulnerable)} vulnerable, {len(skipped)} not found")
if vulnerable:
    sys.exit(1)
if skipped and audited:
    for dependency in skipped:
        print(f"  {dependency['name']}: {dependency['skip_reason']}")
    sys.exit(1)
if skipped:
    print(
        "pip-audit: SKIPPED - the advisory service answered for none of the pins "
        f"(first: {skipped[0]['skip_reason']})"
    )
    sys.exit(1 if os.environ.get("PIP_AUDIT_STRICT") == "1" else 0)
