# syntax=docker/dockerfile:1
# Mesa SPA behind nginx: `docker build -f deploy/frontend.Dockerfile .` (context: the repo
# root, because the build reads the API contract in openapi/).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY openapi openapi
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend frontend
RUN cd frontend && npm run build

FROM nginx:alpine
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/frontend/dist /usr/share/nginx/html
EXPOSE 80
