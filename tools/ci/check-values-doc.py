#!/usr/bin/env python3
"""Every value is documented: check a chart's values.yaml against its values.schema.json.

Usage: check-values-doc.py CHART_DIR

Fails when a key of values.yaml has no schema property, when any schema property (values
or not) lacks a non-empty "description", or when an object schema with listed properties
does not set additionalProperties (so unknown keys would pass silently).
"""
import json
import os
import sys

import yaml


def resolve(schema, root):
    ref = schema.get("$ref")
    if ref:
        target = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def walk_schema(schema, root, path, errors):
    schema = resolve(schema, root)
    props = schema.get("properties")
    if isinstance(props, dict):
        if "additionalProperties" not in schema:
            errors.append(f"{path or '<root>'}: object schema lists properties but not additionalProperties")
        for name, sub in props.items():
            sub_r = resolve(sub, root)
            if not (sub.get("description") or sub_r.get("description")):
                errors.append(f"{path}.{name}".lstrip(".") + ": no description")
            walk_schema(sub, root, f"{path}.{name}", errors)
    if isinstance(schema.get("items"), dict):
        walk_schema(schema["items"], root, f"{path}[]", errors)


def walk_values(values, schema, root, path, errors):
    schema = resolve(schema, root)
    if not isinstance(values, dict) or not isinstance(schema.get("properties"), dict):
        return  # free-form object (Kubernetes passthrough) or scalar
    for key, val in values.items():
        sub = schema["properties"].get(key)
        if sub is None:
            if schema.get("additionalProperties") is False:
                errors.append(f"{path}.{key}".lstrip(".") + ": in values.yaml but not in values.schema.json")
            continue
        walk_values(val, sub, root, f"{path}.{key}", errors)


def main():
    chart = sys.argv[1]
    with open(os.path.join(chart, "values.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    with open(os.path.join(chart, "values.yaml"), encoding="utf-8") as fh:
        values = yaml.safe_load(fh) or {}
    errors = []
    if not schema.get("description"):
        errors.append("<root>: no description")
    walk_schema(schema, schema, "", errors)
    walk_values(values, schema, schema, "", errors)
    for e in errors:
        print(f"    {chart}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
