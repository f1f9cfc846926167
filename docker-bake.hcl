# docker buildx bake            -> builds and loads crm-suite for the local platform
# docker buildx bake release    -> multi-platform build pushed to $REGISTRY
# Variables can be set from the environment: REGISTRY=registry.corp.example:5000/crm TAG=0.1.0 docker buildx bake release

variable "REGISTRY" {
  default = "ghcr.io/crm-suite"
}

variable "TAG" {
  default = "0.1.0"
}

variable "REVISION" {
  default = "unknown"
}

# Exact Node 20 version on Debian 12 slim; append @sha256:<digest> to pin the digest, or
# point it at a mirror for an air-gapped build.
variable "NODE_IMAGE" {
  default = "node:20.20.2-bookworm-slim"
}

group "default" {
  targets = ["crm-suite"]
}

target "_common" {
  context    = "."
  dockerfile = "Dockerfile"
  target     = "runtime"
  args = {
    NODE_IMAGE = NODE_IMAGE
    VERSION    = TAG
    REVISION   = REVISION
  }
  labels = {
    "org.opencontainers.image.source" = "crm-suite"
  }
}

# Local build for the current platform, loaded into the local image store.
target "crm-suite" {
  inherits = ["_common"]
  tags     = ["${REGISTRY}/crm-suite:${TAG}"]
  output   = ["type=docker"]
}

# Release build: amd64 and arm64, pushed, with SBOM and provenance attestations.
target "release" {
  inherits    = ["_common"]
  tags        = ["${REGISTRY}/crm-suite:${TAG}"]
  platforms   = ["linux/amd64", "linux/arm64"]
  attest      = ["type=sbom", "type=provenance,mode=max"]
  output      = ["type=registry"]
  cache-from  = ["type=registry,ref=${REGISTRY}/crm-suite:buildcache"]
  cache-to    = ["type=registry,ref=${REGISTRY}/crm-suite:buildcache,mode=max"]
}
