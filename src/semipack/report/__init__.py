"""Reports: results rendered as text, Markdown, HTML or JSON (no analysis happens here)."""
