"""marshmallow schemas: one module per resource, separate load and dump schemas."""
