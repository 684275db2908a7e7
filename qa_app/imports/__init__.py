"""Reading uploaded and imported files (CSV, XLSX) into rows, with every problem located."""
