# One image for every akhbar service: scheduler, workers, api (and flower).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY scheduler ./scheduler
COPY workers ./workers
COPY console ./console
COPY demo ./demo
# docker compose build --build-arg EXTRAS='[semantic]' adds the optional semantic stage (AKHBAR_SEMANTIC=1)
ARG EXTRAS=""
RUN pip install ".${EXTRAS}" flower
RUN useradd --create-home akhbar && mkdir -p /app/data && chown akhbar /app/data
USER akhbar
EXPOSE 8000
CMD ["akhbar", "--help"]
