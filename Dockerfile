# syntax=docker/dockerfile:1

# Build: compile TypeScript and better-sqlite3's native module, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --loglevel=warn
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --loglevel=warn

# Run: only what the bot needs, as the unprivileged "node" user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    DATABASE_PATH=/data/bot.db \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data ./data
RUN mkdir -p /data && chown node:node /data
USER node
# The database lives on a volume: it survives upgrades and is what you back up.
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node directly (not npm), so that SIGTERM from `docker stop` reaches the bot and it shuts down
# cleanly. The flags (and MALLOC_ARENA_MAX above) keep memory low: deploy/node-runtime.json.
CMD ["node", "--optimize-for-size", "--max-semi-space-size=2", "dist/main.js"]
