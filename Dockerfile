# Grassroots as a container: built in one stage, run from a slim image as a non-root user.
#   docker build -t grassroots .
#   docker compose up          (with PostgreSQL 17; see compose.yaml)
# Configuration comes only from the environment (README, "Configuration"); secrets also from files: NAME_FILE.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    GRASSROOTS_DATA_DIR=/var/lib/grassroots
WORKDIR /app
# Only what runs: the compiled server and web app, production packages, the SQL migrations and API docs page it
# reads at run time, and the reference data (with its licences).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/data ./data
COPY --from=build /app/src/db/migrations ./src/db/migrations
COPY --from=build /app/src/server/docs ./src/server/docs
RUN mkdir -p /var/lib/grassroots && chown node:node /var/lib/grassroots
USER node
VOLUME ["/var/lib/grassroots"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form): requests in flight are answered before it stops.
STOPSIGNAL SIGTERM
CMD ["node", "bin/grassroots.js", "serve"]
