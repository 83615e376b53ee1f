# syntax=docker/dockerfile:1
# Build: docker build -t tessera .   Run: docker run -p 4433:4433 -p 4434:4434 -v tessera-data:/app/data tessera
FROM node:22-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs

RUN npm run build && npm prune --omit=dev

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY config config
COPY schemas schemas
RUN mkdir -p /app/data && chown -R node:node /app/data && ln -s /app/dist/apps/cli/src/main.js /usr/local/bin/tessera && chmod +x /app/dist/apps/cli/src/main.js
USER node
VOLUME ["/app/data"]
EXPOSE 4433 4434
ENTRYPOINT ["node", "/app/dist/apps/cli/src/main.js"]
CMD ["serve"]
