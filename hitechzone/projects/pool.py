"""The expert pool is the shared review's (docs/0013): ``hitechzone.review.pool`` holds the one copy and its cache."""

from hitechzone.review.pool import FIELDS, Pool, read  # noqa: F401
