# One image for every Looma service; the command picks which (see docker-compose.yml).
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
EXPOSE 9000-9009
ENTRYPOINT ["npx", "tsx", "scripts/serve.ts"]
CMD ["gateway"]
