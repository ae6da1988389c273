"""Inputs of the golden values, one module per exercise, each with ``record(ref)``."""
