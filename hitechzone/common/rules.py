"""What every module's services raise when the rules refuse an action (the message says why, for the user)."""


class Refused(Exception):
    """An action that the rules do not allow; the message says why. Nothing has been written."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`Refused` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Refused(message)
