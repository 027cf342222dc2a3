"""Recommendations: request reading, content + co-purchase + popularity blend, reasons."""
