"""Declaring background work: a function decorated with `@job` can be named in `later()`.

    @job(promise="the receipt will be emailed", retry_on=(OSError,))
    def screen_submission(submission_id: int) -> str: ...

The function stays a plain function (tests call it directly); the runner calls it with the job's arguments.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Policy:
    # In words, what the person who caused the work is promised ("the receipt will be emailed"); told to them,
    # with "when the service is back", when the work could not be handed over at once.
    promise: str = ""
    # Errors worth retrying (a mail server that hangs up); anything else fails at once, for staff to see.
    retry_on: tuple[type[BaseException], ...] = (OSError,)
    attempts: int = 8
    # Called with the job's arguments and the last error once no attempt is left (e.g. mark a notice failed).
    give_up: Callable | None = None
    # Work that redoes everything each run (a round's scores): one waiting job serves every change meanwhile.
    coalesce: bool = False


def job(
    *,
    promise: str = "",
    retry_on=(OSError,),
    attempts: int = 8,
    give_up: Callable | None = None,
    coalesce: bool = False,
):
    def declare(function):
        function.background = Policy(promise, tuple(retry_on), attempts, give_up, coalesce)
        return function

    return declare


def handler(task: str):
    """The function a job names; LookupError when it names nothing that `@job` declared."""
    try:
        function = import_string(task)
    except ImportError as error:
        raise LookupError(f"{task} does not exist") from error
    if not isinstance(getattr(function, "background", None), Policy):
        raise LookupError(f"{task} is not declared with @job")
    return function


def promise_of(task: str) -> str:
    try:
        return handler(task).background.promise
    except LookupError:
        return ""
