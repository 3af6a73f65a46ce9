# Backend (and CLI) image. The web UI and the renderer are built into it; n8n runs from its own image.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json .npmrc ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/render/package.json packages/render/
COPY sandbox/package.json sandbox/
COPY web/package.json web/
COPY backend/package.json backend/
COPY n8n-nodes/package.json n8n-nodes/
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build --workspace packages/contracts --workspace packages/render --workspace sandbox --workspace web --workspace backend --workspace n8n-nodes

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app /app
RUN npm prune --omit=dev --ignore-scripts --workspaces --include-workspace-root || true
USER node
EXPOSE 3000
# V8 flags: backend/node-flags.mjs says why.
CMD ["node", "--max-old-space-size=512", "--max-semi-space-size=16", "backend/dist/main.js"]
