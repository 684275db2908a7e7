"""The PDF house style (reportlab platypus), independent of any one report.

Builders write into `document.ReportDocument`::

    doc = ReportDocument(title=..., subtitle=..., organisation=..., marking=Marking.OFFICIAL,
                         status_line="Draft 3", meta=[("Prepared by", "QA team")])
    doc.heading("Summary", level=1)      # levels 1-2 go into the contents
    doc.paragraph("plain text")          # escaped; markup=True passes reportlab markup through
    doc.bullets([...]); doc.numbered([...]); doc.note("...")
    doc.key_figures([("42", "audits completed")])
    doc.table(header=[...], rows=[...], numeric_columns={1}, caption="Table 1: ...")
    doc.chart(drawing, caption="Figure 1: ...")
    doc.page_break()
    pdf_bytes = doc.build()

`styles` holds the data-defined stylesheet; `flowables` the small flowable classes.
"""
