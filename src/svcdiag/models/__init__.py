"""Pydantic models of everything svcdiag reads and writes."""
