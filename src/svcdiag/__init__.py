"""svcdiag: diagnose why an organisation's customer service is poor."""

__version__ = "0.1.0"
