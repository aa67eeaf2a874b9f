"""Batch jobs built on barrow's Spark stages."""
