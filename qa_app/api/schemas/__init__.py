"""The API's schemas, as pydantic models: one set that validates what clients send
(qa_app.api.validation) and describes what the API answers, from which the OpenAPI document is
generated (qa_app.api.openapi). `base` holds the building blocks and the error body; the others
one area each."""
