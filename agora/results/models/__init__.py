"""The results' models: a result with its updates and origins, and who follows it."""

from agora.results.models.follow import ResultFollow
from agora.results.models.result import Result, ResultOrigin, ResultStatus, ResultUpdate

__all__ = ["Result", "ResultFollow", "ResultOrigin", "ResultStatus", "ResultUpdate"]
