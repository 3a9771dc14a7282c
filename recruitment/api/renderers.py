"""JSON through orjson: DRF's renderer interface, several times faster at encoding a page of rows than the standard
library's `json`, which DRF's own JSONRenderer uses.

The body is the same JSON: what orjson does not encode itself (dates and times, Decimals, lazy translations, ...) goes
to DRF's own encoder, so every value comes out as DRF would write it. Only the bytes may differ: orjson writes no
spaces and does not escape U+2028/U+2029 (JSON allows both raw).
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_DEFAULT = JSONEncoder().default
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class OrjsonRenderer(JSONRenderer):
    """`application/json` by orjson; `indent` in the Accept header (any width) gives two-space indentation."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        options = _OPTIONS
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            options |= orjson.OPT_INDENT_2
        return orjson.dumps(data, default=_DRF_DEFAULT, option=options)
