"""Demonstration data (`flask qa seed-demo`) and the synthetic history behind it: made-up case
references and accounts, never real people."""
