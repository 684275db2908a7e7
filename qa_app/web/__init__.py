"""What every page shares: request hooks, cookies, headers (moving here from qa_app/ as the
house is tidied; see docs in ARCHITECTURE)."""
