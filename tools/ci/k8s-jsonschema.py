#!/usr/bin/env python3
"""Generate kubeconform-compatible, standalone, strict JSON schemas offline.

Inputs (all taken from Go modules that the Go module proxy serves, see check-charts.sh):
  * the Kubernetes OpenAPI v2 document `api/openapi-spec/swagger.json` of the
    `k8s.io/kubernetes` module;
  * CustomResourceDefinition YAML files (CloudNativePG, prometheus-operator).

Output layout is kubeconform's default one, so that
  -schema-location '<out>/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'
finds `deployment-apps-v1.json`, `service-v1.json`, `cluster-postgresql-v1.json`, ...

"Standalone" means every $ref is inlined; "strict" means every object that lists its
properties rejects any other property (additionalProperties: false), so a misspelt field
fails validation. IntOrString and Quantity accept a string or a number, as the API server does.

Usage: k8s-jsonschema.py --swagger swagger.json [--crd file.yaml ...] --out DIR
"""
from __future__ import annotations

import argparse
import json
import os
import sys

try:
    import yaml  # PyYAML, only needed for --crd
except ImportError:  # pragma: no cover - reported when --crd is used
    yaml = None

INT_OR_STRING = {"oneOf": [{"type": "string"}, {"type": "integer"}]}
QUANTITY = {"oneOf": [{"type": "string"}, {"type": "number"}]}


def kind_suffix(group: str, version: str) -> str:
    """Mirror kubeconform's pkg/registry schemaPath(): '-<first label of group>-<version>'."""
    if group:
        return f"-{group.split('.')[0].lower()}-{version.lower()}"
    return f"-{version.lower()}"


def make_strict(schema):
    """Add additionalProperties: false to every schema object that declares properties.

    Walks the schema structurally (properties, items, combinators), so a field that happens
    to be called "properties" or "$ref" is never mistaken for a keyword.
    """
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: make_strict(v) for k, v in out["properties"].items()}
        if "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = make_strict(out["additionalProperties"])
    if isinstance(out.get("items"), dict):
        out["items"] = make_strict(out["items"])
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(out.get(key), list):
            out[key] = [make_strict(s) for s in out[key]]
    if isinstance(out.get("not"), dict):
        out["not"] = make_strict(out["not"])
    return out


class SwaggerConverter:
    def __init__(self, definitions: dict):
        self.defs = definitions

    def resolve(self, node, stack: tuple):
        if isinstance(node, list):
            return [self.resolve(n, stack) for n in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            name = node["$ref"].split("/")[-1]
            if name.endswith("util.intstr.IntOrString"):
                return dict(INT_OR_STRING)
            if name.endswith("api.resource.Quantity"):
                return dict(QUANTITY)
            if name in stack:  # recursive type (e.g. JSONSchemaProps): leave it open
                return {}
            target = self.defs[name]
            resolved = self.resolve(target, stack + (name,))
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return {**resolved, **{k: v for k, v in extra.items() if k == "description"}}
        if node.get("format") == "int-or-string":
            return dict(INT_OR_STRING)
        return {k: self.resolve(v, stack) for k, v in node.items()}

    def schema_for(self, name: str, gvk: dict) -> dict:
        schema = self.resolve(self.defs[name], (name,))
        schema = make_strict(schema)
        props = schema.setdefault("properties", {})
        api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
        if "apiVersion" in props:
            props["apiVersion"] = {**props["apiVersion"], "enum": [api_version]}
        if "kind" in props:
            props["kind"] = {**props["kind"], "enum": [gvk["kind"]]}
        return schema


OBJECT_META_REF = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


def crd_schemas(path: str, object_meta: dict):
    if yaml is None:
        sys.exit("k8s-jsonschema: PyYAML is required for --crd")
    with open(path, encoding="utf-8") as fh:
        for doc in yaml.safe_load_all(fh):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            group = doc["spec"]["group"]
            kind = doc["spec"]["names"]["kind"]
            for ver in doc["spec"]["versions"]:
                raw = ver.get("schema", {}).get("openAPIV3Schema")
                if not raw:
                    continue
                schema = make_strict(raw)
                props = schema.setdefault("properties", {})
                props["apiVersion"] = {"type": "string", "enum": [f"{group}/{ver['name']}"]}
                props["kind"] = {"type": "string", "enum": [kind]}
                props["metadata"] = object_meta
                schema["additionalProperties"] = False
                schema.setdefault("required", [])
                for req in ("apiVersion", "kind", "metadata"):
                    if req not in schema["required"]:
                        schema["required"].append(req)
                yield f"{kind.lower()}{kind_suffix(group, ver['name'])}.json", schema


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--swagger", required=True)
    ap.add_argument("--crd", action="append", default=[])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.swagger, encoding="utf-8") as fh:
        swagger = json.load(fh)
    conv = SwaggerConverter(swagger["definitions"])
    os.makedirs(args.out, exist_ok=True)
    written = 0
    for name, definition in swagger["definitions"].items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            if "metadata" not in definition.get("properties", {}):
                continue  # list wrappers are fine, but option types (DeleteOptions...) are not resources
            fname = f"{gvk['kind'].lower()}{kind_suffix(gvk['group'], gvk['version'])}.json"
            with open(os.path.join(args.out, fname), "w", encoding="utf-8") as out:
                json.dump(conv.schema_for(name, gvk), out, separators=(",", ":"))
            written += 1

    object_meta = make_strict(conv.resolve(swagger["definitions"][OBJECT_META_REF], (OBJECT_META_REF,)))
    for crd in args.crd:
        for fname, schema in crd_schemas(crd, object_meta):
            with open(os.path.join(args.out, fname), "w", encoding="utf-8") as out:
                json.dump(schema, out, separators=(",", ":"))
            written += 1
    print(f"k8s-jsonschema: wrote {written} schemas to {args.out}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
