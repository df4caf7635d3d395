"""The workbook: its declared layout (``schema``), its tabs bound and validated into a ``Campaign``, with the
problems found at their cells; presets, phrases and school levels as data."""
