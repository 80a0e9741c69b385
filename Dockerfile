# Multi-stage: build the wheel with the full toolchain, run it on a slim image as non-root.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scenarios ./scenarios
COPY knowledge_base ./knowledge_base
COPY surveys ./surveys
COPY touchpoints ./touchpoints
COPY applications ./applications
COPY migrations ./migrations
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 priemnaya && mkdir /data && chown priemnaya /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER priemnaya
WORKDIR /data
ENV DATA_DIR=/data \
    DATABASE_URL=sqlite+aiosqlite:////data/priemnaya.db \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
# Telegram's webhook and VK's Callback API listen here (WEBHOOK_LISTEN); long polling needs no port.
EXPOSE 8080
CMD ["priemnaya", "run"]
