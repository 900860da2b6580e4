#!/usr/bin/env python3
"""Brings every PublicAPI.Unshipped.txt in line with the code after a deliberate API change.

Builds the solution, reads the analyzer's RS0016 (public symbol not declared) and RS0017
(declared symbol gone) errors and adds or removes those lines. Review the diff of the
PublicAPI files: it is the API change.

    python3 eng/update-public-api.py
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PATTERN = re.compile(r"error (RS0016|RS0017): Symbol '(.+?)' is (?:not part|part) of the declared.*\[(.+?\.csproj)\]")


def main() -> int:
    build = subprocess.run(["dotnet", "build", str(ROOT / "HParamsNet.sln"), "-nologo", "-clp:NoSummary"],
                           capture_output=True, text=True, check=False)
    changes: dict[pathlib.Path, tuple[set[str], set[str]]] = {}
    for match in PATTERN.finditer(build.stdout):
        code, symbol, project = match.groups()
        added, removed = changes.setdefault(pathlib.Path(project).parent / "PublicAPI.Unshipped.txt", (set(), set()))
        (added if code == "RS0016" else removed).add(symbol)

    for path, (added, removed) in changes.items():
        lines = [line for line in path.read_text().splitlines() if line and line not in removed]
        body = sorted(set(lines[1:]) | added) if lines and lines[0].startswith("#nullable") else sorted(set(lines) | added)
        path.write_text("\n".join((["#nullable enable"] if lines and lines[0].startswith("#nullable") else []) + body) + "\n")
        print(f"{path.relative_to(ROOT)}: +{len(added)} -{len(removed)}")

    if not changes and build.returncode != 0:
        print(build.stdout[-4000:], file=sys.stderr)
        return build.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
