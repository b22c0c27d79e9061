# komhen-live: one image for the worker, the ingest service and the simulator (docker-compose.yml).
# Stage 1 builds the wheel users install (schemas, target files and profiles are package data);
# stage 2 installs only that wheel, so the image runs exactly what `pip install` gives.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY schemas ./schemas
COPY deploy/targets ./deploy/targets
COPY deploy/simulator ./deploy/simulator
COPY deploy/reference ./deploy/reference
COPY deploy/sources ./deploy/sources
RUN pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KOMHEN_DATA_DIR=/data
COPY --from=build /dist /dist
RUN pip install /dist/*.whl && rm -rf /dist
RUN useradd --system --uid 10001 --home-dir /data --create-home komhen
USER komhen
WORKDIR /data
EXPOSE 6066 8080
CMD ["komhen", "worker"]
