"""Usage, charges exact to the fen, monthly statements, closing months, reports."""
