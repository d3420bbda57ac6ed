# syntax=docker/dockerfile:1.7
#
# One image per MicroShop app, all from this file:
#   docker build --build-arg APP=user-service -t microshop/user-service .
# APP is one of: user-service, product-service, order-service, notification-service.
#
# Stages:
#   deps       npm ci with dev dependencies (the Nest CLI, TypeScript) for the build
#   build      nest build $APP -> dist/apps/$APP/main.js, and nest build kafka-topics
#              (scripts/create-topics.ts -> dist/tools/create-topics.js in the image)
#   prod-deps  npm ci --omit=dev; identical for all four apps, so the layer is shared
#              between the images in a registry and on a node
#   runtime    node + production node_modules + one app's dist, as user `node`
#
# The runtime stage works with a read-only root filesystem: the app only needs a
# writable /tmp (compose: tmpfs, Kubernetes: emptyDir).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

FROM base AS deps
COPY package.json package-lock.json ./
# argon2 ships prebuilt binaries inside its npm package, so no compiler is needed.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci

FROM deps AS build
ARG APP
RUN test -n "$APP" || { echo "build-arg APP is required (user-service, product-service, order-service, notification-service)" >&2; exit 1; }
COPY . .
RUN test -d "apps/$APP" || { echo "unknown APP '$APP': no folder apps/$APP" >&2; exit 1; } \
 && npx nest build "$APP" \
 && test -f "dist/apps/$APP/main.js" \
 && npx nest build kafka-topics \
 && test -f dist/scripts/create-topics.js

FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev \
 && npm cache clean --force

FROM base AS runtime
ARG APP
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="microshop-${APP}" \
      org.opencontainers.image.description="MicroShop ${APP}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    APP=${APP} \
    TMPDIR=/tmp
# Everything below is owned by root and only readable by `node`: the process cannot
# modify its own code even when the root filesystem is left writable.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
# create-topics (npm run kafka:topics): topics and ACLs, run as admin by the chart's kafka-topics
# Job and compose's kafka-topics service: node dist/tools/create-topics.js
COPY --from=build /app/dist/scripts/create-topics.js ./dist/tools/create-topics.js
COPY deploy/docker/healthcheck.js ./healthcheck.js
# A fixed entry point, so CMD needs no variable (exec-form CMD does not expand them). A link, made
# here rather than copied (COPY follows links): Node resolves it, so __dirname stays dist/apps/$APP.
RUN ln -s "apps/${APP}/main.js" dist/main.js
USER node
# 4000 user, 8000 product, 3000 order, 5000 notification; PORT overrides.
EXPOSE 3000 4000 5000 8000
STOPSIGNAL SIGTERM
# Liveness only (no dependency pings): an unhealthy store must not get the container restarted.
# Slim images have no curl; Node 20's global fetch does the job.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "/app/healthcheck.js"]
# The old-generation cap keeps each app's footprint under 200 MB (docs/decisions/0004-hot-path-costs.md).
CMD ["node", "--enable-source-maps", "--max-old-space-size=112", "dist/main.js"]
