"""Reports: the documents Practice QA produces for managers, scrutiny and the safeguarding board."""
