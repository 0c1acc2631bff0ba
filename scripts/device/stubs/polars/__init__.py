"""Stand-in for polars on the GPU machine (its 54 MB wheel does not fit the transfer).

ultralytics imports polars only to read results.csv back into the checkpoint and for
DataFrame exports; it catches the failure of read_csv and stores no table.
"""


def read_csv(*args, **kwargs):
    raise NotImplementedError("polars is not installed on this machine")


class DataFrame:  # pragma: no cover - never built during training
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("polars is not installed on this machine")
