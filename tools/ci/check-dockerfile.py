#!/usr/bin/env python3
"""Static rules for the crm-suite Dockerfile, .dockerignore and docker-bake.hcl.

CI has no Docker engine, so the image is checked without building it. hadolint (run by
check-charts.sh) covers general Dockerfile practice; these rules cover this project's needs:

  multi-stage     at least two stages; the last one is the runtime stage
  pinned-base     every FROM resolves (through ARG defaults) to an exact version tag x.y.z
                  or a digest, never "latest"
  non-root        the final stage ends with a numeric, non-zero USER uid[:gid]
  no-build-tools  the final stage installs nothing (apt-get/apk/npm/yarn/pip/gcc/make) and
                  removes npm, npx and corepack
  no-download     no curl/wget/ADD-from-URL in any stage (builds run behind mirrors) and
                  nothing at start-up: CMD/ENTRYPOINT run node directly
  prod-deps       the build stage runs `npm ci`, `npm run build` and `npm prune --omit=dev`
  runtime-copy    the final stage copies only from earlier stages (no COPY of the context)
  healthcheck     a HEALTHCHECK exists (compose/docker run; Kubernetes uses the chart's probes)
  dockerignore    .dockerignore excludes node_modules, dist and .git
  bake            docker-bake.hcl names an existing Dockerfile and stage, and no latest tag

Usage: check-dockerfile.py [REPO_ROOT]
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
errors = []


def read(name):
    with open(os.path.join(root, name), encoding="utf-8") as fh:
        return fh.read()


def instructions(text):
    """Logical instructions (continuations joined, comments dropped): [(KEYWORD, args)]."""
    out, buf = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += stripped
        kw, _, args = buf.partition(" ")
        out.append((kw.upper(), args.strip()))
        buf = ""
    return out


dockerfile = read("Dockerfile")
ins = instructions(dockerfile)
args = {}
stages = []  # dicts: name, image, body[]
for kw, a in ins:
    if kw == "ARG" and not stages:
        name, _, default = a.partition("=")
        args[name.strip()] = default.strip().strip('"')
    elif kw == "FROM":
        parts = a.split()
        image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), parts[0])
        name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
        stages.append({"name": name, "image": image, "body": []})
    elif stages:
        stages[-1]["body"].append((kw, a))

stage_names = {s["name"] for s in stages if s["name"]}
if len(stages) < 2:
    errors.append("multi-stage: the Dockerfile needs a build stage and a runtime stage")
for s in stages:
    img = s["image"]
    if img in stage_names:
        continue
    ref, _, digest = img.partition("@")
    tag = ref.rsplit("/", 1)[-1].partition(":")[2]
    if "$" in img:
        errors.append(f"pinned-base: FROM {img} uses an ARG without a default")
    elif tag == "latest" or (not digest and not re.match(r"^v?\d+\.\d+\.\d+", tag)):
        errors.append(f"pinned-base: FROM {img} is not pinned to an exact version (x.y.z) or a digest")

if stages:
    final = stages[-1]
    body = final["body"]
    users = [a for kw, a in body if kw == "USER"]
    if not users:
        errors.append("non-root: the final stage sets no USER")
    else:
        uid = users[-1].split(":")[0]
        if not uid.isdigit() or int(uid) == 0:
            errors.append(f"non-root: the final USER must be a numeric non-zero uid, got {users[-1]}")
    for kw, a in body:
        if kw == "RUN" and re.search(r"\b(apt-get|apt|apk)\s+(install|add)\b|\bnpm\s+(ci|install|i)\b|\byarn\b(?!pkg)\s+(add|install)|\bpip3?\s+install\b|\b(gcc|g\+\+|make)\b", a):
            errors.append(f"no-build-tools: the final stage installs or builds: RUN {a[:80]}")
        if kw == "COPY" and "--from=" not in a:
            errors.append(f"runtime-copy: the final stage copies from the build context: COPY {a}")
    final_runs = " ".join(a for kw, a in body if kw == "RUN")
    for tool in ("/usr/local/lib/node_modules/npm", "/usr/local/bin/npx", "/usr/local/lib/node_modules/corepack"):
        if tool not in final_runs:
            errors.append(f"no-build-tools: the final stage does not remove {tool}")
    for kw, a in body:
        if kw in ("CMD", "ENTRYPOINT") and not re.match(r'^\[\s*"node"', a):
            errors.append(f"no-download: {kw} must run node directly in exec form, got {a}")
for s in stages:
    for kw, a in s["body"]:
        if kw == "RUN" and re.search(r"\b(curl|wget)\b", a):
            errors.append(f"no-download: stage {s['name']} downloads with curl/wget: RUN {a[:80]}")
        if kw == "ADD" and re.search(r"https?://", a):
            errors.append(f"no-download: stage {s['name']} ADDs from a URL: {a}")
build_runs = " ".join(a for s in stages[:-1] for kw, a in s["body"] if kw == "RUN")
for needle, what in ((r"\bnpm ci\b", "npm ci"), (r"\bnpm run build\b", "npm run build"), (r"npm prune --omit=dev", "npm prune --omit=dev")):
    if not re.search(needle, build_runs):
        errors.append(f"prod-deps: the build stage does not run `{what}`")
if not any(kw == "HEALTHCHECK" for s in stages for kw, _ in s["body"]):
    errors.append("healthcheck: no HEALTHCHECK")

try:
    ignore = read(".dockerignore").splitlines()
    for pat in ("node_modules", "dist", ".git"):
        if not any(line.strip().rstrip("/").endswith(pat) for line in ignore):
            errors.append(f"dockerignore: .dockerignore does not exclude {pat}")
except FileNotFoundError:
    errors.append("dockerignore: no .dockerignore")

try:
    bake = read("docker-bake.hcl")
    for df in re.findall(r'dockerfile\s*=\s*"([^"]+)"', bake):
        if not os.path.exists(os.path.join(root, df)):
            errors.append(f"bake: dockerfile {df} does not exist")
    for tgt in re.findall(r'^\s*target\s*=\s*"([^"]+)"', bake, re.M):
        if tgt not in stage_names:
            errors.append(f"bake: build target {tgt} is not a stage of the Dockerfile ({sorted(stage_names)})")
    if re.search(r':latest\b|default\s*=\s*"latest"', bake):
        errors.append("bake: a tag is latest")
    if not re.search(r'^group\s+"default"', bake, re.M):
        errors.append('bake: no group "default"')
except FileNotFoundError:
    errors.append("bake: no docker-bake.hcl")

for e in errors:
    print(f"    {e}")
print(f"    dockerfile rules: {len(stages)} stages, {len(errors)} violation(s)")
sys.exit(1 if errors else 0)
