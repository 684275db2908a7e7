"""Use cases that compose the layers below (data, documents, templates), with no Flask."""
