# The pos-ga4 worker, collector and dashboard image. Builds the production bundle in the image
# (`npm run build` → dist/, docs/decisions/0004-production-bundle.md) and runs it with plain node;
# the sources stay in the image, so `npx pos-ga4 …` (tsx) works in it as in the repository.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json tsconfig.json ./
COPY packages ./packages
COPY apps ./apps
COPY scripts/build ./scripts/build
COPY fixtures ./fixtures
COPY schemas ./schemas
# a production install has what the build needs (tsx and its esbuild)
RUN npm ci --omit=dev --no-audit --no-fund && npm run build && npm cache clean --force
USER node
ENTRYPOINT []
CMD ["node", "dist/pos-ga4.js", "worker"]
