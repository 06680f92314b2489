# Production image: the client is built in a first stage, the runtime keeps production
# dependencies only (no compiler, no embedded PostgreSQL binaries: production uses DATABASE_URL).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build --config client/vite.config.ts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# pg_dump/pg_restore for `npm run db:backup` / `db:restore` (Debian 12: PostgreSQL 15 client,
# which dumps servers up to 15: the compose file runs postgres:15).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY server ./server
COPY migrations ./migrations
COPY seeds ./seeds
COPY templates ./templates
COPY tsconfig.json ./
COPY --from=build /app/client/dist ./client/dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "--import", "tsx", "server/main.ts"]
