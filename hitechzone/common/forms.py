"""Form widgets every module's pages use."""

from django import forms


class DateInput(forms.DateInput):
    """A date picker (``<input type="date">``), ISO formatted, Bootstrap styled."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")
