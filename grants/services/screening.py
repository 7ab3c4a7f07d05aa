"""Screening of submissions (being written)."""


def screen(*, submission_id: int):
    raise NotImplementedError("screening is being written")
