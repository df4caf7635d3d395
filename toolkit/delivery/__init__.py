"""E-mailing the documents to the receiving office exactly once: the message, SMTP, the sent record."""
