"""The tool's own error: a model or an input it cannot take, with a message naming the file or parameter."""


class ExportError(ValueError):
    """The model cannot be exported; the message names the parameter or file at fault."""
