"""What the Python SDK scripts share."""
from azure.core.exceptions import HttpResponseError


def code_of(call):
    """[status, error code] of a call that fails with the service's error; None when it succeeds."""
    try:
        call()
    except HttpResponseError as err:
        return [err.status_code, err.error_code]
    return None
