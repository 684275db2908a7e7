"""The rules that always hold, as pure functions with no Flask and no database: the council's
clock (UK time, working days), the characters a document may hold, and who may do what."""
