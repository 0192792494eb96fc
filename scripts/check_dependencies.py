"""One source of truth for dependencies, checked in `make lint-checks`.

pyproject.toml names the direct dependencies (run and dev), requirements/*.txt pin every installed package to an
exact version, and the README's « Dependencies, and why » table says why each direct one is there. This script fails,
in French, when the three disagree: a direct dependency not pinned or not explained, or a pin that nothing direct
pulls in (left behind when a library was dropped).
"""

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins(path):
    """Exact pins of a requirements file and the files it includes."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
            continue
        requirement = Requirement(line)
        found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return found


def direct_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [Requirement(spec) for spec in project["dependencies"]]
    for specs in project.get("optional-dependencies", {}).values():
        names += [Requirement(spec) for spec in specs]
    return {canonicalize_name(requirement.name): requirement for requirement in names}


def pulled_in(direct):
    """Every distribution the direct dependencies need, with all their extras (a pin kept for an extra is wanted)."""
    seen, queue = set(), list(direct)
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            requirement = Requirement(spec)
            if requirement.marker and not _applies(requirement.marker):
                continue
            queue.append(canonicalize_name(requirement.name))
    return seen


def _applies(marker):
    extras = ["", *re.findall(r'extra\s*==\s*"([^"]+)"', str(marker))]
    return any(marker.evaluate({"extra": extra}) for extra in extras)


def explained(direct):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Dependencies, and why", 1)[1].split("\n## ", 1)[0]
    first_cells = " ".join(line.split("|")[1] for line in section.splitlines() if line.startswith("| "))
    words = {canonicalize_name(word) for word in re.findall(r"[A-Za-z][\w.\-]*", first_cells)}
    return {name for name in direct if name in words}


def main():
    direct = direct_dependencies()
    pinned = pins(ROOT / "requirements" / "dev.txt")
    problems = []
    for name in sorted(set(direct) - set(pinned)):
        problems.append(f"{name} : dépendance directe de pyproject.toml sans version figée dans requirements/")
    for name, specifier in sorted(pinned.items()):
        if not specifier.startswith("=="):
            problems.append(f"{name} : requirements/ doit figer une version exacte (==), pas « {specifier} »")
    wanted = pulled_in(direct)
    for name in sorted(set(pinned) - wanted):
        problems.append(f"{name} : figé dans requirements/ mais ni direct ni requis par une dépendance directe")
    for name in sorted(set(direct) - explained(direct)):
        problems.append(f"{name} : absent du tableau « Dependencies, and why » du README")
    if problems:
        print("Dépendances incohérentes :", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"Dépendances : {len(direct)} directes, {len(pinned)} figées, chacune expliquée dans le README.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
