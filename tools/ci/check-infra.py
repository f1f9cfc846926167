#!/usr/bin/env python3
"""Static checks of infra/ (the compose stack cannot run on CI machines: no Docker engine).

  compose     parses; has postgres, nats, kurrentdb, otel-collector, jaeger, prometheus,
              grafana; every image is pinned to a version (no latest, no bare name)
  collector   every pipeline names receivers, processors and exporters that are defined
  prometheus  parses; rule files exist
  alerts      every rule has alert, expr, labels.severity and annotations.summary; names unique
  dashboards  valid JSON, unique uid and panel ids, every target has an expr

Usage: check-infra.py [REPO_ROOT]
"""
import glob
import json
import os
import re
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
infra = os.path.join(root, "infra")
errors = []


def load(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


compose = load(os.path.join(infra, "compose.yaml"))
services = compose.get("services", {})
for need in ("postgres", "nats", "kurrentdb", "otel-collector", "jaeger", "prometheus", "grafana"):
    if need not in services:
        errors.append(f"compose: no service {need}")
for name, svc in services.items():
    image = svc.get("image", "")
    tag = image.rsplit("/", 1)[-1].partition(":")[2]
    if not tag or tag == "latest" or not re.search(r"\d", tag):
        errors.append(f"compose: {name} image {image!r} is not pinned to a version")
    for vol in svc.get("volumes", []):
        src = vol.split(":", 1)[0] if isinstance(vol, str) else ""
        if src.startswith("./") and not os.path.exists(os.path.join(infra, src)):
            errors.append(f"compose: {name} mounts {src}, which does not exist")

col = load(os.path.join(infra, "otel-collector", "config.yaml"))
for pname, p in col["service"]["pipelines"].items():
    for section in ("receivers", "processors", "exporters"):
        for comp in p.get(section, []):
            if comp not in (col.get(section) or {}):
                errors.append(f"collector: pipeline {pname} uses undefined {section[:-1]} {comp}")

prom = load(os.path.join(infra, "prometheus", "prometheus.yml"))
if not prom.get("scrape_configs"):
    errors.append("prometheus: no scrape_configs")

seen = set()
rule_files = glob.glob(os.path.join(infra, "prometheus", "alerts", "*.yml"))
if not rule_files:
    errors.append("alerts: no rule files")
for rf in rule_files:
    for group in load(rf).get("groups", []):
        for rule in group.get("rules", []):
            name = rule.get("alert") or rule.get("record")
            if name in seen:
                errors.append(f"alerts: duplicate rule {name}")
            seen.add(name)
            if not rule.get("expr"):
                errors.append(f"alerts: {name} has no expr")
            if "alert" in rule:
                if not (rule.get("labels") or {}).get("severity"):
                    errors.append(f"alerts: {name} has no severity label")
                if not (rule.get("annotations") or {}).get("summary"):
                    errors.append(f"alerts: {name} has no summary")
            if rule.get("expr", "").count("(") != rule.get("expr", "").count(")"):
                errors.append(f"alerts: {name} has unbalanced parentheses")

uids = set()
dashboards = glob.glob(os.path.join(infra, "grafana", "dashboards", "*.json"))
if not dashboards:
    errors.append("dashboards: none")
for df in dashboards:
    with open(df, encoding="utf-8") as fh:
        d = json.load(fh)
    if d.get("uid") in uids:
        errors.append(f"dashboards: duplicate uid {d.get('uid')}")
    uids.add(d.get("uid"))
    ids = [p["id"] for p in d.get("panels", [])]
    if len(ids) != len(set(ids)):
        errors.append(f"dashboards: {os.path.basename(df)} has duplicate panel ids")
    for p in d.get("panels", []):
        for t in p.get("targets", []):
            if not t.get("expr"):
                errors.append(f"dashboards: panel {p.get('title')} has a target without expr")
            elif t["expr"].count("(") != t["expr"].count(")"):
                errors.append(f"dashboards: panel {p.get('title')} has unbalanced parentheses")

for e in errors:
    print(f"    {e}")
print(f"    infra: {len(services)} compose services, {len(seen)} rules, {len(dashboards)} dashboard(s), {len(errors)} violation(s)")
sys.exit(1 if errors else 0)
