"""The ground every other part stands on: exceptions and exit codes, messages for people, Vietnamese text and
values, files opened safely, the console, and a run's settings. Imports nothing of the toolkit above it."""
