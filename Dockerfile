# One image for every Looma service; the command picks which (see docker-compose.yml).

# Production dependencies only; tsx is one of them: it runs the TypeScript sources.
FROM node:20-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The sources and those dependencies, owned by root and run as the unprivileged `node` user;
# only data/ (the embedded stores, when a service has no DATABASE_URL) is theirs to write.
FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 9000-9009
# node itself is PID 1, so that docker stop's SIGTERM reaches the service and it drains and closes its
# stores (platform/shutdown.ts); npx would exit on it at once, and the service be killed with it.
# A young generation of up to 64 MB per semi-space, as npm start runs (README, "Memory and the collector").
ENTRYPOINT ["node", "--max-semi-space-size=64", "--import", "tsx", "scripts/serve.ts"]
CMD ["gateway"]
