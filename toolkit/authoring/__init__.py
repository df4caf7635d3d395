"""Workbooks for people to fill: a preset's ``.xlsx`` (the template, the bundled example) and a Google Sheet
laid out the same way."""
