"""Service: the FastAPI application behind `shitstorm serve`."""
