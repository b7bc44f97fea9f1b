"""CBP's pages, by concept: the dashboard and queue (`queue`), claiming and assigning
(`assignment`), the review workspace (`workspace`) and the supervisor's sign-off (`sign_off`).
Staff only (`access`): anyone else is told the page does not exist (404), so the staff side is not
disclosed. Routes are in `reviews/urls.py`."""
