"""Writing outputs safely: names, atomic writes, history, one writer per folder; PDFs through LibreOffice."""
