"""Small pieces every app shares and that belong to none: enqueuing a task once a transaction
commits, and the abstract model for a settings row. It imports no app."""
