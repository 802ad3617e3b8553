# ClassCord server image. Build: `docker build -t classcord .`; run: see docker-compose.yml.

# --- build: native addons (better-sqlite3) and TypeScript → dist/ -------------------------------
FROM node:22-slim AS build
# Compilers for native addons that have no prebuilt binary for this platform (better-sqlite3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are copied. `npm rebuild` then runs the
# install scripts of the dependencies (native builds) without it. This layer is cached until the lockfile changes.
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY plugins ./plugins
RUN npm run build && npm prune --omit=dev

# --- runtime: no compilers, no sources, no dev dependencies -------------------------------------
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config.json config.schema.json ./
# The data directory must belong to the non-root user before the volume is created from it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 12345
# node runs as PID 1 without an init: core handles SIGTERM/SIGINT itself (graceful shutdown) and
# SIGHUP (reload), and spawns no child processes, so there are no zombies to reap.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const s=require('node:net').connect(12345,'127.0.0.1');s.setTimeout(4000,()=>process.exit(1));s.on('connect',()=>{s.destroy();process.exit(0)});s.on('error',()=>process.exit(1))"]
# The built form of `npm start` (whose prestart build already ran above).
CMD ["node", "dist/core/cli.js", "start"]
