"""A file the browser saves (a report as PDF or Word, a spreadsheet, a CSV): one response for
every download page, its type read from the file name's ending."""

from flask import Response

from qa_app.documents.docx_base import MIME as DOCX

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
}


def download(data: bytes, name: str) -> Response:
    """`data` sent as an attachment called `name` (made by the app: no quote in it), of the
    type its ending names (MIMETYPES)."""
    return Response(
        data,
        mimetype=MIMETYPES[name.rsplit(".", 1)[-1]],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
