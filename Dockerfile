# The pos-ga4 worker and collector image. Runs the TypeScript sources through tsx (no build step),
# as `npx pos-ga4 …` does in the repository.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages ./packages
COPY apps ./apps
COPY fixtures ./fixtures
COPY schemas ./schemas
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
USER node
ENTRYPOINT []
CMD ["npx", "pos-ga4", "worker"]
