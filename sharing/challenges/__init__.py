"""The 揭榜挂帅 board: companies post challenges, institutes apply, the company selects."""
