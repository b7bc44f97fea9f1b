"""The applicant's wizard: its steps, their forms, what the pages share, and its views."""
