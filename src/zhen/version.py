"""The version of zhen, apart so that file writers can stamp it without loading the API."""

__version__ = "0.1.0"
